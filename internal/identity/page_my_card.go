package identity

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// "My citizen card": a citizen proves who they are against the registry
// with the phone they signed in with, gets the QR code and PIN for their
// wallet, and can suspend their cards if the phone is lost.

type myCardPage struct {
	Resident *Resident
	Events   []CardEvent
	Counts   map[string]int
	Offer    *offerView
	Error    string
	Field    string
	Name     string
	Birth    string
}

func (h *Handlers) renderMyCard(w http.ResponseWriter, r *http.Request, p myCardPage, err error) error {
	a, aerr := actor.Require(r.Context(), actor.Citizen)
	if aerr != nil {
		return aerr
	}
	if res, rerr := h.registry.ResidentOf(r.Context(), a.ID); rerr == nil {
		p.Resident = &res
		if p.Counts, rerr = h.cards.CardCounts(r.Context(), res.ID); rerr != nil {
			return rerr
		}
		if p.Events, rerr = h.cards.Events(r.Context(), res.ID); rerr != nil {
			return rerr
		}
	} else if errs.CodeOf(rerr) != errs.NotFound {
		return rerr
	}
	return h.views.RenderFailure(w, r, "my_card", err, &p.Error, &p.Field, &p)
}

// ownResident is the resident the signed-in citizen proved to be.
func (h *Handlers) ownResident(r *http.Request) (Resident, error) {
	a, err := actor.Require(r.Context(), actor.Citizen)
	if err != nil {
		return Resident{}, err
	}
	res, err := h.registry.ResidentOf(r.Context(), a.ID)
	if errs.CodeOf(err) == errs.NotFound {
		return res, errs.New(errs.Conflict, "identity.not_proofed")
	}
	return res, err
}

func (h *Handlers) myCard(w http.ResponseWriter, r *http.Request) error {
	return h.renderMyCard(w, r, myCardPage{}, nil)
}

func (h *Handlers) proofMyself(w http.ResponseWriter, r *http.Request) error {
	p := myCardPage{Name: r.PostFormValue("name"), Birth: r.PostFormValue("birth_date")}
	birth, err := time.Parse(time.DateOnly, strings.TrimSpace(p.Birth))
	if err != nil {
		return h.renderMyCard(w, r, p, errs.Field("birth_date", "identity.birth_date_invalid"))
	}
	if _, err := h.registry.ProofBySignIn(r.Context(), p.Name, birth); err != nil {
		return h.renderMyCard(w, r, p, err)
	}
	return web.Redirect(w, r, "/my/card", "identity.proofed")
}

func (h *Handlers) myOffer(w http.ResponseWriter, r *http.Request) error {
	res, err := h.ownResident(r)
	if err != nil {
		return h.renderMyCard(w, r, myCardPage{}, err)
	}
	offer, err := h.cards.CreateOffer(r.Context(), res.ID, h.issuer.For(r).URL)
	if err != nil {
		return h.renderMyCard(w, r, myCardPage{}, err)
	}
	view, err := newOfferView(r, offer)
	if err != nil {
		return err
	}
	return h.renderMyCard(w, r, myCardPage{Offer: view}, nil)
}

func (h *Handlers) suspendMine(w http.ResponseWriter, r *http.Request) error {
	res, err := h.ownResident(r)
	if err != nil {
		return h.renderMyCard(w, r, myCardPage{}, err)
	}
	if _, err := h.cards.SetStatus(r.Context(), res.ID, StatusSuspended); err != nil {
		return h.renderMyCard(w, r, myCardPage{}, err)
	}
	return web.Redirect(w, r, "/my/card", "identity.suspended_own")
}

func (h *Handlers) myReceipt(w http.ResponseWriter, r *http.Request) error {
	res, err := h.ownResident(r)
	if err != nil {
		return err
	}
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "ledger.entry_not_found")
	}
	receipt, err := h.cards.Receipt(r.Context(), res.ID, seq)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="maeul-receipt-`+strconv.FormatInt(seq, 10)+`.json"`)
	return web.JSON(w, http.StatusOK, receipt)
}
