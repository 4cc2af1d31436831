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

// registerCitizen serves "my citizen card": a citizen proves who they are
// against the registry with the phone they signed in with, gets the QR code
// and PIN for their wallet, and can suspend their cards if the phone is lost.
func registerCitizen(rt *web.Router, registry *Registry, cards *Cards, issuer Issuer) {
	views := web.MustViews(templateFS)
	type page struct {
		Resident *Resident
		Events   []CardEvent
		Counts   map[string]int
		Offer    *offerView
		Error    string
		Field    string
		Name     string
		Birth    string
	}
	render := func(w http.ResponseWriter, r *http.Request, p page, err error) error {
		a, aerr := actor.Require(r.Context(), actor.Citizen)
		if aerr != nil {
			return aerr
		}
		if res, rerr := registry.ResidentOf(r.Context(), a.ID); rerr == nil {
			p.Resident = &res
			if p.Counts, rerr = cards.CardCounts(r.Context(), res.ID); rerr != nil {
				return rerr
			}
			if p.Events, rerr = cards.Events(r.Context(), res.ID); rerr != nil {
				return rerr
			}
		} else if errs.CodeOf(rerr) != errs.NotFound {
			return rerr
		}
		status, err := web.FormFailure(r, err, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "my_card", p)
	}
	// own is the resident the signed-in citizen proved to be.
	own := func(r *http.Request) (Resident, error) {
		a, err := actor.Require(r.Context(), actor.Citizen)
		if err != nil {
			return Resident{}, err
		}
		res, err := registry.ResidentOf(r.Context(), a.ID)
		if errs.CodeOf(err) == errs.NotFound {
			return res, errs.New(errs.Conflict, "identity.not_proofed")
		}
		return res, err
	}
	rt.Handle("GET /my/card", func(w http.ResponseWriter, r *http.Request) error { return render(w, r, page{}, nil) })
	rt.Handle("POST /my/card/proof", func(w http.ResponseWriter, r *http.Request) error {
		p := page{Name: r.PostFormValue("name"), Birth: r.PostFormValue("birth_date")}
		birth, err := time.Parse(time.DateOnly, strings.TrimSpace(p.Birth))
		if err != nil {
			return render(w, r, p, errs.Field("birth_date", "identity.birth_date_invalid"))
		}
		if _, err := registry.ProofBySignIn(r.Context(), p.Name, birth); err != nil {
			return render(w, r, p, err)
		}
		return web.Redirect(w, r, "/my/card", "identity.proofed")
	})
	rt.Handle("POST /my/card/offer", func(w http.ResponseWriter, r *http.Request) error {
		res, err := own(r)
		if err != nil {
			return render(w, r, page{}, err)
		}
		offer, err := cards.CreateOffer(r.Context(), res.ID, issuer.For(r).URL)
		if err != nil {
			return render(w, r, page{}, err)
		}
		view, err := newOfferView(r, offer)
		if err != nil {
			return err
		}
		return render(w, r, page{Offer: view}, nil)
	})
	rt.Handle("POST /my/card/suspend", func(w http.ResponseWriter, r *http.Request) error {
		res, err := own(r)
		if err != nil {
			return render(w, r, page{}, err)
		}
		if _, err := cards.SetStatus(r.Context(), res.ID, StatusSuspended); err != nil {
			return render(w, r, page{}, err)
		}
		return web.Redirect(w, r, "/my/card", "identity.suspended_own")
	})
	rt.Handle("GET /my/card/receipts/{seq}", func(w http.ResponseWriter, r *http.Request) error {
		res, err := own(r)
		if err != nil {
			return err
		}
		seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
		if err != nil {
			return errs.New(errs.NotFound, "ledger.entry_not_found")
		}
		receipt, err := cards.Receipt(r.Context(), res.ID, seq)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", `attachment; filename="maeul-receipt-`+strconv.FormatInt(seq, 10)+`.json"`)
		return web.JSON(w, http.StatusOK, receipt)
	})
	rt.AddNav(web.NavItem{Key: "nav.my_card", Href: "/my/card", Group: web.GroupCard, Roles: []actor.Role{actor.Citizen}})
}
