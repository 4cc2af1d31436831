package identity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/sdjwt"
	"github.com/maeul/maeul/internal/statuslist"
)

const hospital = "https://hospital.example"

func (f *cardFixture) verifier() *Verifier {
	return &Verifier{
		Issuers: map[string]sdjwt.KeyLookup{testIssuer: func(ctx context.Context, _ string, h map[string]any) (crypto.PublicKey, error) {
			kid, _ := h["kid"].(string)
			return f.keys.Verifier(ctx, kid)
		}},
		Status: f.cards.LocalStatus(testIssuer),
		Now:    func() time.Time { return f.now },
	}
}

var hospitalClaims = [][]string{{"age_equal_or_over", "65"}, {"address", "district"}, {"name"}}

func TestVerifierGivesClearReasons(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		ctx := context.Background()
		priv, pub := holderKeys(1)
		cards, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub)
		if err != nil {
			t.Fatal(err)
		}
		present := func(aud, nonce string, paths ...[]any) string {
			p, err := sdjwt.Present(cards[0], sdjwt.Paths(paths...), &sdjwt.KeyBinding{Key: priv[0], Audience: aud, Nonce: nonce, IssuedAt: f.now})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		v := f.verifier()
		req := Request{Audience: hospital, Nonce: "n-1", Allowed: hospitalClaims}
		good := present(hospital, "n-1", []any{"age_equal_or_over", "65"}, []any{"address", "district"})
		claims, err := v.Verify(ctx, good, req)
		if err != nil {
			t.Fatal(err)
		}
		if claims["age_equal_or_over"].(map[string]any)["65"] != true {
			t.Fatalf("claims %v", claims)
		}
		tampered := strings.Replace(good, "~", "~WyJzYWx0IiwibmFtZSIsIuqwgOynnCJd~", 1)
		cases := []struct {
			name string
			pres string
			req  Request
			key  string
		}{
			{"wrong audience", present("https://elsewhere.example", "n-1"), req, "identity.reason_audience"},
			{"replayed nonce", good, Request{Audience: hospital, Nonce: "n-2", Allowed: hospitalClaims}, "identity.reason_nonce"},
			{"altered disclosure", tampered, req, "identity.reason_altered"},
			{"claim not allowed", present(hospital, "n-1", []any{"birthdate"}), req, "identity.reason_not_allowed"},
			{"unknown issuer", good, req, "identity.reason_unknown_issuer"},
		}
		for _, c := range cases {
			vv := v
			if c.name == "unknown issuer" {
				vv = &Verifier{Issuers: map[string]sdjwt.KeyLookup{}, Status: v.Status, Now: v.Now}
			}
			_, err := vv.Verify(ctx, c.pres, c.req)
			if e, ok := errs.As(err); !ok || e.Key != c.key {
				t.Errorf("%s: %v, want %s", c.name, err, c.key)
			}
		}
		f.now = f.now.Add(2 * CardLifetime)
		fresh := present(hospital, "n-1")
		if _, err := v.Verify(ctx, fresh, req); !hasKey(err, "identity.reason_expired") {
			t.Errorf("expired: %v", err)
		}
		f.now = f.now.Add(-2 * CardLifetime)
		if _, err := f.cards.SetStatus(ctx, f.resident.ID, StatusSuspended); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(ctx, good, req); !hasKey(err, "identity.reason_suspended") {
			t.Errorf("suspended: %v", err)
		}
		if _, err := f.cards.SetStatus(ctx, f.resident.ID, StatusRevoked); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(ctx, good, req); !hasKey(err, "identity.reason_revoked") {
			t.Errorf("revoked: %v", err)
		}
	})
}

func hasKey(err error, key string) bool {
	e, ok := errs.As(err)
	return ok && e.Key == key
}

// cachedStatus is a status source as a verifier's cache would be after the
// first fetch: the cost of a status check from cache.
type cachedStatus struct{ list *statuslist.List }

func (c cachedStatus) Status(_ context.Context, ref statuslist.Reference) (statuslist.Status, error) {
	return c.list.Get(ref.Index)
}

// BenchmarkVerifyCard measures a full verification of a two-claim card
// presentation (parse, digests, issuer and key-binding signatures, status
// from cache, relying-party policy) beside the two bare ES256 checks it
// cannot do without. The issue asks for at most 1.5 times.
func BenchmarkVerifyCard(b *testing.B) {
	d := dbtest.SQLite(b)
	f := newCardFixture(b, d)
	ctx := context.Background()
	priv, pub := holderKeys(1)
	cards, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub)
	if err != nil {
		b.Fatal(err)
	}
	pres, err := sdjwt.Present(cards[0], sdjwt.Paths([]any{"age_equal_or_over", "65"}, []any{"address", "district"}),
		&sdjwt.KeyBinding{Key: priv[0], Audience: hospital, Nonce: "n-1", IssuedAt: f.now})
	if err != nil {
		b.Fatal(err)
	}
	list, _ := statuslist.New(listSize, 2)
	issuerKey, err := f.keys.Verifier(ctx, mustActive(b, f).Kid)
	if err != nil {
		b.Fatal(err)
	}
	v := &Verifier{
		Issuers: map[string]sdjwt.KeyLookup{testIssuer: func(context.Context, string, map[string]any) (crypto.PublicKey, error) { return issuerKey, nil }},
		Status:  cachedStatus{list},
		Now:     func() time.Time { return f.now },
	}
	req := Request{Audience: hospital, Nonce: "n-1", Allowed: hospitalClaims}
	digest := sha256.Sum256([]byte("x"))
	sig1, _ := ecdsa.SignASN1(nil, priv[0], digest[:])
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			if _, err := v.Verify(ctx, pres, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("two-bare-ES256", func(b *testing.B) {
		for b.Loop() {
			if !ecdsa.VerifyASN1(&priv[0].PublicKey, digest[:], sig1) || !ecdsa.VerifyASN1(&priv[0].PublicKey, digest[:], sig1) {
				b.Fatal("bad signature")
			}
		}
	})
}

func mustActive(b *testing.B, f *cardFixture) Signer {
	s, err := f.keys.Active(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return s
}
