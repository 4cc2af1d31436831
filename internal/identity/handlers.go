package identity

import (
	"embed"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves the part's documents, protocol endpoints and pages: the
// issuer's side (Register) and the verifier's (RegisterVerifier), each
// with what it needs.
type Handlers struct {
	keys     *Keys
	cards    *Cards
	registry *Registry
	pres     *Presentations
	users    *auth.Users
	issuer   Issuer
	places   func(lang string) map[string]string // names of district and zone codes; nil: the codes
	views    *web.Views
	limits   *auth.Limits // the wallets' anonymous writes, per client address
}

func (h *Handlers) placeNames(lang string) map[string]string {
	if h.places == nil {
		return nil
	}
	return h.places(lang)
}

// newHandlers are the handlers of one side, its wallets' anonymous writes
// limited in d at the side's clock.
func newHandlers(keys *Keys, issuer Issuer, places func(lang string) map[string]string, d *db.DB, now func() time.Time) *Handlers {
	h := &Handlers{keys: keys, issuer: issuer, places: places, views: web.MustViews(templateFS), limits: auth.NewLimits(d)}
	h.limits.Now = now
	return h
}

// Register serves the issuer's side: the DID document, the JWT VC issuer
// metadata, the status lists, OpenID4VCI, and the card pages of staff and
// citizens.
func Register(rt *web.Router, keys *Keys, cards *Cards, issuer Issuer, opts Options) {
	h := newHandlers(keys, issuer, opts.Places, cards.db, func() time.Time { return cards.Now() })
	h.cards, h.registry = cards, cards.registry
	// The issuer's public documents (did.go).
	rt.Handle("GET /status/{id}", h.statusList)
	rt.Handle("GET /.well-known/did.json", h.didDocumentJSON)
	rt.Handle("GET /.well-known/jwt-vc-issuer", h.jwtVCIssuer)
	// OpenID4VCI (oid4vci_handlers.go).
	rt.Handle("GET /.well-known/openid-credential-issuer", h.issuerMetadata)
	rt.Handle("GET /.well-known/oauth-authorization-server", h.authorizationServer)
	rt.Handle("POST /oauth/token", h.token)
	rt.Handle("POST /oauth/nonce", h.nonce)
	rt.Handle("POST /credential", h.credential)
	// The card desk (page_cards.go).
	rt.Handle("GET /admin/cards", h.cardsPage)
	rt.Handle("POST /admin/cards/{id}/proof", h.recordProof)
	rt.Handle("POST /admin/cards/{id}/offer", h.deskOffer)
	rt.Handle("POST /admin/cards/{id}/status", h.setCardStatus)
	// My citizen card (page_my_card.go).
	rt.Handle("GET /my/card", h.myCard)
	rt.Handle("POST /my/card/proof", h.proofMyself)
	rt.Handle("POST /my/card/offer", h.myOffer)
	rt.Handle("POST /my/card/suspend", h.suspendMine)
	rt.Handle("GET /my/card/receipts/{seq}", h.myReceipt)
	rt.AddNav(
		web.NavItem{Key: "nav.cards", Href: "/admin/cards", Group: web.GroupWorkCard, Roles: desk},
		web.NavItem{Key: "nav.my_card", Href: "/my/card", Group: web.GroupCard, Roles: []actor.Role{actor.Citizen}},
	)
}

// RegisterVerifier serves the verifier's side: OpenID4VP for the
// platform's relying parties, the verifier's desk and the register of
// parties. opts.Places names the codes of districts and living zones in a
// language, so that a disclosed place reads as a name.
func RegisterVerifier(rt *web.Router, keys *Keys, pres *Presentations, issuer Issuer, opts Options) {
	h := newHandlers(keys, issuer, opts.Places, pres.db, func() time.Time { return pres.Now() })
	h.pres, h.users = pres, auth.NewUsers(pres.db)
	// The wallet-facing side of OpenID4VP (presentation_handlers.go).
	rt.Handle("GET /vp/request/{id}", h.requestObject)
	rt.Handle("POST /vp/response", h.vpResponse)
	rt.Handle("GET /rp/{slug}/did.json", h.partyDID)
	rt.Handle("POST /vp/engage", h.engage)
	rt.Handle("GET /vp/engage/{secret}", h.pollEngagement)
	// The verifier's desk (page_verify.go, page_verify_result.go).
	rt.Handle("GET /verify", h.verifyForm)
	rt.Handle("POST /verify", h.startVerify)
	rt.Handle("GET /verify/{id}", h.verifyResult)
	rt.Handle("GET /verify/{id}/status", h.verifyStatus)
	// The register of relying parties (page_verifiers.go).
	rt.Handle("GET /admin/verifiers", h.partiesPage)
	rt.Handle("POST /admin/verifiers", h.saveParty)
	rt.Handle("POST /admin/verifiers/staff", h.assignStaff)
	rt.AddNav(
		web.NavItem{Key: "nav.verify", Href: "/verify", Group: web.GroupWorkCard, Roles: verifiers},
		web.NavItem{Key: "nav.verifiers", Href: "/admin/verifiers", Group: web.GroupWorkCard, Roles: []actor.Role{actor.SysAdmin}},
	)
}
