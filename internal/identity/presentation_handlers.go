package identity

import (
	"net/http"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// registerPresentation serves the wallet-facing side of OpenID4VP: the
// signed request objects, the direct_post response endpoint, the parties'
// DID documents and the engagements of wallets that show a QR code. Wallets
// call these without cookies; the request's state and nonce, and the
// engagement's secret, authenticate them instead.
func registerPresentation(rt *web.Router, keys *Keys, pres *Presentations, issuer Issuer) {
	limits := auth.NewLimits(pres.db)
	limits.Now = func() time.Time { return pres.Now() }
	rt.Handle("GET /vp/request/{id}", func(w http.ResponseWriter, r *http.Request) error {
		obj, err := pres.RequestObject(r.Context(), r.PathValue("id"), issuer.For(r).URL)
		if err != nil {
			return vpError(w, r, err)
		}
		w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
		w.Header().Set("Cache-Control", "no-store")
		_, err = w.Write([]byte(obj))
		return err
	})
	rt.Handle("POST /vp/response", func(w http.ResponseWriter, r *http.Request) error {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		next, err := pres.Respond(r.Context(), issuer.For(r).URL, Answer{
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
	})
	rt.Handle("GET /rp/{slug}/did.json", func(w http.ResponseWriter, r *http.Request) error {
		party, err := pres.Parties.BySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			return err
		}
		pubs, err := keys.Published(r.Context())
		if err != nil {
			return err
		}
		doc := didDocument(PartyDID(issuer.For(r).URL, party.Slug), pubs)
		doc["authentication"] = doc["assertionMethod"]
		return writeJSON(w, doc)
	})
	rt.Handle("POST /vp/engage", func(w http.ResponseWriter, r *http.Request) error {
		if err := limits.Allow(r.Context(), auth.ClientBucket("vp-engage", r), EngagementsPerAddress); err != nil {
			return vpError(w, r, err)
		}
		e, err := pres.Engage(r.Context(), issuer.For(r).URL)
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
	})
	rt.Handle("GET /vp/engage/{secret}", func(w http.ResponseWriter, r *http.Request) error {
		link, err := pres.Poll(r.Context(), r.PathValue("secret"), issuer.For(r).URL)
		if err != nil {
			return vpError(w, r, err)
		}
		if link == "" {
			return noStore(w, http.StatusOK, map[string]string{"status": "waiting"})
		}
		return noStore(w, http.StatusOK, map[string]string{"status": "request", "link": link})
	})
}

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

// RegisterVerifier serves OpenID4VP for the platform's relying parties and
// the verifier's desk; opts.Places names the codes of districts and living
// zones, so that a disclosed place reads as a name.
func RegisterVerifier(rt *web.Router, keys *Keys, pres *Presentations, issuer Issuer, opts Options) {
	registerPresentation(rt, keys, pres, issuer)
	registerVerifier(rt, pres, issuer, opts.Places)
	registerParties(rt, pres.Parties, auth.NewUsers(pres.db))
}
