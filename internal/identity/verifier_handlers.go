package identity

import (
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/humancode"
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// Fact is one claim as a verifier's page lists it: its catalogue label and,
// once answered, the kind of answer and its value in words.
type Fact struct {
	Key     string // e.g. "address.district"
	Label   string
	Answer  string // AnswerYes, AnswerNo, AnswerValue or AnswerNone
	Value   string
	Checked bool
}

// registerVerifier serves the verifier's desk: the staff of a hospital or an
// office choose what they need to know, show a QR code (or scan the
// citizen's), and read the answer in large, plain words.
func registerVerifier(rt *web.Router, pres *Presentations, issuer Issuer, places func(lang string) map[string]string) {
	views := web.MustViews(templateFS)
	staff := []actor.Role{actor.Verifier}
	type page struct {
		Party   RelyingParty
		Parties []RelyingParty // a system admin chooses one
		Name    string
		Purpose string
		Facts   []Fact
		Code    string
		Error   string
		Field   string
	}
	partyOf := func(r *http.Request) (RelyingParty, *actor.Actor, error) {
		a, err := actor.Require(r.Context(), staff...)
		if err != nil {
			return RelyingParty{}, nil, err
		}
		party, err := pres.Parties.Of(r.Context(), a, r.FormValue("party"))
		if a.Role == actor.SysAdmin && r.FormValue("party") == "" {
			// A system admin verifies for the first party until they choose.
			ps, lerr := pres.Parties.List(r.Context())
			if lerr != nil || len(ps) == 0 {
				return RelyingParty{}, a, errs.New(errs.NotFound, "identity.party_not_found")
			}
			party, err = ps[0], nil
		}
		return party, a, err
	}
	form := func(w http.ResponseWriter, r *http.Request, chosen [][]string, ferr error) error {
		party, a, err := partyOf(r)
		if err != nil {
			return err
		}
		lang := web.PrefsFrom(r.Context()).Lang
		p := page{Party: party, Name: party.Name(lang), Purpose: party.Purpose(lang), Code: r.FormValue("code")}
		if a.Role == actor.SysAdmin {
			if p.Parties, err = pres.Parties.List(r.Context()); err != nil {
				return err
			}
		}
		if chosen == nil {
			chosen = party.Asks
		}
		for _, c := range party.Claims {
			p.Facts = append(p.Facts, Fact{Key: ClaimKey(c), Label: web.T(r, "identity.claim."+ClaimKey(c)),
				Checked: slices.ContainsFunc(chosen, func(x []string) bool { return slices.Equal(x, c) })})
		}
		status, err := web.FormFailure(r, ferr, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "verify", p)
	}
	rt.Handle("GET /verify", func(w http.ResponseWriter, r *http.Request) error { return form(w, r, nil, nil) })
	rt.Handle("POST /verify", func(w http.ResponseWriter, r *http.Request) error {
		party, _, err := partyOf(r)
		if err != nil {
			return err
		}
		r.ParseForm()
		var claims [][]string
		for _, k := range r.PostForm["claim"] {
			if c, ok := ParseClaimKey(k); ok {
				claims = append(claims, c)
			}
		}
		base := issuer.For(r).URL
		var req PresentationRequest
		if code := humancode.Normalize(r.PostFormValue("code")); code != "" {
			req, err = pres.CreateFor(r.Context(), code, party, claims, base)
		} else {
			req, err = pres.create(r.Context(), party, claims, base, "", "")
		}
		if err != nil {
			return form(w, r, claims, err)
		}
		return web.Redirect(w, r, "/verify/"+req.ID, "")
	})

	type resultPage struct {
		PresentationResult
		Name    string
		Card    string // CardState: the card's validity, on its own line
		Facts   []Fact // each question asked with its own answer
		QR      template.HTML
		Wallet  template.URL
		OpenID  template.URL
		Reason  string
		Pending bool
	}
	// owned is a request the signed-in staff may see: their party's. It is
	// checked before anything disclosed is read, so that only reads by the
	// party's own staff reach the audit log.
	owned := func(r *http.Request) (PresentationRequest, string, error) {
		a, err := actor.Require(r.Context(), staff...)
		if err != nil {
			return PresentationRequest{}, "", err
		}
		req, outcome, err := pres.Outcome(r.Context(), r.PathValue("id"), issuer.For(r).URL)
		if err != nil {
			return req, "", err
		}
		if a.Role != actor.SysAdmin {
			if own, err := pres.Parties.Of(r.Context(), a, ""); err != nil || own.ID != req.Party.ID {
				return PresentationRequest{}, "", errs.New(errs.NotFound, "identity.request_not_found")
			}
		}
		return req, outcome, nil
	}
	rt.Handle("GET /verify/{id}", func(w http.ResponseWriter, r *http.Request) error {
		if _, _, err := owned(r); err != nil {
			return err
		}
		res, err := pres.Result(r.Context(), r.PathValue("id"), issuer.For(r).URL)
		if err != nil {
			return err
		}
		lang := web.PrefsFrom(r.Context()).Lang
		p := resultPage{PresentationResult: res, Name: res.Party.Name(lang), Pending: res.Outcome == OutcomePending,
			Wallet: template.URL(res.WalletLink), OpenID: template.URL(res.OpenIDLink)}
		if res.Reason != "" {
			p.Reason = web.T(r, res.Reason, res.Detail)
			if res.Detail == "" {
				p.Reason = web.T(r, res.Reason)
			}
		}
		p.Card = CardState(res.Outcome, res.Reason)
		for _, c := range res.PresentationRequest.Claims {
			f := Fact{Key: ClaimKey(c), Label: web.T(r, "identity.claim."+ClaimKey(c)), Answer: AnswerNone}
			// An answer is read only from a valid card.
			if v, ok := ClaimValue(res.Claims, c); ok && p.Card == CardValid {
				f.Answer, f.Value = answerKind(v), factValue(r, c, v, places(lang))
			}
			p.Facts = append(p.Facts, f)
		}
		if p.Pending {
			if p.QR, err = qr.SVG(res.WalletLink, 320, web.T(r, "identity.verify_qr_label")); err != nil {
				return err
			}
		}
		return views.Render(w, r, http.StatusOK, "verify_result", p)
	})
	rt.Handle("GET /verify/{id}/status", func(w http.ResponseWriter, r *http.Request) error {
		_, outcome, err := owned(r)
		if err != nil {
			return err
		}
		return noStore(w, http.StatusOK, map[string]bool{"answered": outcome != OutcomePending})
	})
	rt.AddNav(web.NavItem{Key: "nav.verify", Href: "/verify", Group: web.GroupWorkCard, Roles: staff})
}

// factValue says a disclosed value in words: yes or no, the name of a
// district or a living zone (places maps their codes to names).
func factValue(r *http.Request, path []string, v any, places map[string]string) string {
	switch x := v.(type) {
	case bool:
		if x {
			return web.T(r, "identity.yes")
		}
		return web.T(r, "identity.no")
	case string:
		if (slices.Equal(path, []string{"address", "district"}) || slices.Equal(path, []string{"address", "living_zone"})) && places[x] != "" {
			return places[x]
		}
		return x
	case float64:
		return fmt.Sprint(int64(x))
	case map[string]any:
		// A whole object (the address): each part in words, in order.
		keys := slices.Sorted(maps.Keys(x))
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			if s := factValue(r, append(slices.Clip(path), k), x[k], places); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " · ")
	}
	return fmt.Sprint(v)
}
