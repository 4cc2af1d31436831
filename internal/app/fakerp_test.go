package app_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/sdjwt"
)

// fakeRP is a relying party that speaks the wallet's side of OpenID4VP as
// the platform's verifier will: a request object signed by a did:web key
// hosted on the same origin, answered by direct_post, and an engagement for
// "show my card to staff". It verifies presentations with internal/sdjwt,
// so a presentation it accepts is one the Go verifier accepts.
type fakeRP struct {
	t      testing.TB
	keys   *identity.Keys
	name   string // e.g. test-clinic, the last segment of its DID
	label  map[string]string
	base   string
	did    string
	signer *ecdsa.PrivateKey

	mu       sync.Mutex
	requests map[string]*fakeRequest
}

type fakeRequest struct {
	nonce, state string
	paths        [][]string
	outcome      string         // "", "valid", "invalid", "declined"
	claims       map[string]any // what was disclosed
	reason       string
}

func newFakeRP(t testing.TB, keys *identity.Keys, name string, label map[string]string) *fakeRP {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	return &fakeRP{t: t, keys: keys, name: name, label: label, signer: k, requests: map[string]*fakeRequest{}}
}

// start sets the origin the RP lives on, once the test server is up.
func (f *fakeRP) start(base string) {
	f.base = base
	u, _ := url.Parse(base)
	f.did = "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A") + ":rp:" + f.name
}

func (f *fakeRP) clientID() string { return "decentralized_identifier:" + f.did }

func (f *fakeRP) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /rp/"+f.name+"/did.json", func(w http.ResponseWriter, r *http.Request) {
		x, y := f.signer.X.FillBytes(make([]byte, 32)), f.signer.Y.FillBytes(make([]byte, 32))
		writeJSON(w, 200, map[string]any{"id": f.did, "verificationMethod": []any{map[string]any{
			"id": f.did + "#k1", "type": "JsonWebKey2020", "controller": f.did,
			"publicKeyJwk": map[string]string{"kty": "EC", "crv": "P-256", "x": b64(x), "y": b64(y)},
		}}})
	})
	mux.HandleFunc("GET /fake-rp/"+f.name+"/request/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		req := f.requests[r.PathValue("id")]
		f.mu.Unlock()
		if req == nil {
			http.NotFound(w, r)
			return
		}
		var claims []any
		for _, p := range req.paths {
			claims = append(claims, map[string]any{"path": p})
		}
		now := time.Now().Unix()
		w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
		w.Write([]byte(f.sign(map[string]any{"alg": "ES256", "typ": "oauth-authz-req+jwt", "kid": f.did + "#k1"}, map[string]any{
			"client_id": f.clientID(), "response_type": "vp_token", "response_mode": "direct_post",
			"response_uri": f.base + "/fake-rp/" + f.name + "/response", "nonce": req.nonce, "state": req.state,
			"dcql_query": map[string]any{"credentials": []any{map[string]any{
				"id": "card", "format": "dc+sd-jwt", "meta": map[string]any{"vct_values": []string{identity.CardType}}, "claims": claims,
			}}},
			"client_metadata": map[string]any{"client_name": f.label["en"], "client_name#ko": f.label["ko"], "client_name#en": f.label["en"],
				"purpose#ko": "진료비 감면 대상인지 확인합니다", "purpose#en": "To check whether you get the reduced fee",
				"vp_formats_supported": map[string]any{"dc+sd-jwt": map[string]any{}}},
			"iat": now, "exp": now + 600, "aud": "https://self-issued.me/v2",
		})))
	})
	mux.HandleFunc("POST /fake-rp/"+f.name+"/response", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.mu.Lock()
		defer f.mu.Unlock()
		var req *fakeRequest
		for _, q := range f.requests {
			if q.state == r.PostForm.Get("state") && q.outcome == "" {
				req = q
			}
		}
		if req == nil {
			writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "unknown state"})
			return
		}
		if r.PostForm.Get("error") == "access_denied" {
			req.outcome = "declined"
			writeJSON(w, 200, map[string]string{})
			return
		}
		var vp map[string][]string
		if err := json.Unmarshal([]byte(r.PostForm.Get("vp_token")), &vp); err != nil || len(vp["card"]) != 1 {
			req.outcome, req.reason = "invalid", "vp_token"
			writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "no vp_token for card"})
			return
		}
		claims, err := sdjwt.Verify(r.Context(), vp["card"][0], &sdjwt.VerifyOptions{
			IssuerKey: func(ctx context.Context, iss string, h map[string]any) (crypto.PublicKey, error) {
				kid, _ := h["kid"].(string)
				return f.keys.Verifier(ctx, kid)
			},
			Types: []string{sdjwt.TypeVC}, RequireKeyBinding: true, Audience: f.clientID(), Nonce: req.nonce,
		})
		if err != nil {
			req.outcome, req.reason = "invalid", err.Error()
			writeJSON(w, 400, map[string]string{"error": "invalid_presentation", "error_description": err.Error()})
			return
		}
		req.outcome, req.claims = "valid", claims
		writeJSON(w, 200, map[string]string{})
	})
}

// ask makes a request for paths and returns its id and wallet link.
func (f *fakeRP) ask(paths ...[]string) (string, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := b64(randomBytes(9))
	f.requests[id] = &fakeRequest{nonce: b64(randomBytes(16)), state: b64(randomBytes(16)), paths: paths}
	return id, f.base + "/wallet/present?client_id=" + url.QueryEscape(f.clientID()) +
		"&request_uri=" + url.QueryEscape(f.base+"/fake-rp/"+f.name+"/request/"+id)
}

func (f *fakeRP) result(id string) fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.requests[id]
}

func (f *fakeRP) sign(header, payload map[string]any) string {
	h, _ := json.Marshal(header)
	p, _ := json.Marshal(payload)
	input := b64(h) + "." + b64(p)
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, f.signer, sum[:])
	if err != nil {
		f.t.Fatal(err)
	}
	return input + "." + b64(append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// fakeEngage is the platform's side of "show my card to staff": it hands
// out one engagement and, once the test sets a request, that request.
type fakeEngage struct {
	mu   sync.Mutex
	link string
}

func (e *fakeEngage) request(link string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.link = link
}

func (e *fakeEngage) routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /vp/engage", func(w http.ResponseWriter, r *http.Request) {
		link := "http://" + r.Host + "/verify?code=ABCDEFGH"
		svg, _ := qr.SVG(link, 320, "QR")
		writeJSON(w, 200, map[string]string{"code": "ABCDEFGH", "qr": link, "qr_svg": string(svg), "poll": "/vp/engage/s3cret"})
	})
	mux.HandleFunc("GET /vp/engage/s3cret", func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.link == "" {
			writeJSON(w, 200, map[string]string{"status": "waiting"})
			return
		}
		writeJSON(w, 200, map[string]string{"status": "request", "link": e.link})
	})
}
