package identity

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

func dpopJWT(t *testing.T, key *ecdsa.PrivateKey, jti, htm, htu, token string, iat int64) string {
	claims := map[string]any{"jti": jti, "htm": htm, "htu": htu, "iat": iat}
	if token != "" {
		sum := sha256.Sum256([]byte(token))
		claims["ath"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return selfSignedJWT(t, key, "dpop+jwt", claims)
}

// TestDPoPBindsTheAccessToken: a token asked for with a DPoP proof is bound
// to that key; without a fresh proof of that key it buys nothing.
func TestDPoPBindsTheAccessToken(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		rt := web.NewRouter(web.NewMetrics())
		srv := httptest.NewServer(rt)
		defer srv.Close()
		Register(rt, f.keys, f.cards, Issuer{URL: srv.URL}, Options{})
		send := func(path string, header map[string]string, body string) (int, map[string]any) {
			t.Helper()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
			for k, v := range header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var out map[string]any
			json.Unmarshal(raw, &out)
			return resp.StatusCode, out
		}
		now := f.now.Unix()
		keys, _ := holderKeys(3)
		dk, other := keys[0], keys[1]
		offer, err := f.cards.CreateOffer(staffCtx(t, d), f.resident.ID, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		code := strings.Split(strings.Split(mustUnescape(offer.Link), `"pre-authorized_code":"`)[1], `"`)[0]
		form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:pre-authorized_code"}, "pre-authorized_code": {code}, "tx_code": {offer.PIN}}.Encode()
		formType := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
		with := func(h map[string]string, k, v string) map[string]string {
			out := map[string]string{k: v}
			for a, b := range h {
				out[a] = b
			}
			return out
		}

		// A proof for another endpoint is refused and leaves the offer unused.
		if st, out := send("/oauth/token", with(formType, "DPoP", dpopJWT(t, dk, "j0", "POST", srv.URL+"/credential", "", now)), form); st != 400 || out["error"] != "invalid_dpop_proof" {
			t.Fatalf("wrong htu: %d %v", st, out)
		}
		if st, out := send("/oauth/token", with(formType, "DPoP", dpopJWT(t, dk, "j0", "POST", srv.URL+"/oauth/token", "", now-3600)), form); st != 400 || out["error"] != "invalid_dpop_proof" {
			t.Fatalf("stale proof: %d %v", st, out)
		}
		st, out := send("/oauth/token", with(formType, "DPoP", dpopJWT(t, dk, "j1", "POST", srv.URL+"/oauth/token", "", now)), form)
		if st != 200 || out["token_type"] != "DPoP" {
			t.Fatalf("token: %d %v", st, out)
		}
		token := out["access_token"].(string)

		w := wallet{t: t, base: srv.URL}
		body, _ := json.Marshal(map[string]any{"credential_configuration_id": CardConfigurationID,
			"proofs": map[string]any{"jwt": []string{proofJWT(t, keys[2], srv.URL, w.nonce(), now)}}})
		jsonType := map[string]string{"Content-Type": "application/json"}
		credential := srv.URL + "/credential"
		for name, h := range map[string]map[string]string{
			"as a bearer token":    with(jsonType, "Authorization", "Bearer "+token),
			"without a proof":      with(jsonType, "Authorization", "DPoP "+token),
			"with another key":     with(with(jsonType, "Authorization", "DPoP "+token), "DPoP", dpopJWT(t, other, "j2", "POST", credential, token, now)),
			"without ath":          with(with(jsonType, "Authorization", "DPoP "+token), "DPoP", dpopJWT(t, dk, "j3", "POST", credential, "", now)),
			"for another endpoint": with(with(jsonType, "Authorization", "DPoP "+token), "DPoP", dpopJWT(t, dk, "j4", "POST", srv.URL+"/oauth/token", token, now)),
		} {
			if st, out := send("/credential", h, string(body)); st < 400 || st > 401 {
				t.Errorf("%s: %d %v", name, st, out)
			}
		}
		// The token-request proof cannot be replayed here either.
		replay := with(with(jsonType, "Authorization", "DPoP "+token), "DPoP", dpopJWT(t, dk, "j1", "POST", credential, token, now))
		if st, out := send("/credential", replay, string(body)); st != 400 || out["error"] != "invalid_dpop_proof" {
			// j1 was spent under the same key at the token endpoint.
			t.Errorf("replayed jti: %d %v", st, out)
		}
		good := with(with(jsonType, "Authorization", "DPoP "+token), "DPoP", dpopJWT(t, dk, "j5", "POST", credential, token, now))
		if st, out := send("/credential", good, string(body)); st != 200 || len(out["credentials"].([]any)) != 1 {
			t.Fatalf("credential with the bound key: %d %v", st, out)
		}
	})
}

func TestPruneForgetsExpiredSecrets(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		ctx := t.Context()
		if _, err := f.cards.NewNonce(ctx); err != nil {
			t.Fatal(err)
		}
		count := func() (n int) {
			d.QueryRow(ctx, `SELECT COUNT(*) FROM issuance_nonces`).Scan(&n)
			return n
		}
		if err := f.cards.Prune(ctx); err != nil || count() != 1 {
			t.Fatalf("a live nonce was pruned: %v", err)
		}
		f.now = f.now.Add(NonceLifetime + time.Second)
		if err := f.cards.Prune(ctx); err != nil || count() != 0 {
			t.Fatalf("an expired nonce was kept: %v", err)
		}
	})
}
