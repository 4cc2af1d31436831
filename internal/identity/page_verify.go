package identity

import (
	"net/http"
	"slices"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/humancode"
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

// The verifier's desk: the staff of a hospital or an office choose what
// they need to know, show a QR code (or scan the citizen's), and read the
// answer in large, plain words (page_verify_result.go).

// verifiers are the roles of the verifier's desk.
var verifiers = []actor.Role{actor.Verifier}

type verifyPage struct {
	Party   RelyingParty
	Parties []RelyingParty // a system admin chooses one
	Name    string
	Purpose string
	Facts   []Fact
	Code    string
	Error   string
	Field   string
}

// partyOf is the relying party the signed-in staff verify for.
func (h *Handlers) partyOf(r *http.Request) (RelyingParty, *actor.Actor, error) {
	a, err := actor.Require(r.Context(), verifiers...)
	if err != nil {
		return RelyingParty{}, nil, err
	}
	party, err := h.pres.Parties.Of(r.Context(), a, r.FormValue("party"))
	if a.Role == actor.SysAdmin && r.FormValue("party") == "" {
		// A system admin verifies for the first party until they choose.
		ps, lerr := h.pres.Parties.List(r.Context())
		if lerr != nil || len(ps) == 0 {
			return RelyingParty{}, a, errs.New(errs.NotFound, "identity.party_not_found")
		}
		party, err = ps[0], nil
	}
	return party, a, err
}

func (h *Handlers) renderVerify(w http.ResponseWriter, r *http.Request, chosen [][]string, ferr error) error {
	party, a, err := h.partyOf(r)
	if err != nil {
		return err
	}
	lang := web.PrefsFrom(r.Context()).Lang
	p := verifyPage{Party: party, Name: party.Name(lang), Purpose: party.Purpose(lang), Code: r.FormValue("code")}
	if a.Role == actor.SysAdmin {
		if p.Parties, err = h.pres.Parties.List(r.Context()); err != nil {
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
	return h.views.RenderFailure(w, r, "verify", ferr, &p.Error, &p.Field, &p)
}

func (h *Handlers) verifyForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderVerify(w, r, nil, nil)
}

func (h *Handlers) startVerify(w http.ResponseWriter, r *http.Request) error {
	party, _, err := h.partyOf(r)
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
	base := h.issuer.For(r).URL
	var req PresentationRequest
	if code := humancode.Normalize(r.PostFormValue("code")); code != "" {
		req, err = h.pres.CreateFor(r.Context(), code, party, claims, base)
	} else {
		req, err = h.pres.create(r.Context(), party, claims, base, "", "")
	}
	if err != nil {
		return h.renderVerify(w, r, claims, err)
	}
	return web.Redirect(w, r, "/verify/"+req.ID, "")
}
