package statuslist

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

const listURI = "https://status.maeul.example/lists/1"

var t0 = time.Unix(1_700_000_000, 0)

func testKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func keyFor(k *ecdsa.PrivateKey) KeyLookup {
	return func(_ context.Context, kid, alg string) (crypto.PublicKey, error) {
		if kid != "k1" {
			return nil, errors.New("unknown kid")
		}
		return &k.PublicKey, nil
	}
}

func sampleToken(t *testing.T) Token {
	t.Helper()
	l, err := New(12, 2)
	if err != nil {
		t.Fatal(err)
	}
	_ = l.Set(3, Invalid)
	_ = l.Set(7, Suspended)
	return Token{
		Issuer:    "https://maeul.example",
		Subject:   listURI,
		IssuedAt:  t0,
		ExpiresAt: t0.Add(24 * time.Hour),
		TTL:       time.Hour,
		List:      l,
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	compact, err := Sign(sampleToken(t), k, "k1")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := jws.ParseString(compact)
	if err != nil {
		t.Fatal(err)
	}
	hdr := msg.Signatures()[0].ProtectedHeaders()
	if typ, _ := hdr.Type(); typ != "statuslist+jwt" {
		t.Errorf("typ = %q", typ)
	}
	if alg, _ := hdr.Algorithm(); alg != jwa.ES256() {
		t.Errorf("alg = %v", alg)
	}
	var claims map[string]any
	if err := json.Unmarshal(msg.Payload(), &claims); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sub", "iat", "exp", "ttl", "status_list", "iss"} {
		if _, ok := claims[name]; !ok {
			t.Errorf("claim %q missing from %v", name, claims)
		}
	}
	if sl := claims["status_list"].(map[string]any); sl["bits"] != float64(2) {
		t.Errorf("status_list.bits = %v", sl["bits"])
	}

	got, err := Verify(context.Background(), compact, listURI, keyFor(k), t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != listURI || got.Issuer != "https://maeul.example" ||
		!got.IssuedAt.Equal(t0) || !got.ExpiresAt.Equal(t0.Add(24*time.Hour)) || got.TTL != time.Hour {
		t.Errorf("claims = %+v", got)
	}
	for idx, want := range map[int]Status{0: Valid, 3: Invalid, 7: Suspended} {
		if s, _ := got.List.Get(idx); s != want {
			t.Errorf("status[%d] = %d, want %d", idx, s, want)
		}
	}
}

func TestSignRejects(t *testing.T) {
	t.Parallel()
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if _, err := Sign(sampleToken(t), p384, ""); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("P-384 key: err = %v", err)
	}
	tok := sampleToken(t)
	tok.Subject = ""
	if _, err := Sign(tok, testKey(t), ""); !errors.Is(err, ErrClaims) {
		t.Errorf("no sub: err = %v", err)
	}
}

