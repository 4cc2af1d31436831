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
	t.Parallel()
	ctx := context.Background()
	a, err := app.New(dbtest.SQLite(t), app.Options{IssuerSecret: []byte("maeul cmd test issuer secret 32.")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	defer srv.Close()
	var last int64
	appendSome := func(n int) {
		t.Helper()
		var es []ledger.Entry
		for i := range n {
			es = append(es, ledger.Entry{Kind: ledger.PointsSpent, At: 1764579600, Owner: a.Ledger.Owner("resident", "7"), Programme: "culture-pass",
				Merchant: "m-1", Amount: int64(1000 + i)})
		}
		seqs, err := a.Ledger.Append(ctx, es...)
		if err != nil {
			t.Fatal(err)
		}
		last = seqs[len(seqs)-1]
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
	if err != nil || !strings.Contains(out, "Verified 300 entries") || !strings.Contains(out, "spent 344850") || !strings.Contains(out, "format 2: 300") {
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

	// The owner's receipt shows the entry is theirs; with another owner's
	// name in its opening it does not verify.
	r, err = a.Ledger.ReceiptOf(ctx, last)
	if err != nil || r.Opening == nil {
		t.Fatalf("the owner's receipt: %+v %v", r.Opening, err)
	}
	raw, _ = json.Marshal(r)
	os.WriteFile(file, raw, 0o644)
	owner := a.Ledger.Owner("resident", "7")
	if out, err := run("verify-receipt", "--vkey", a.Ledger.VerifierKey(), "--origin", a.Ledger.Origin(), file); err != nil ||
		!strings.Contains(out, "entry 309 is in the ledger") || !strings.Contains(out, "format 2") || !strings.Contains(out, "owner "+owner+"'s") {
		t.Fatalf("verify-receipt of the owner's receipt: %v\n%s", err, out)
	}
	r.Opening.Owner = a.Ledger.Owner("resident", "8")
	raw, _ = json.Marshal(r)
	os.WriteFile(file, raw, 0o644)
	if _, err := run("verify-receipt", "--vkey", a.Ledger.VerifierKey(), "--origin", a.Ledger.Origin(), file); err == nil {
		t.Fatal("a receipt opened to another owner was accepted")
	}

	// A receipt of a version 1 entry, from before entries had versions,
	// still verifies.
	v1key, err := os.ReadFile("../../internal/ledger/testdata/v1/vkey")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := run("verify-receipt", "--vkey", strings.TrimSpace(string(v1key)), "--origin", "maeul.example/ledger",
		"../../internal/ledger/testdata/v1/receipt.json"); err != nil || !strings.Contains(out, "entry 2 is in the ledger: points.spent at 2025-12-01T09:00:07Z (format 1)") {
		t.Fatalf("verify-receipt of a version 1 receipt: %v\n%s", err, out)
	}
}
