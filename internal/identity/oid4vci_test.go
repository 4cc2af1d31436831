package identity

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/maeul/maeul/internal/codehash"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/sdjwt"
	"github.com/maeul/maeul/internal/web"
)

// wallet is the little OpenID4VCI client the tests play.
type wallet struct {
	t    *testing.T
	base string
}

func (w wallet) post(path string, form url.Values, bearer string, body any) (int, map[string]any) {
	w.t.Helper()
	var req *http.Request
	if body != nil {
		b, _ := json.Marshal(body)
		req, _ = http.NewRequest(http.MethodPost, w.base+path, strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req, _ = http.NewRequest(http.MethodPost, w.base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func (w wallet) token(code, pin string) (int, map[string]any) {
	return w.post("/oauth/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:pre-authorized_code"},
		"pre-authorized_code": {code}, "tx_code": {pin}}, "", nil)
}

func (w wallet) nonce() string {
	_, out := w.post("/oauth/nonce", url.Values{}, "", nil)
	return out["c_nonce"].(string)
}

func proofJWT(t *testing.T, key *ecdsa.PrivateKey, aud, nonce string, iat int64) string {
	return selfSignedJWT(t, key, "openid4vci-proof+jwt", map[string]any{"aud": aud, "iat": iat, "nonce": nonce})
}

// selfSignedJWT is an ES256 JWS of type typ carrying its own public key,
// as key proofs and DPoP proofs are.
func selfSignedJWT(t *testing.T, key *ecdsa.PrivateKey, typ string, claims map[string]any) string {
	t.Helper()
	pub, _ := jwk.Import(key.Public())
	h := jws.NewHeaders()
	h.Set("typ", typ)
	h.Set("jwk", pub)
	payload, _ := json.Marshal(claims)
	b, err := jws.Sign(payload, jws.WithKey(jwa.ES256(), key, jws.WithProtectedHeaders(h)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPreAuthorizedIssuance(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		rt := web.NewRouter(web.NewMetrics())
		srv := httptest.NewServer(rt)
		defer srv.Close()
		Register(rt, f.keys, f.cards, Issuer{URL: srv.URL}, Options{})
		w := wallet{t: t, base: srv.URL}

		offer, err := f.cards.CreateOffer(staffCtx(t, d), f.resident.ID, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := url.QueryUnescape(strings.TrimPrefix(offer.Link, "openid-credential-offer://?credential_offer="))
		var parsed struct {
			Issuer string `json:"credential_issuer"`
			Grants map[string]struct {
				Code string `json:"pre-authorized_code"`
			} `json:"grants"`
		}
		if err := json.Unmarshal([]byte(raw), &parsed); err != nil || parsed.Issuer != srv.URL {
			t.Fatalf("offer link %q: %v", offer.Link, err)
		}
		code := parsed.Grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"].Code
		// The QR code's https link carries the same offer to the web wallet.
		if wl, err := url.Parse(offer.WalletLink); err != nil || wl.Scheme+"://"+wl.Host != srv.URL || wl.Path != "/wallet/receive" ||
			wl.Query().Get("credential_offer") != raw {
			t.Fatalf("wallet link %q does not carry the offer: %v", offer.WalletLink, err)
		}

		wrong := "000000"
		if offer.PIN == wrong {
			wrong = "111111"
		}
		if st, out := w.token(code, wrong); st != 400 || out["error"] != "invalid_grant" {
			t.Fatalf("wrong PIN: %d %v", st, out)
		}
		st, out := w.token(code, offer.PIN)
		if st != 200 || out["token_type"] != "Bearer" {
			t.Fatalf("token: %d %v", st, out)
		}
		token := out["access_token"].(string)
		if st, _ := w.token(code, offer.PIN); st != 400 {
			t.Fatalf("an offer was redeemed twice: %d", st)
		}

		priv, _ := holderKeys(3)
		now := f.now.Unix()
		// Two proofs share one nonce, as a wallet fetching one c_nonce sends them.
		shared := w.nonce()
		proofs := []string{proofJWT(t, priv[0], srv.URL, shared, now), proofJWT(t, priv[1], srv.URL, shared, now), proofJWT(t, priv[2], srv.URL, w.nonce(), now)}
		badAud := proofJWT(t, priv[0], "https://elsewhere.example", w.nonce(), now)
		if st, out := w.post("/credential", nil, token, map[string]any{"credential_configuration_id": CardConfigurationID, "proofs": map[string]any{"jwt": []string{badAud}}}); st != 400 || out["error"] != "invalid_proof" {
			t.Fatalf("proof for another issuer: %d %v", st, out)
		}
		st, out = w.post("/credential", nil, token, map[string]any{"credential_configuration_id": CardConfigurationID, "proofs": map[string]any{"jwt": proofs}})
		if st != 200 {
			t.Fatalf("credential: %d %v", st, out)
		}
		creds := out["credentials"].([]any)
		if len(creds) != 3 {
			t.Fatalf("%d credentials", len(creds))
		}
		if st, _ := w.post("/credential", nil, token, map[string]any{"credential_configuration_id": CardConfigurationID, "proofs": map[string]any{"jwt": proofs}}); st != 401 {
			t.Fatalf("a token was used twice: %d", st)
		}

		// Each card is bound to its own key and verifies.
		v := f.verifier()
		v.Issuers = map[string]sdjwt.KeyLookup{srv.URL: v.Issuers[testIssuer]}
		v.Status = f.cards.LocalStatus(srv.URL)
		for i, c := range creds {
			card := c.(map[string]any)["credential"].(string)
			pres, err := sdjwt.Present(card, sdjwt.Paths([]any{"age_equal_or_over", "65"}),
				&sdjwt.KeyBinding{Key: priv[i], Audience: hospital, Nonce: fmt.Sprint("n", i), IssuedAt: f.now})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(context.Background(), pres, Request{Audience: hospital, Nonce: fmt.Sprint("n", i), Allowed: hospitalClaims}); err != nil {
				t.Fatalf("card %d: %v", i, err)
			}
		}

		// A nonce spent once cannot be spent again, even with a new token.
		offer2, err := f.cards.CreateOffer(staffCtx(t, d), f.resident.ID, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		code2 := strings.Split(strings.Split(mustUnescape(offer2.Link), `"pre-authorized_code":"`)[1], `"`)[0]
		_, out = w.token(code2, offer2.PIN)
		token2 := out["access_token"].(string)
		if st, out := w.post("/credential", nil, token2, map[string]any{"credential_configuration_id": CardConfigurationID, "proofs": map[string]any{"jwt": proofs[:1]}}); st != 400 || out["error"] != "invalid_nonce" {
			t.Fatalf("replayed proof: %d %v", st, out)
		}
		// Five wrong PINs lock an offer.
		offer3, _ := f.cards.CreateOffer(staffCtx(t, d), f.resident.ID, srv.URL)
		code3 := strings.Split(strings.Split(mustUnescape(offer3.Link), `"pre-authorized_code":"`)[1], `"`)[0]
		for range MaxPINTries {
			w.token(code3, wrong)
		}
		if st, _ := w.token(code3, offer3.PIN); st != 400 {
			t.Fatalf("a locked offer was redeemed: %d", st)
		}
	})
}

func mustUnescape(s string) string {
	u, _ := url.QueryUnescape(s)
	return u
}

// TestOfferPINsAreKeptOnlyAsKeyedHashes: an offer's PIN is stored as an
// HMAC under the platform's secret, bound to its offer — not as the SHA-256
// that trying its 10^6 values reverses — and only that secret checks it.
func TestOfferPINsAreKeptOnlyAsKeyedHashes(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		ctx := context.Background()
		offer, err := f.cards.CreateOffer(staffCtx(t, d), f.resident.ID, testIssuer)
		if err != nil {
			t.Fatal(err)
		}
		code := strings.Split(strings.Split(mustUnescape(offer.Link), `"pre-authorized_code":"`)[1], `"`)[0]
		var stored string
		if err := d.QueryRow(ctx, `SELECT tx_code_hash FROM credential_offers WHERE code_hash = $1`, hashOf(code)).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		for pin := range 1_000_000 {
			if hashOf(fmt.Sprintf("%06d", pin)) == stored {
				t.Fatalf("the stored PIN hash is the plain SHA-256 of %06d", pin)
			}
		}
		if stored != codehash.New(f.keys.secret).Sum(pinPurpose, hashOf(code), offer.PIN) {
			t.Fatalf("stored %q is not the keyed hash of the PIN bound to its offer", stored)
		}
		// Cards under another platform secret do not accept the PIN.
		other := NewCards(d, NewKeys(d, []byte("another platform secret, 32 by.")), f.registry, f.ledger)
		other.Now = f.cards.Now
		if _, _, err := other.RedeemOffer(ctx, code, offer.PIN, nil); err == nil {
			t.Fatal("a PIN checked under another secret")
		}
		if _, _, err := f.cards.RedeemOffer(ctx, code, offer.PIN, nil); err != nil {
			t.Fatalf("the right PIN: %v", err)
		}
	})
}
