package identity

import (
	"net/http"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// vpError answers a wallet in OAuth's error shape, the description in the
// language the wallet asked for, so that it can show it as it is.
func vpError(w http.ResponseWriter, r *http.Request, err error) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	code, status := "invalid_request", web.Status(e)
	switch e.Code {
	case errs.NotFound:
		code = "invalid_request_uri"
	case errs.Invalid, errs.Forbidden:
		status = http.StatusBadRequest
	case errs.TooMany:
		code = "temporarily_unavailable"
		web.RetryAfter(w, e)
	}
	return noStore(w, status, map[string]string{"error": code, "error_description": web.Message(r, e)})
}

// The wallet-facing side of OpenID4VP: the signed request objects, the
// direct_post response endpoint, the parties' DID documents and the
// engagements of wallets that show a QR code. Wallets call these without
// cookies; the request's state and nonce, and the engagement's secret,
// authenticate them instead.

func (h *Handlers) requestObject(w http.ResponseWriter, r *http.Request) error {
	obj, err := h.pres.RequestObject(r.Context(), r.PathValue("id"), h.issuer.For(r).URL)
	if err != nil {
		return vpError(w, r, err)
	}
	w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(obj))
	return err
}

func (h *Handlers) vpResponse(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	next, err := h.pres.Respond(r.Context(), h.issuer.For(r).URL, Answer{
		State: r.PostFormValue("state"), VPToken: r.PostFormValue("vp_token"), Error: r.PostFormValue("error"),
	})
	if err != nil {
		return vpError(w, r, err)
	}
	body := map[string]any{}
	if next != "" {
		body["redirect_uri"] = next
	}
	return noStore(w, http.StatusOK, body)
}

func (h *Handlers) partyDID(w http.ResponseWriter, r *http.Request) error {
	party, err := h.pres.Parties.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	pubs, err := h.keys.Published(r.Context())
	if err != nil {
		return err
	}
	doc := didDocument(PartyDID(h.issuer.For(r).URL, party.Slug), pubs)
	doc["authentication"] = doc["assertionMethod"]
	return writeJSON(w, doc)
}

func (h *Handlers) engage(w http.ResponseWriter, r *http.Request) error {
	if err := h.limits.Allow(r.Context(), auth.ClientBucket("vp-engage", r), EngagementsPerAddress); err != nil {
		return vpError(w, r, err)
	}
	e, err := h.pres.Engage(r.Context(), h.issuer.For(r).URL)
	if err != nil {
		return err
	}
	svg, err := qr.SVG(e.ScanLink, 320, web.T(r, "identity.engage_qr_label"))
	if err != nil {
		return err
	}
	return noStore(w, http.StatusOK, map[string]any{
		"code": e.Code, "qr": e.ScanLink, "qr_svg": string(svg), "poll": "/vp/engage/" + e.Secret,
		"expires_in": int(EngagementLifetime.Seconds()),
	})
}

func (h *Handlers) pollEngagement(w http.ResponseWriter, r *http.Request) error {
	link, err := h.pres.Poll(r.Context(), r.PathValue("secret"), h.issuer.For(r).URL)
	if err != nil {
		return vpError(w, r, err)
	}
	if link == "" {
		return noStore(w, http.StatusOK, map[string]string{"status": "waiting"})
	}
	return noStore(w, http.StatusOK, map[string]string{"status": "request", "link": link})
}
