package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// TestPaymentsAPI: a till asks for a payment, the citizen pays it through
// the API with an idempotency key; the same call again answers 200 with
// the same payment, a call without a key is refused, and the points show
// what was spent.
func TestPaymentsAPI(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ctx := context.Background()
	parent := ta.ResidentWith(t, 2, 20)
	p := funds.DemoProgrammes(time.Now())[0]
	p.Slug, p.Mode, p.Eligibility = "api-household", funds.ToEveryone, fmt.Sprintf("household_id == %q", parent.HouseholdID)
	if _, _, err := ta.Programmes.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Funds.StartCycle(ctx, p.Slug); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Funds.PayCycle(ctx, p.Slug, nil); err != nil {
		t.Fatal(err)
	}
	// The cycle pays one member of the household; find who.
	var paidID int64
	ta.DB.Read().QueryRowContext(ctx, `SELECT resident_id FROM point_accounts`).Scan(&paidID)
	if paidID != parent.ID {
		parent, _ = identity.NewRegistry(ta.DB).Get(ctx, paidID)
	}
	before := ta.Balance(t, parent.ID)
	m, _ := ta.MerchantFor(t, "education", "API 학원", 7)

	till := ta.Client(t)
	ta.SignInStaff(t, till, "tutor1")
	var req struct{ ID string }
	if st := till.JSONCall("POST", "/api/v1/payment-requests", fmt.Sprintf(`{"merchant_id":%d,"amount":45000}`, m.ID), nil, &req); st != 201 || req.ID == "" {
		t.Fatalf("payment request: %d", st)
	}
	c := ta.ProofedCitizen(t, parent)
	body := `{"request":"` + req.ID + `"}`
	var first, again struct {
		ID     int64
		Amount int64
	}
	if st := c.JSONCall("POST", "/api/v1/payments", body, nil, nil); st != 422 {
		t.Fatalf("no idempotency key: %d", st)
	}
	key := map[string]string{"Idempotency-Key": funds.NewKey()}
	if st := c.JSONCall("POST", "/api/v1/payments", body, key, &first); st != 201 || first.Amount != 45_000 {
		t.Fatalf("pay: %d %+v", st, first)
	}
	if st := c.JSONCall("POST", "/api/v1/payments", body, key, &again); st != 200 || again.ID != first.ID {
		t.Fatalf("the same call again: %d %+v", st, again)
	}
	if st := c.JSONCall("POST", "/api/v1/payments", body, map[string]string{"Idempotency-Key": funds.NewKey()}, nil); st != 409 {
		t.Fatalf("a paid request with a new key: %d", st)
	}
	var points struct {
		Accounts  []struct{ Balance int64 }
		Movements []struct {
			ID   int64
			Kind string
		}
	}
	if st := c.JSONCall("GET", "/api/v1/points", "", nil, &points); st != 200 || len(points.Accounts) != 1 || points.Accounts[0].Balance != before-45_000 {
		t.Fatalf("points: %d %+v (before %d)", st, points, before)
	}

	// Each movement's receipt verifies offline, and shows the entry is the
	// citizen's; the entries of the credit and the payment share no name.
	var subjects []string
	for _, m := range points.Movements {
		var r ledger.Receipt
		if st := c.JSONCall("GET", fmt.Sprintf("/api/v1/points/receipts/%d", m.ID), "", nil, &r); st != 200 {
			t.Fatalf("receipt of %s: %d", m.Kind, st)
		}
		e, err := ledger.VerifyReceipt(r, ta.Ledger.Origin(), ta.Ledger.VerifierKey())
		if err != nil || r.Opening == nil || e.Format() != ledger.V2 || e.Kind != "points."+m.Kind {
			t.Fatalf("receipt of %s: %+v %+v %v", m.Kind, e, r.Opening, err)
		}
		subjects = append(subjects, e.Subject)
	}
	if len(subjects) != 2 || subjects[0] == subjects[1] {
		t.Fatalf("subjects %q", subjects)
	}
	if st := till.JSONCall("GET", fmt.Sprintf("/api/v1/points/receipts/%d", points.Movements[0].ID), "", nil, nil); st == 200 {
		t.Fatal("the till got the citizen's receipt")
	}
	if st := c.JSONCall("GET", "/api/v1/points/receipts/x", "", nil, nil); st != 404 {
		t.Fatalf("a receipt of no movement: %d", st)
	}
}
