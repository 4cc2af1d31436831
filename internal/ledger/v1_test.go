package ledger

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// A receipt written before entries were versioned still verifies, and
// reads as the version 1 entry it is.
func TestV1ReceiptStillVerifies(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/v1/receipt.json")
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := os.ReadFile("testdata/v1/vkey")
	if err != nil {
		t.Fatal(err)
	}
	var r Receipt
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	e, err := VerifyReceipt(r, testOrigin, strings.TrimSpace(string(vkey)))
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != PointsSpent || e.At != 1764579607 || e.Amount != 30_000 || e.Ref != "payment:41" || !strings.HasPrefix(e.Subject, "r-") {
		t.Fatalf("the v1 receipt proves %+v", e)
	}
	// The same receipt with its entry changed by a byte does not.
	r.Entry = []byte(strings.Replace(string(r.Entry), "30000", "30001", 1))
	if _, err := VerifyReceipt(r, testOrigin, strings.TrimSpace(string(vkey))); err == nil {
		t.Fatal("a changed v1 entry verified")
	}
}
