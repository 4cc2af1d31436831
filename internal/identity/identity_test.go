package identity

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/web"
)

func testSecret() []byte {
	s := make([]byte, SecretSize)
	rand.Read(s)
	return s
}

func TestKeysRotateAndStayVerifiable(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		k := NewKeys(d, testSecret())
		k.Now = func() time.Time { return now }
		first, err := k.Active(ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, err := k.Active(ctx)
		if err != nil || again.Kid != first.Kid {
			t.Fatalf("a second Active made a new key: %v", err)
		}
		digest := sha256.Sum256([]byte("credential"))
		sig, _ := ecdsa.SignASN1(rand.Reader, first.Key, digest[:])

		second, err := k.Rotate(ctx, 30*24*time.Hour)
		if err != nil || second.Kid == first.Kid {
			t.Fatalf("rotate: %v", err)
		}
		if active, _ := k.Active(ctx); active.Kid != second.Kid {
			t.Fatal("the new key is not the active one")
		}
		// The retired key still verifies what it signed, until its window ends.
		pub, err := k.Verifier(ctx, first.Kid)
		if err != nil || !ecdsa.VerifyASN1(pub, digest[:], sig) {
			t.Fatalf("retired key no longer verifies: %v", err)
		}
		if ps, _ := k.Published(ctx); len(ps) != 2 {
			t.Fatalf("%d keys published, want 2", len(ps))
		}
		now = now.Add(31 * 24 * time.Hour)
		if _, err := k.Verifier(ctx, first.Kid); err == nil {
			t.Fatal("a key past its publication window still verifies")
		}
		if ps, _ := k.Published(ctx); len(ps) != 1 || ps[0].Kid != second.Kid {
			t.Fatalf("published after the window: %+v", ps)
		}
	})
}

func TestSealedKeysNeedTheirSecret(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	ctx := context.Background()
	s, err := NewKeys(d, testSecret()).Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sealed string
	d.Read().QueryRowContext(ctx, `SELECT private_sealed FROM issuer_keys`).Scan(&sealed)
	if strings.Contains(sealed, "PRIVATE") || len(sealed) < 100 {
		t.Fatalf("private key stored unsealed? %q", sealed)
	}
	if _, err := NewKeys(d, testSecret()).Active(ctx); err == nil {
		t.Fatal("another secret opened the key")
	}
	if _, err := unseal(testSecret(), sealed, s.Kid); err == nil {
		t.Fatal("unsealed with a wrong secret")
	}
	if _, err := NewKeys(d, nil).create(ctx); err == nil {
		t.Fatal("created a key without a secret")
	}
}

func TestSecretFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "issuer-secret")
	a, err := SecretFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := SecretFromFile(path)
	if err != nil || string(a) != string(b) {
		t.Fatal("the secret file does not give the same secret twice")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode %v", fi.Mode())
	}
	if _, err := ParseSecret("c2hvcnQ="); err == nil {
		t.Fatal("a short secret was accepted")
	}
}

func TestDIDWeb(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://maeul.busan.go.kr":       "did:web:maeul.busan.go.kr",
		"http://127.0.0.1:8080":           "did:web:127.0.0.1%3A8080",
		"https://city.example/maeul/ids/": "did:web:city.example:maeul:ids",
	} {
		if got := (Issuer{URL: in}).DID(); got != want {
			t.Errorf("DID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPublishedDocuments(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	k := NewKeys(d, testSecret())
	s, err := k.Active(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rt := web.NewRouter(web.NewMetrics())
	l, _ := ledger.New(d, "maeul.example/ledger", nil)
	Register(rt, k, NewCards(d, k, NewRegistry(d), l), Issuer{URL: "https://maeul.example"}, Options{})
	get := func(path string) map[string]any {
		w := httptest.NewRecorder()
		rt.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != 200 {
			t.Fatalf("%s: %d", path, w.Code)
		}
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	doc := get("/.well-known/did.json")
	if doc["id"] != "did:web:maeul.example" {
		t.Fatalf("did document id %v", doc["id"])
	}
	vm := doc["verificationMethod"].([]any)[0].(map[string]any)
	jwk := vm["publicKeyJwk"].(map[string]any)
	if vm["id"] != "did:web:maeul.example#"+s.Kid || jwk["kty"] != "EC" || jwk["crv"] != "P-256" || jwk["d"] != nil {
		t.Fatalf("verification method %v", vm)
	}
	meta := get("/.well-known/jwt-vc-issuer")
	keys := meta["jwks"].(map[string]any)["keys"].([]any)
	if meta["issuer"] != "https://maeul.example" || len(keys) != 1 || keys[0].(map[string]any)["kid"] != s.Kid {
		t.Fatalf("issuer metadata %v", meta)
	}
}
