package identity

import (
	"net/http"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// The system admin's register of relying parties: who may ask citizens
// for which facts, why, and which accounts verify for them.

type partyRow struct {
	RelyingParty
	Staff []string
}

type partiesPage struct {
	Parties []partyRow
	Form    RelyingParty
	Facts   []Fact // the may-ask checkboxes of the form
	Asks    []Fact // the asked-by-default checkboxes
	Error   string
	Field   string
}

func (h *Handlers) renderParties(w http.ResponseWriter, r *http.Request, form RelyingParty, ferr error) error {
	if _, err := actor.Require(r.Context(), actor.SysAdmin); err != nil {
		return err
	}
	ps, err := h.pres.Parties.List(r.Context())
	if err != nil {
		return err
	}
	staff, err := h.pres.Parties.StaffOf(r.Context())
	if err != nil {
		return err
	}
	var ids []int64
	for _, us := range staff {
		ids = append(ids, us...)
	}
	names, err := h.users.Names(r.Context(), ids)
	if err != nil {
		return err
	}
	p := partiesPage{Form: form}
	for _, party := range ps {
		rw := partyRow{RelyingParty: party}
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
	return h.views.RenderFailure(w, r, "parties", ferr, &p.Error, &p.Field, &p)
}

func (h *Handlers) partiesPage(w http.ResponseWriter, r *http.Request) error {
	form := RelyingParty{Active: true}
	if slug := r.URL.Query().Get("edit"); slug != "" {
		var err error
		if form, err = h.pres.Parties.BySlug(r.Context(), slug); err != nil {
			return err
		}
	}
	return h.renderParties(w, r, form, nil)
}

func (h *Handlers) saveParty(w http.ResponseWriter, r *http.Request) error {
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
	if _, err := h.pres.Parties.Save(r.Context(), form); err != nil {
		return h.renderParties(w, r, form, err)
	}
	return web.Redirect(w, r, "/admin/verifiers", "identity.party_saved")
}

func (h *Handlers) assignStaff(w http.ResponseWriter, r *http.Request) error {
	if _, err := actor.Require(r.Context(), actor.SysAdmin); err != nil {
		return err
	}
	u, err := h.users.ByUsername(r.Context(), r.PostFormValue("username"))
	if err == nil && u.Role != actor.Verifier {
		err = errs.Field("username", "identity.staff_not_verifier")
	}
	if errs.CodeOf(err) == errs.NotFound {
		err = errs.Field("username", "identity.staff_not_verifier")
	}
	if err == nil {
		err = h.pres.Parties.AssignStaff(r.Context(), u.ID, r.PostFormValue("party"))
	}
	if err != nil {
		return h.renderParties(w, r, RelyingParty{Active: true}, err)
	}
	return web.Redirect(w, r, "/admin/verifiers", "identity.staff_assigned")
}
