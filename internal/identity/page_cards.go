package identity

import (
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// The community-centre desk: find a resident, record an identity check,
// hand over a card offer, suspend or revoke cards. The district and zone
// are named through h.places (nil: the codes are shown).

// desk are the roles of the card desk.
var desk = []actor.Role{actor.Operator, actor.Guide, actor.CentreAdmin}

type cardsPage struct {
	Query     string
	Resident  *Resident
	District  string // the resident's district and living zone by name
	Zone      string
	Proof     *Proof
	Counts    map[string]int
	Documents []string
	Offer     *offerView
	Error     string
}

func (h *Handlers) loadResident(r *http.Request, id int64, p *cardsPage) error {
	res, err := h.registry.Get(r.Context(), id)
	if err != nil {
		return err
	}
	p.Resident = &res
	p.District, p.Zone = placeName(r, h.places, res.District), placeName(r, h.places, res.Zone)
	if proof, err := h.registry.LatestProof(r.Context(), id); err == nil {
		p.Proof = &proof
	}
	p.Counts, err = h.cards.CardCounts(r.Context(), id)
	return err
}

func (h *Handlers) renderCards(w http.ResponseWriter, r *http.Request, status int, p cardsPage) error {
	p.Documents = DocumentTypes
	return h.views.Render(w, r, status, "cards", p)
}

// cardAction does one of the desk's actions on the resident of the path
// and shows the resident again, with the refusal if it was refused.
func (h *Handlers) cardAction(w http.ResponseWriter, r *http.Request, do func(id int64, p *cardsPage) error) error {
	if _, err := actor.Require(r.Context(), desk...); err != nil {
		return err
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "identity.resident_not_found")
	}
	var p cardsPage
	err = do(id, &p)
	if e, ok := errs.As(err); ok && e.Code != errs.Internal {
		p.Error = web.Message(r, e)
	} else if err != nil {
		return err
	}
	if err := h.loadResident(r, id, &p); err != nil {
		return err
	}
	status := http.StatusOK
	if p.Error != "" {
		status = web.Status(err)
	}
	return h.renderCards(w, r, status, p)
}

// recordProof records an identity check in person.
func (h *Handlers) recordProof(w http.ResponseWriter, r *http.Request) error {
	return h.cardAction(w, r, func(id int64, p *cardsPage) error {
		_, err := h.registry.RecordInPerson(r.Context(), id, r.PostFormValue("document_type"))
		return err
	})
}

// deskOffer hands over a card offer's QR code and PIN.
func (h *Handlers) deskOffer(w http.ResponseWriter, r *http.Request) error {
	return h.cardAction(w, r, func(id int64, p *cardsPage) error {
		offer, err := h.cards.CreateOffer(r.Context(), id, h.issuer.For(r).URL)
		if err != nil {
			return err
		}
		p.Offer, err = newOfferView(r, offer)
		return err
	})
}

// setCardStatus suspends, reinstates or (an admin only) revokes the cards.
func (h *Handlers) setCardStatus(w http.ResponseWriter, r *http.Request) error {
	return h.cardAction(w, r, func(id int64, p *cardsPage) error {
		status := r.PostFormValue("status")
		if status == StatusRevoked && !actor.From(r.Context()).Is(actor.CentreAdmin) {
			return errs.New(errs.Forbidden, "identity.revoke_needs_admin")
		}
		_, err := h.cards.SetStatus(r.Context(), id, status)
		return err
	})
}

// placeName is a district's or a living zone's name in the request's
// language, or its code when it has none.
func placeName(r *http.Request, places func(lang string) map[string]string, code string) string {
	if places == nil || code == "" {
		return code
	}
	if name := places(web.PrefsFrom(r.Context()).Lang)[code]; name != "" {
		return name
	}
	return code
}

func (h *Handlers) cardsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := actor.Require(r.Context(), desk...); err != nil {
		return err
	}
	p := cardsPage{Query: r.URL.Query().Get("q")}
	if p.Query == "" {
		return h.renderCards(w, r, http.StatusOK, p)
	}
	res, err := h.registry.Find(r.Context(), p.Query)
	if errs.CodeOf(err) == errs.NotFound {
		p.Error = web.Message(r, err)
		return h.renderCards(w, r, http.StatusNotFound, p)
	}
	if err != nil {
		return err
	}
	if err := h.loadResident(r, res.ID, &p); err != nil {
		return err
	}
	return h.renderCards(w, r, http.StatusOK, p)
}
