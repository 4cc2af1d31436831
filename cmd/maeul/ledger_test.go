package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/ledger"
)

// TestLedgerVerifyAndReceipt audits a running platform's ledger twice (the
// second run checks it only grew) and checks a receipt offline.
func TestLedgerVerifyAndReceipt(t *testing.T) {
	ctx := context.Background()
	a, err := app.New(dbtest.SQLite(t), app.Options{IssuerSecret: []byte("maeul cmd test issuer secret 32.")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	defer srv.Close()
	appendSome := func(n int) {
		t.Helper()
		var es []ledger.Entry
		for i := range n {
			es = append(es, ledger.Entry{Kind: ledger.PointsSpent, At: 1764579600, Owner: a.Ledger.Owner("resident", "7"), Programme: "culture-pass",
				Merchant: "m-1", Amount: int64(1000 + i)})
		}
		if _, err := a.Ledger.Append(ctx, es...); err != nil {
			t.Fatal(err)
		}
		if err := a.Ledger.Update(ctx); err != nil {
			t.Fatal(err)
		}
	}
	appendSome(300)
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := runLedger(ctx, args, &out)
		return out.String(), err
	}
	out, err := run("verify", "--url", srv.URL, "--vkey", a.Ledger.VerifierKey(), "--state", state)
	if err != nil || !strings.Contains(out, "Verified 300 entries") || !strings.Contains(out, "spent 344850") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	appendSome(10)
	if out, err := run("verify", "--url", srv.URL, "--vkey", a.Ledger.VerifierKey(), "--state", state); err != nil || !strings.Contains(out, "Verified 310 entries") {
		t.Fatalf("second verify: %v\n%s", err, out)
	}
	_, otherKey, _ := note.GenerateKey(rand.Reader, a.Ledger.Origin())
	if _, err := run("verify", "--url", srv.URL, "--vkey", otherKey, "--state", state); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("a checkpoint was accepted under another key: %v", err)
	}

	r, err := a.Ledger.Receipt(ctx, 42)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(r)
	file := filepath.Join(dir, "receipt.json")
	os.WriteFile(file, raw, 0o644)
	if out, err := run("verify-receipt", "--vkey", a.Ledger.VerifierKey(), "--origin", a.Ledger.Origin(), file); err != nil || !strings.Contains(out, "entry 42 is in the ledger") {
		t.Fatalf("verify-receipt: %v\n%s", err, out)
	}
	r.Entry = bytes.Replace(r.Entry, []byte(`"amount":1042`), []byte(`"amount":9042`), 1)
	raw, _ = json.Marshal(r)
	os.WriteFile(file, raw, 0o644)
	if _, err := run("verify-receipt", "--vkey", a.Ledger.VerifierKey(), "--origin", a.Ledger.Origin(), file); err == nil {
		t.Fatal("an altered receipt was accepted")
	}
}
