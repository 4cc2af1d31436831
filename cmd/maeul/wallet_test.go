package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/identity"
)

// TestWalletReceivesAndPresents runs `maeul wallet` against a demo city:
// receive a batch by the offer link and PIN, list it, answer the demo
// hospital (once declining, once sharing), and read the history.
func TestWalletReceivesAndPresents(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	ctx := context.Background()
	res, err := demo.Generate(ctx, d, demo.Options{Citizens: 20})
	if err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	a, err := app.New(d, app.Options{Demo: true, IssuerSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	defer srv.Close()

	offer := prepareOffers(t, a, res.SamplePhone, srv.URL, 1)[0]

	file := filepath.Join(t.TempDir(), "wallet.json")
	run := func(input string, args ...string) (string, error) {
		t.Helper()
		stdin = strings.NewReader(input)
		var out bytes.Buffer
		err := runWallet(ctx, append(args[:1:1], append([]string{"--wallet", file, "--insecure-http"}, args[1:]...)...), &out)
		return out.String(), err
	}
	if out, err := run("", "receive", "--pin", "000000", offer.link); err == nil {
		t.Fatalf("a wrong PIN was accepted: %s", out)
	}
	out, err := run("", "receive", "--pin", offer.pin, offer.link)
	if err != nil || !strings.Contains(out, "Received 5 cards") {
		t.Fatalf("receive: %s %v", out, err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Fatalf("wallet file mode %v", st.Mode())
	}
	if out, _ := run("", "list"); strings.Count(out, offer.name) != 5 {
		t.Fatalf("list: %s", out)
	}

	ask := func() identity.PresentationRequest {
		req, err := a.Presentations.Create(ctx, identity.DemoHospital.Slug, identity.DemoHospital.Asks, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	declined := ask()
	out, err = run("n\n", "present", "--lang", "en", declined.OpenIDLink)
	if err != nil || !strings.Contains(out, "Busan Citizens' Hospital") || !strings.Contains(out, "Whether you are 65 or older") || !strings.Contains(out, "Not shared") {
		t.Fatalf("present, declined: %s %v", out, err)
	}
	shared := ask()
	if out, err = run("y\n", "present", shared.WalletLink); err != nil || !strings.Contains(out, "accepted") {
		t.Fatalf("present, shared: %s %v", out, err)
	}
	for req, want := range map[string]string{declined.ID: identity.OutcomeDeclined, shared.ID: identity.OutcomeValid} {
		r, err := a.Presentations.Result(ctx, req, srv.URL)
		if err != nil || r.Outcome != want {
			t.Fatalf("outcome %q, want %q: %v", r.Outcome, want, err)
		}
	}
	if out, _ := run("", "history"); strings.Count(out, "\n") != 2 || !strings.Contains(out, "declined") || !strings.Contains(out, "address.district, age_equal_or_over.65") {
		t.Fatalf("history: %s", out)
	}
}
