package wallet

import (
	"net/http"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/web"
)

// island is the JSON data island of a wallet page
// (<script type="application/json">, which the CSP allows because it does
// not run): the texts the script shows, in the page's language, and what a
// card's codes mean.
type island struct {
	Lang      string            `json:"lang"`
	CSRF      string            `json:"csrf"`
	CardType  string            `json:"card_type"`
	Districts map[string]string `json:"districts"` // code -> name
	Zones     map[string]string `json:"zones"`     // living zone code -> name
	Claims    map[string]string `json:"claims"`    // dot-joined claim path -> plain words
	Msg       map[string]string `json:"msg"`       // catalogue key without "wallet.js." -> text
}

// scriptMessages are the texts the scripts build their messages from;
// everything else is in the page's HTML.
var scriptMessages = []string{
	"age_range", "age_over", "copies", "received_on",
	"pin_format", "offer_invalid", "offer_foreign", "pin_wrong", "offer_dead", "network", "failed", "receiving",
	"request_invalid", "request_foreign", "request_expired", "request_unsupported", "asks", "cannot",
	"sending", "accepted", "accepted_text", "refused", "refused_text", "declined", "declined_text",
	"engage_failed", "engage_waiting", "engage_opening",
	"scan_starting", "scan_scanning", "scan_denied", "scan_stopped", "scan_not_request", "link_invalid",
	"outcome_accepted", "outcome_refused", "outcome_declined", "outcome_failed",
}

func newIsland(r *http.Request, opts Options) island {
	v := i18n.For(web.PrefsFrom(r.Context()).Lang)
	is := island{
		Lang: v.Lang, CSRF: web.CSRFToken(r.Context()), CardType: identity.CardType,
		Districts: map[string]string{}, Zones: map[string]string{}, Claims: map[string]string{}, Msg: map[string]string{},
	}
	for _, d := range opts.Districts(v.Lang) {
		is.Districts[d.Value] = d.Label
	}
	if opts.Zones != nil {
		for _, z := range opts.Zones(v.Lang) {
			is.Zones[z.Value] = z.Label
		}
	}
	for _, p := range identity.ClaimPaths {
		is.Claims[identity.ClaimKey(p)] = v.T("identity.claim." + identity.ClaimKey(p))
	}
	for _, k := range scriptMessages {
		is.Msg[k] = v.T("wallet.js." + k)
	}
	is.Msg["yes"], is.Msg["no"] = v.T("identity.yes"), v.T("identity.no")
	return is
}
