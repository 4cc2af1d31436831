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
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// The answer at the verifier's desk: each question asked with its own
// answer, the card's validity on its own line, and while the wallet has
// not answered, the QR code it scans.

type verifyResultPage struct {
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

// ownedRequest is a request the signed-in staff may see: their party's.
// It is checked before anything disclosed is read, so that only reads by
// the party's own staff reach the audit log.
func (h *Handlers) ownedRequest(r *http.Request) (PresentationRequest, string, error) {
	a, err := actor.Require(r.Context(), verifiers...)
	if err != nil {
		return PresentationRequest{}, "", err
	}
	req, outcome, err := h.pres.Outcome(r.Context(), r.PathValue("id"), h.issuer.For(r).URL)
	if err != nil {
		return req, "", err
	}
	if a.Role != actor.SysAdmin {
		if own, err := h.pres.Parties.Of(r.Context(), a, ""); err != nil || own.ID != req.Party.ID {
			return PresentationRequest{}, "", errs.New(errs.NotFound, "identity.request_not_found")
		}
	}
	return req, outcome, nil
}

func (h *Handlers) verifyResult(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := h.ownedRequest(r); err != nil {
		return err
	}
	res, err := h.pres.Result(r.Context(), r.PathValue("id"), h.issuer.For(r).URL)
	if err != nil {
		return err
	}
	lang := web.PrefsFrom(r.Context()).Lang
	p := verifyResultPage{PresentationResult: res, Name: res.Party.Name(lang), Pending: res.Outcome == OutcomePending,
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
			f.Answer, f.Value = answerKind(v), factValue(r, c, v, h.placeNames(lang))
		}
		p.Facts = append(p.Facts, f)
	}
	if p.Pending {
		if p.QR, err = qr.SVG(res.WalletLink, 320, web.T(r, "identity.verify_qr_label")); err != nil {
			return err
		}
	}
	return h.views.Render(w, r, http.StatusOK, "verify_result", p)
}

func (h *Handlers) verifyStatus(w http.ResponseWriter, r *http.Request) error {
	_, outcome, err := h.ownedRequest(r)
	if err != nil {
		return err
	}
	return noStore(w, http.StatusOK, map[string]bool{"answered": outcome != OutcomePending})
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