// signRaw signs arbitrary claims and headers, to build tokens Sign refuses to.
func signRaw(t *testing.T, k any, alg jwa.SignatureAlgorithm, typ string, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	hdr := jws.NewHeaders()
	if typ != "" {
		_ = hdr.Set(jws.TypeKey, typ)
	}
	_ = hdr.Set(jws.KeyIDKey, "k1")
	out, err := jws.Sign(payload, jws.WithKey(alg, k, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func validClaims() map[string]any {
	return map[string]any{
		"sub":         listURI,
		"iat":         t0.Unix(),
		"exp":         t0.Add(time.Hour).Unix(),
		"status_list": map[string]any{"bits": 1, "lst": "eNrbuRgAAhcBXQ"},
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	good := signRaw(t, k, jwa.ES256(), "statuslist+jwt", validClaims())
	now := t0.Add(time.Minute)
	if _, err := Verify(context.Background(), good, listURI, keyFor(k), now); err != nil {
		t.Fatalf("baseline token rejected: %v", err)
	}

	parts := strings.Split(good, ".")
	tamperedClaims := validClaims()
	tamperedClaims["status_list"] = map[string]any{"bits": 1, "lst": "eNoDAAAAAAE"}
	body, _ := json.Marshal(tamperedClaims)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(body) + "." + parts[2]

	other := testKey(t)
	withClaim := func(name string, v any) map[string]any {
		c := validClaims()
		if v == nil {
			delete(c, name)
		} else {
			c[name] = v
		}
		return c
	}

	cases := []struct {
		name    string
		token   string
		uri     string
		now     time.Time
		wantErr error
	}{
		{"tampered payload", tampered, listURI, now, ErrSignature},
		{"wrong key", signRaw(t, other, jwa.ES256(), "statuslist+jwt", validClaims()), listURI, now, ErrSignature},
		{"wrong typ", signRaw(t, k, jwa.ES256(), "JWT", validClaims()), listURI, now, ErrTokenType},
		{"missing typ", signRaw(t, k, jwa.ES256(), "", validClaims()), listURI, now, ErrTokenType},
		{"HMAC", signRaw(t, []byte("0123456789abcdef0123456789abcdef"), jwa.HS256(), "statuslist+jwt", validClaims()), listURI, now, ErrAlgorithm},
		{"wrong sub", good, "https://status.maeul.example/lists/2", now, ErrSubject},
		{"expired", good, listURI, t0.Add(time.Hour), ErrExpired},
		{"long expired", good, listURI, t0.Add(48 * time.Hour), ErrExpired},
		{"no iat", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("iat", nil)), listURI, now, ErrClaims},
		{"no sub", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("sub", nil)), listURI, now, ErrClaims},
		{"no status_list", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("status_list", nil)), listURI, now, ErrClaims},
		{"zero ttl", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("ttl", 0)), listURI, now, ErrClaims},
		{"negative ttl", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("ttl", -5)), listURI, now, ErrClaims},
		{"string iat", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("iat", "yesterday")), listURI, now, ErrClaims},
		{"numeric string iat", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("iat", "1700000000")), listURI, now, ErrClaims},
		{"string ttl", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("ttl", "60")), listURI, now, ErrClaims},
		{"bad bits", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("status_list", map[string]any{"bits": 3, "lst": "eNrbuRgAAhcBXQ"})), listURI, now, ErrInvalidBits},
		{"bad lst", signRaw(t, k, jwa.ES256(), "statuslist+jwt", withClaim("status_list", map[string]any{"bits": 1, "lst": "AAAA"})), listURI, now, ErrMalformed},
		{"garbage", "not.a.jwt", listURI, now, ErrSignature},
		{"unsigned", parts[0] + "." + parts[1] + ".", listURI, now, ErrSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Verify(context.Background(), c.token, c.uri, keyFor(k), c.now)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
		})
	}
}

func TestVerifyAcceptsFullMediaTypeAndNoExp(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	c := validClaims()
	delete(c, "exp")
	tok := signRaw(t, k, jwa.ES256(), "application/statuslist+jwt", c)
	got, err := Verify(context.Background(), tok, listURI, keyFor(k), t0.Add(1000*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !got.ExpiresAt.IsZero() {
		t.Errorf("ExpiresAt = %v, want zero", got.ExpiresAt)
	}
}

func TestVerifyKeyLookupError(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	tok := signRaw(t, k, jwa.ES256(), "statuslist+jwt", validClaims())
	boom := errors.New("boom")
	_, err := Verify(context.Background(), tok, listURI, func(context.Context, string, string) (crypto.PublicKey, error) {
		return nil, boom
	}, t0)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want wrapped lookup error", err)
	}
}

func TestStatusClaim(t *testing.T) {
	t.Parallel()
	c, err := NewStatusClaim(42, listURI)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(c)
	if string(raw) != `{"status_list":{"idx":42,"uri":"`+listURI+`"}}` {
		t.Errorf("marshalled = %s", raw)
	}
	ref, err := ParseStatusClaim(raw)
	if err != nil || ref != (Reference{Index: 42, URI: listURI}) {
		t.Fatalf("ParseStatusClaim = %+v, %v", ref, err)
	}
	for _, bad := range []string{
		`{}`,
		`{"status_list":{"uri":"` + listURI + `"}}`,
		`{"status_list":{"idx":-1,"uri":"` + listURI + `"}}`,
		`{"status_list":{"idx":1.5,"uri":"` + listURI + `"}}`,
		`{"status_list":{"idx":"1","uri":"` + listURI + `"}}`,
		`{"status_list":{"idx":1,"uri":"/lists/1"}}`,
		`{"status_list":{"idx":1}}`,
		`[]`,
	} {
		if _, err := ParseStatusClaim([]byte(bad)); !errors.Is(err, ErrClaims) {
			t.Errorf("ParseStatusClaim(%s) err = %v, want ErrClaims", bad, err)
		}
	}
	if _, err := NewStatusClaim(-1, listURI); err == nil {
		t.Error("NewStatusClaim(-1) succeeded")
	}
}
