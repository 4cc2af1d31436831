package sdjwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

var (
	issuedAt = time.Unix(1767225600, 0) // 2026-01-01
	audience = "https://verifier.maeul.example"
	nonce    = "n-0S6_WzA2Mj"
)

type fixture struct {
	issuer, holder, other *ecdsa.PrivateKey
	sdjwt                 string // as issued
	pres                  string // two claims disclosed, key bound
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// citizenCard is a realistic card: ten selectively disclosable claims.
func citizenCard() map[string]any {
	return map[string]any{
		"iss": "https://maeul.example", "vct": "urn:maeul:citizen-card:1",
		"iat": issuedAt.Unix(), "exp": issuedAt.Add(365 * 24 * time.Hour).Unix(),
		"given_name": SD("Minji"), "family_name": SD("Kim"), "birthdate": SD("1990-04-01"),
		"resident": SD(true), "age_over_18": SD(true), "citizen_id": SD("M-2026-00042"),
		"email": SD("minji@example.org"), "phone_number": SD("+82-10-0000-0000"),
		"nationalities": SD([]any{"KR"}),
		"address":       SD(map[string]any{"locality": "Seoul", "street_address": "1 Sejong-daero"}),
	}
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{issuer: newKey(t), holder: newKey(t), other: newKey(t)}
	is := Issuer{Key: f.issuer, Header: map[string]any{"typ": TypeVC}, Decoys: 3}
	var err error
	if f.sdjwt, err = is.Issue(citizenCard(), f.holder.Public()); err != nil {
		t.Fatal(err)
	}
	f.pres = f.present(t, f.sdjwt, &KeyBinding{Key: f.holder, Audience: audience, Nonce: nonce, IssuedAt: issuedAt})
	return f
}

func (f *fixture) present(t testing.TB, sdjwt string, kb *KeyBinding) string {
	p, err := Present(sdjwt, Paths([]any{"given_name"}, []any{"age_over_18"}), kb)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) opts() *VerifyOptions {
	return &VerifyOptions{
		IssuerKey: func(_ context.Context, iss string, _ map[string]any) (crypto.PublicKey, error) {
			if iss != "https://maeul.example" {
				return nil, errors.New("unknown issuer")
			}
			return &f.issuer.PublicKey, nil
		},
		Types:             []string{TypeVC},
		RequireKeyBinding: true,
		Audience:          audience,
		Nonce:             nonce,
		Now:               func() time.Time { return issuedAt.Add(time.Minute) },
		Skew:              30 * time.Second,
	}
}

func TestVerifyPresentation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	got, err := Verify(context.Background(), f.pres, f.opts())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"given_name", "age_over_18", "iss", "vct", "cnf"} {
		if _, ok := got[k]; !ok {
			t.Errorf("claim %q missing", k)
		}
	}
	for _, k := range []string{"family_name", "birthdate", "address", keySD, keySDAlg} {
		if _, ok := got[k]; ok {
			t.Errorf("claim %q present", k)
		}
	}
}

