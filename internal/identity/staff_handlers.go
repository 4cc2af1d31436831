package identity

import (
	"embed"
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// registerStaff serves the community-centre desk: find a resident, record an
// identity check, hand over a card offer, suspend or revoke cards.
// places names district and zone codes (nil: the codes are shown).
func registerStaff(rt *web.Router, registry *Registry, cards *Cards, issuer Issuer, places func(lang string) map[string]string) {
	views := web.MustViews(templateFS)
	desk := []actor.Role{actor.Operator, actor.Guide, actor.CentreAdmin}
	type page struct {
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
	load := func(r *http.Request, id int64, p *page) error {
		res, err := registry.Get(r.Context(), id)
		if err != nil {
			return err
		}
		p.Resident = &res
		p.District, p.Zone = placeName(r, places, res.District), placeName(r, places, res.Zone)
		if proof, err := registry.LatestProof(r.Context(), id); err == nil {
			p.Proof = &proof
		}
		p.Counts, err = cards.CardCounts(r.Context(), id)
		return err
	}
	render := func(w http.ResponseWriter, r *http.Request, status int, p page) error {
		p.Documents = DocumentTypes
		return views.Render(w, r, status, "cards", p)
	}
	residentID := func(r *http.Request) (int64, error) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			return 0, errs.New(errs.NotFound, "identity.resident_not_found")
		}
		return id, nil
	}
	rt.Handle("GET /admin/cards", func(w http.ResponseWriter, r *http.Request) error {
		if _, err := actor.Require(r.Context(), desk...); err != nil {
			return err
		}
		p := page{Query: r.URL.Query().Get("q")}
		if p.Query == "" {
			return render(w, r, http.StatusOK, p)
		}
		res, err := registry.Find(r.Context(), p.Query)
		if errs.CodeOf(err) == errs.NotFound {
			p.Error = web.Message(r, err)
			return render(w, r, http.StatusNotFound, p)
		}
		if err != nil {
			return err
		}
		if err := load(r, res.ID, &p); err != nil {
			return err
		}
		return render(w, r, http.StatusOK, p)
	})
	act := func(path string, roles []actor.Role, do func(r *http.Request, id int64, p *page) error) {
		rt.Handle("POST /admin/cards/{id}/"+path, func(w http.ResponseWriter, r *http.Request) error {
			if _, err := actor.Require(r.Context(), roles...); err != nil {
				return err
			}
			id, err := residentID(r)
			if err != nil {
				return err
			}
			var p page
			err = do(r, id, &p)
			if e, ok := errs.As(err); ok && e.Code != errs.Internal {
				p.Error = web.Message(r, e)
			} else if err != nil {
				return err
			}
			if err := load(r, id, &p); err != nil {
				return err
			}
			status := http.StatusOK
			if p.Error != "" {
				status = web.Status(err)
			}
			return render(w, r, status, p)
		})
	}
	act("proof", desk, func(r *http.Request, id int64, p *page) error {
		_, err := registry.RecordInPerson(r.Context(), id, r.PostFormValue("document_type"))
		return err
	})
	act("offer", desk, func(r *http.Request, id int64, p *page) error {
		offer, err := cards.CreateOffer(r.Context(), id, issuer.For(r).URL)
		if err != nil {
			return err
		}
		p.Offer, err = newOfferView(r, offer)
		return err
	})
	act("status", desk, func(r *http.Request, id int64, p *page) error {
		status := r.PostFormValue("status")
		if status == StatusRevoked && !actor.From(r.Context()).Is(actor.CentreAdmin) {
			return errs.New(errs.Forbidden, "identity.revoke_needs_admin")
		}
		_, err := cards.SetStatus(r.Context(), id, status)
		return err
	})
	rt.AddNav(web.NavItem{Key: "nav.cards", Href: "/admin/cards", Group: web.GroupWorkCard, Roles: desk})
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
