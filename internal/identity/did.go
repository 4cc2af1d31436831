package identity

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/statuslist"
	"github.com/maeul/maeul/internal/web"
)

// Issuer names the city as an issuer: its public URL (the `iss` of its
// credentials) and the did:web identifier derived from it.
type Issuer struct {
	URL string // e.g. https://maeul.busan.go.kr
}

// For is the issuer as seen by request r: the configured public address,
// or else the site's (web.BaseURL: the request's own only on a
// development server on loopback).
func (i Issuer) For(r *http.Request) Issuer {
	if i.URL != "" {
		return i
	}
	return Issuer{URL: web.BaseURL(r)}
}

// DID is the issuer's did:web identifier: the host (a port encoded as %3A)
// and any path, with slashes as colons (did:web method specification).
func (i Issuer) DID() string {
	u, err := url.Parse(i.URL)
	if err != nil {
		return ""
	}
	did := "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A")
	if p := strings.Trim(u.Path, "/"); p != "" {
		did += ":" + strings.ReplaceAll(p, "/", ":")
	}
	return did
}

// StatusTTL is how long verifiers may cache a status list: a suspension
// reaches every verifier within this time.
const StatusTTL = 5 * time.Minute

// Options are what the part's pages need from the rest of the platform.
type Options struct {
	// Places names the codes of districts and living zones in a language,
	// so that the card desk and the verifier's desk show a resident's
	// district and zone by name.
	Places func(lang string) map[string]string
}

func didDocument(did string, pubs []PublicKey) map[string]any {
	methods := make([]map[string]any, len(pubs))
	refs := make([]string, len(pubs))
	for i, p := range pubs {
		refs[i] = did + "#" + p.Kid
		methods[i] = map[string]any{"id": refs[i], "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": p.JWK}
	}
	return map[string]any{
		"@context":           []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"},
		"id":                 did,
		"verificationMethod": methods,
		"assertionMethod":    refs,
	}
}

// writeJSON serves public metadata: cacheable briefly, so that a rotation
// reaches verifiers within minutes.
func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return json.NewEncoder(w).Encode(v)
}

// The issuer's public documents: the status lists, its DID document and
// its JWT VC issuer metadata.

func (h *Handlers) statusList(w http.ResponseWriter, r *http.Request) error {
	tok, err := h.cards.StatusListToken(r.Context(), r.PathValue("id"), h.issuer.For(r).URL, StatusTTL)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", statuslist.MediaType)
	w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(int(StatusTTL.Seconds())))
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err = w.Write([]byte(tok))
	return err
}

func (h *Handlers) didDocumentJSON(w http.ResponseWriter, r *http.Request) error {
	pubs, err := h.keys.Published(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, didDocument(h.issuer.For(r).DID(), pubs))
}

func (h *Handlers) jwtVCIssuer(w http.ResponseWriter, r *http.Request) error {
	pubs, err := h.keys.Published(r.Context())
	if err != nil {
		return err
	}
	jwks := make([]json.RawMessage, len(pubs))
	for i, p := range pubs {
		jwks[i] = p.JWK
	}
	return writeJSON(w, map[string]any{"issuer": h.issuer.For(r).URL, "jwks": map[string]any{"keys": jwks}})
}