// TestPresentNested checks that selecting a nested claim brings the
// disclosure of its parent.
func TestPresentNested(t *testing.T) {
	t.Parallel()
	is := Issuer{Key: newKey(t)}
	claims := map[string]any{"address": SD(map[string]any{"locality": SD("Seoul"), "region": SD("Jung-gu")})}
	sdjwt, err := is.Issue(claims, nil)
	if err != nil {
		t.Fatal(err)
	}
	pres, err := Present(sdjwt, Paths([]any{"address", "locality"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := &VerifyOptions{IssuerKey: func(context.Context, string, map[string]any) (crypto.PublicKey, error) {
		return is.Key.Public(), nil
	}}
	got, err := Verify(context.Background(), pres, opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"address":{"locality":"Seoul"}}`; js(got) != want {
		t.Errorf("got %s, want %s", js(got), want)
	}
}

// signJWT signs a payload with ES256 as a compact JWS with the given header.
func signJWT(t testing.TB, key crypto.Signer, header map[string]any, payload any) string {
	t.Helper()
	body, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	h := jws.NewHeaders()
	for k, v := range header {
		if err := h.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	signed, err := jws.Sign(body, jws.WithKey(jwa.ES256(), key, jws.WithProtectedHeaders(h)))
	if err != nil {
		t.Fatal(err)
	}
	return string(signed)
}

func encodeDisclosure(parts ...any) string {
	return b64.EncodeToString([]byte(js(parts)))
}

// rebind replaces the KB-JWT of a presentation with one built from claims.
func rebind(t testing.TB, pres string, key crypto.Signer, claims map[string]any) string {
	prefix := pres[:strings.LastIndex(pres, "~")+1]
	c := map[string]any{"iat": issuedAt.Unix(), "aud": audience, "nonce": nonce, "sd_hash": digest(prefix)}
	for k, v := range claims {
		c[k] = v
	}
	return prefix + signJWT(t, key, map[string]any{"typ": typeKB}, c)
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	parts := strings.Split(f.pres, "~")
	jwt := strings.Split(parts[0], ".")
	issued := strings.Split(f.sdjwt, "~")
	unbound := f.present(t, f.sdjwt, nil)
	other := newFixture(t)
	otherDisclosure := strings.Split(other.sdjwt, "~")[1]
	withoutKB := func(o *VerifyOptions) { o.RequireKeyBinding = false }

	// An issuer JWT carrying the given payload and disclosures, signed by
	// the fixture's issuer.
	crafted := func(payload map[string]any, disclosures ...string) string {
		payload["iss"] = "https://maeul.example"
		return signJWT(t, f.issuer, map[string]any{"typ": TypeVC}, payload) + "~" + strings.Join(append(disclosures, ""), "~")
	}
	dName := encodeDisclosure("salt", "name", "Minji")
	dElem := encodeDisclosure("salt", "KR")

	for _, tc := range []struct {
		name   string
		pres   string
		adjust func(*VerifyOptions)
		want   error
	}{
		{"wrong signature", jwt[0] + "." + jwt[1] + "." + strings.Split(other.sdjwt, ".")[2][:86] + "~" + strings.Join(parts[1:], "~"), nil, ErrSignature},
		{"signed by another key", other.pres, nil, ErrSignature},
		{"unknown issuer key", f.pres, func(o *VerifyOptions) {
			o.IssuerKey = func(context.Context, string, map[string]any) (crypto.PublicKey, error) {
				return nil, errors.New("not on the trust list")
			}
		}, ErrUnknownKey},
		{"altered disclosure", strings.Replace(unbound, parts[1], encodeDisclosure("salt", "given_name", "Mallory"), 1), withoutKB, ErrDigest},
		{"extra disclosure", unbound + otherDisclosure + "~", withoutKB, ErrDigest},
		{"undisclosed disclosure added after key binding", parts[0] + "~" + strings.Join(issued[1:4], "~") + "~" + parts[len(parts)-1], nil, ErrSDHash},
		{"missing key binding", unbound, nil, ErrKeyBinding},
		{"key binding by the wrong key", rebind(t, f.pres, f.other, nil), nil, ErrKeyBinding},
		{"key binding with the wrong typ", strings.Join(parts[:len(parts)-1], "~") + "~" + signJWT(t, f.holder, map[string]any{"typ": "JWT"}, map[string]any{}), nil, ErrKeyBinding},
		{"wrong sd_hash", rebind(t, f.pres, f.holder, map[string]any{"sd_hash": digest("x")}), nil, ErrSDHash},
		{"replayed nonce", rebind(t, f.pres, f.holder, map[string]any{"nonce": "an-old-nonce"}), nil, ErrNonce},
		{"wrong audience", f.pres, func(o *VerifyOptions) { o.Audience = "https://other.example" }, ErrAudience},
		{"expired", f.pres, func(o *VerifyOptions) { o.Now = func() time.Time { return issuedAt.Add(400 * 24 * time.Hour) } }, ErrExpired},
		{"stale key binding", f.pres, func(o *VerifyOptions) { o.Now = func() time.Time { return issuedAt.Add(time.Hour) } }, ErrExpired},
		{"key binding from the future", rebind(t, f.pres, f.holder, map[string]any{"iat": issuedAt.Add(time.Hour).Unix()}), nil, ErrNotYetValid},
		{"not yet valid", crafted(map[string]any{"nbf": issuedAt.Add(time.Hour).Unix()}), withoutKB, ErrNotYetValid},
		{"alg none", b64.EncodeToString([]byte(`{"alg":"none","typ":"dc+sd-jwt"}`)) + "." + jwt[1] + ".AA~", withoutKB, ErrAlgorithm},
		{"alg not configured", f.pres, func(o *VerifyOptions) { o.Algorithms = []string{"ES384"} }, ErrAlgorithm},
		{"typ not accepted", f.pres, func(o *VerifyOptions) { o.Types = []string{"vc+sd-jwt"} }, ErrType},
		{"unsupported _sd_alg", crafted(map[string]any{keySDAlg: "sha-512"}), withoutKB, ErrAlgorithm},
		{"no tilde", parts[0], withoutKB, ErrMalformed},
		{"malformed base64url", parts[0] + "~" + "a+b/~", withoutKB, ErrDisclosure},
		{"padded base64url", parts[0] + "~" + parts[1] + "=~", withoutKB, ErrDisclosure},
		{"disclosure not an array", crafted(map[string]any{}, b64.EncodeToString([]byte(`{"a":1}`))), withoutKB, ErrDisclosure},
		{"disclosure of four elements", crafted(map[string]any{}, encodeDisclosure("s", "a", 1, 2)), withoutKB, ErrDisclosure},
		{"disclosure of one element", crafted(map[string]any{}, encodeDisclosure("s")), withoutKB, ErrDisclosure},
		{"disclosure named _sd", crafted(map[string]any{keySD: []string{digest(encodeDisclosure("s", "_sd", 1))}}, encodeDisclosure("s", "_sd", 1)), withoutKB, ErrDisclosure},
		{"disclosure named ...", crafted(map[string]any{keySD: []string{digest(encodeDisclosure("s", "...", 1))}}, encodeDisclosure("s", "...", 1)), withoutKB, ErrDisclosure},
		{"disclosed name already present", crafted(map[string]any{"name": "x", keySD: []string{digest(dName)}}, dName), withoutKB, ErrDisclosure},
		{"disclosure presented twice", crafted(map[string]any{keySD: []string{digest(dName)}}, dName, dName), withoutKB, ErrDisclosure},
		{"digest found twice", crafted(map[string]any{keySD: []string{digest(dName)}, "a": map[string]any{keySD: []string{digest(dName)}}}, dName), withoutKB, ErrDigest},
		{"decoy digest found twice", crafted(map[string]any{keySD: []string{"d", "d"}}), withoutKB, ErrDigest},
		{"array disclosure in _sd", crafted(map[string]any{keySD: []string{digest(dElem)}}, dElem), withoutKB, ErrDisclosure},
		{"object disclosure in array", crafted(map[string]any{"a": []any{map[string]any{keyEllipse: digest(dName)}}}, dName), withoutKB, ErrDisclosure},
		{"_sd not an array", crafted(map[string]any{keySD: "x"}), withoutKB, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := f.opts()
			if tc.adjust != nil {
				tc.adjust(o)
			}
			got, err := Verify(context.Background(), tc.pres, o)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if got != nil {
				t.Errorf("claims returned with an error: %v", got)
			}
		})
	}
}

func TestPresentRefusesWrongHolderKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := Present(f.sdjwt, Paths(), &KeyBinding{Key: f.other, Audience: audience, Nonce: nonce}); err == nil {
		t.Fatal("Present signed with a key other than cnf.jwk")
	}
}

// TestVerifyOtherAlgorithm checks the jwx path taken for algorithms other
// than ES256 once they are configured.
func TestVerifyOtherAlgorithm(t *testing.T) {
	t.Parallel()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"iss":"https://maeul.example","_sd_alg":"sha-256"}`)
	signed, err := jws.Sign(body, jws.WithKey(jwa.EdDSA(), priv))
	if err != nil {
		t.Fatal(err)
	}
	opts := &VerifyOptions{IssuerKey: func(context.Context, string, map[string]any) (crypto.PublicKey, error) { return pub, nil }}
	if _, err := Verify(context.Background(), string(signed)+"~", opts); !errors.Is(err, ErrAlgorithm) {
		t.Fatalf("EdDSA accepted by default: %v", err)
	}
	opts.Algorithms = []string{"EdDSA"}
	if _, err := Verify(context.Background(), string(signed)+"~", opts); err != nil {
		t.Fatal(err)
	}
	opts.IssuerKey = func(context.Context, string, map[string]any) (crypto.PublicKey, error) {
		other, _, _ := ed25519.GenerateKey(rand.Reader)
		return other, nil
	}
	if _, err := Verify(context.Background(), string(signed)+"~", opts); !errors.Is(err, ErrSignature) {
		t.Fatalf("got %v, want ErrSignature", err)
	}
}

// TestGeneralJSONAnySignature checks that a general JSON SD-JWT verifies
// through its second signature when the verifier only knows that key.
func TestGeneralJSONAnySignature(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	second := newKey(t)
	payload := strings.Split(f.sdjwt, ".")[1]
	raw, _ := b64.DecodeString(payload)
	sig2 := strings.Split(signJWT(t, second, map[string]any{"typ": TypeVC}, json.RawMessage(raw)), ".")
	jwt := strings.Split(strings.Split(f.sdjwt, "~")[0], ".")
	disclosures := strings.Split(f.sdjwt, "~")
	general := js(map[string]any{"payload": payload, "signatures": []any{
		map[string]any{"protected": jwt[0], "signature": jwt[2], "header": map[string]any{"disclosures": disclosures[1 : len(disclosures)-1]}},
		map[string]any{"protected": sig2[0], "signature": sig2[2]},
	}})
	pres, err := Present(general, Paths([]any{"given_name"}), &KeyBinding{Key: f.holder, Audience: audience, Nonce: nonce, IssuedAt: issuedAt})
	if err != nil {
		t.Fatal(err)
	}
	o := f.opts()
	o.IssuerKey = func(context.Context, string, map[string]any) (crypto.PublicKey, error) { return &second.PublicKey, nil }
	got, err := Verify(context.Background(), pres, o)
	if err != nil {
		t.Fatal(err)
	}
	if got["given_name"] != "Minji" {
		t.Errorf("given_name = %v", got["given_name"])
	}
}

func FuzzParse(f *testing.F) {
	fx := newFixture(f)
	f.Add(fx.pres)
	f.Add(fx.sdjwt)
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := parse(s)
		if err != nil {
			return
		}
		r, err := newResolver(tok.disclosures)
		if err != nil {
			return
		}
		if p, err := decodePayload(tok.payload); err == nil {
			_, _ = r.object(p, nil)
		}
	})
}

