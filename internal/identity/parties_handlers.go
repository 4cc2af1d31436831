package identity

import (
	"net/http"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// registerParties serves the system admin's register of relying parties:
// who may ask citizens for which facts, why, and which accounts verify for
// them.
func registerParties(rt *web.Router, parties *Parties, users *auth.Users) {
	views := web.MustViews(templateFS)
	type row struct {
		RelyingParty
		Staff []string
	}
	type page struct {
		Parties []row
		Form    RelyingParty
		Facts   []Fact // the may-ask checkboxes of the form
		Asks    []Fact // the asked-by-default checkboxes
		Error   string
		Field   string
	}
	render := func(w http.ResponseWriter, r *http.Request, form RelyingParty, ferr error) error {
		if _, err := actor.Require(r.Context(), actor.SysAdmin); err != nil {
			return err
		}
		ps, err := parties.List(r.Context())
		if err != nil {
			return err
		}
		staff, err := parties.StaffOf(r.Context())
		if err != nil {
			return err
		}
		var ids []int64
		for _, us := range staff {
			ids = append(ids, us...)
		}
		names, err := users.Names(r.Context(), ids)
		if err != nil {
			return err
		}
		p := page{Form: form}
		for _, party := range ps {
			rw := row{RelyingParty: party}
			for _, id := range staff[party.ID] {
				rw.Staff = append(rw.Staff, names[id])
			}
			p.Parties = append(p.Parties, rw)
		}
		for _, c := range ClaimPaths {
			label := web.T(r, "identity.claim."+ClaimKey(c))
			p.Facts = append(p.Facts, Fact{Key: ClaimKey(c), Label: label, Checked: form.May(c)})
			asked := RelyingParty{Claims: form.Asks}
			p.Asks = append(p.Asks, Fact{Key: ClaimKey(c), Label: label, Checked: asked.May(c)})
		}
		status, err := web.FormFailure(r, ferr, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "parties", p)
	}
	rt.Handle("GET /admin/verifiers", func(w http.ResponseWriter, r *http.Request) error {
		form := RelyingParty{Active: true}
		if slug := r.URL.Query().Get("edit"); slug != "" {
			var err error
			if form, err = parties.BySlug(r.Context(), slug); err != nil {
				return err
			}
		}
		return render(w, r, form, nil)
	})
	rt.Handle("POST /admin/verifiers", func(w http.ResponseWriter, r *http.Request) error {
		if _, err := actor.Require(r.Context(), actor.SysAdmin); err != nil {
			return err
		}
		r.ParseForm()
		paths := func(name string) [][]string {
			var out [][]string
			for _, k := range r.PostForm[name] {
				if c, ok := ParseClaimKey(k); ok {
					out = append(out, c)
				}
			}
			return out
		}
		form := RelyingParty{
			Slug: strings.TrimSpace(r.PostFormValue("slug")), NameKo: strings.TrimSpace(r.PostFormValue("name_ko")),
			NameEn: strings.TrimSpace(r.PostFormValue("name_en")), PurposeKo: strings.TrimSpace(r.PostFormValue("purpose_ko")),
			PurposeEn: strings.TrimSpace(r.PostFormValue("purpose_en")), Claims: paths("claim"), Asks: paths("ask"),
			Active: r.PostFormValue("active") == "on",
		}
		if _, err := parties.Save(r.Context(), form); err != nil {
			return render(w, r, form, err)
		}
		return web.Redirect(w, r, "/admin/verifiers", "identity.party_saved")
	})
	rt.Handle("POST /admin/verifiers/staff", func(w http.ResponseWriter, r *http.Request) error {
		if _, err := actor.Require(r.Context(), actor.SysAdmin); err != nil {
			return err
		}
		u, err := users.ByUsername(r.Context(), r.PostFormValue("username"))
		if err == nil && u.Role != actor.Verifier {
			err = errs.Field("username", "identity.staff_not_verifier")
		}
		if errs.CodeOf(err) == errs.NotFound {
			err = errs.Field("username", "identity.staff_not_verifier")
		}
		if err == nil {
			err = parties.AssignStaff(r.Context(), u.ID, r.PostFormValue("party"))
		}
		if err != nil {
			return render(w, r, RelyingParty{Active: true}, err)
		}
		return web.Redirect(w, r, "/admin/verifiers", "identity.staff_assigned")
	})
	rt.AddNav(web.NavItem{Key: "nav.verifiers", Href: "/admin/verifiers", Group: web.GroupWorkCard, Roles: []actor.Role{actor.SysAdmin}})
}