func FuzzVerify(f *testing.F) {
	fx := newFixture(f)
	f.Add(fx.pres)
	opts := fx.opts()
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := Verify(context.Background(), s, opts); err == nil && s != fx.pres {
			// Only the presentation itself, or an equivalent spelling of
			// it, may verify.
			if _, ok := got["given_name"]; !ok {
				t.Fatalf("verified %q without the disclosed claim", s)
			}
		}
	})
}

func BenchmarkVerifyPresentation(b *testing.B) {
	f := newFixture(b)
	opts := f.opts()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(ctx, f.pres, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTwoBareECDSAVerifies(b *testing.B) {
	k1, k2 := newKey(b), newKey(b)
	h1, h2 := sha256.Sum256([]byte("issuer")), sha256.Sum256([]byte("holder"))
	s1, err := ecdsa.SignASN1(rand.Reader, k1, h1[:])
	if err != nil {
		b.Fatal(err)
	}
	s2, err := ecdsa.SignASN1(rand.Reader, k2, h2[:])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !ecdsa.VerifyASN1(&k1.PublicKey, h1[:], s1) || !ecdsa.VerifyASN1(&k2.PublicKey, h2[:], s2) {
			b.Fatal("verify failed")
		}
	}
}

func TestClaimsResolvesEveryDisclosure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	got, err := Claims(f.sdjwt)
	if err != nil {
		t.Fatal(err)
	}
	if got["given_name"] != "Minji" || got["address"].(map[string]any)["locality"] != "Seoul" || got["_sd"] != nil {
		t.Fatalf("claims %s", js(got))
	}
	// A disclosure the token does not reference is an error, as in Verify.
	if _, err := Claims(f.sdjwt + "WyJzYWx0IiwibmFtZSIsIuqwgOynnCJd~"); !errors.Is(err, ErrDigest) {
		t.Fatalf("extra disclosure: %v", err)
	}
}
