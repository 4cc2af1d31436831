package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/funds"
)

// TestNobodyPaysForSomeoneElseOrTheirOwnShop: staff acting for a citizen
// cannot spend the citizen's points, by the page or the API; a citizen who
// owns a shop cannot pay it with benefit points, by either; each refusal
// says why, and no point moves.
func TestNobodyPaysForSomeoneElseOrTheirOwnShop(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ctx := context.Background()
	res, a := ta.Appealed(t, "money-rules")
	if _, err := ta.Funds.Resolve(ctx, a.ID, 1, true, 50_000, ""); err != nil {
		t.Fatal(err)
	}
	// The citizen proves who they are and opens a shop of their own.
	owner := ta.ProofedCitizen(t, res)
	form := url.Values{"business_number": {"123-45-67891"}, "name": {"내 가게"}, "category": {"education"}, "district": {res.District}}
	if st, body := owner.Post("/merchant", form); st != 200 {
		t.Fatalf("register: %d %s", st, apptest.Trim(body))
	}
	pending, err := ta.Funds.Merchants(ctx, funds.MerchantPending)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %v %v", pending, err)
	}
	staff := ta.Client(t)
	ta.SignInStaff(t, staff, "funds")
	if st, _ := staff.Post(fmt.Sprintf("/admin/merchants/%d/decision", pending[0].ID), url.Values{"decision": {"approve"}, "note": {""}}); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	st, body := owner.Post(fmt.Sprintf("/merchant/%d/requests", pending[0].ID), url.Values{"amount": {"10,000"}})
	req := payRequestRe.FindStringSubmatch(body)
	if st != 200 || req == nil {
		t.Fatalf("payment QR: %d %s", st, apptest.Trim(body))
	}

	// Their own shop: refused in words, on the page and by the API.
	if st, body := owner.Get("/pay/" + req[1]); st != 200 || !strings.Contains(body, "자기 가게에서는 혜택 포인트로 결제할 수 없습니다") || strings.Contains(body, `name="key"`) {
		t.Errorf("own shop's pay page: %d %s", st, apptest.Trim(body))
	}
	var out map[string]any
	if st := owner.JSONCall("POST", "/api/v1/payments", fmt.Sprintf(`{"request":%q}`, req[1]), map[string]string{"Idempotency-Key": funds.NewKey()}, &out); st != 403 ||
		!strings.Contains(fmt.Sprint(out), "자기 가게") {
		t.Errorf("own shop by the API: %d %v", st, out)
	}
	if _, err := ta.Funds.Pay(ctx, res.ID, req[1], funds.NewKey()); err == nil {
		t.Error("the service paid the owner's own shop")
	}

	// Staff acting for the citizen, at another shop: refused too.
	_, other := ta.RegisterShop(t, "010-5555-0201")
	shopOwner := ta.Client(t)
	ta.SignInCitizen(t, shopOwner, "010-5555-0201")
	_, body = shopOwner.Post(fmt.Sprintf("/merchant/%d/requests", other.ID), url.Values{"amount": {"5,000"}})
	other2 := payRequestRe.FindStringSubmatch(body)
	if other2 == nil {
		t.Fatalf("the other shop's QR: %s", apptest.Trim(body))
	}
	for _, who := range []string{"operator", "admin"} {
		staff := ta.Client(t)
		ta.SignInStaff(t, staff, who)
		if st := staff.JSONCall("POST", "/api/v1/acting", fmt.Sprintf(`{"phone":%q,"channel":"phone"}`, auth.FormatPhone(res.Phone)), nil, nil); st != 200 {
			t.Fatalf("%s acting: %d", who, st)
		}
		out = nil
		if st := staff.JSONCall("POST", "/api/v1/payments", fmt.Sprintf(`{"request":%q}`, other2[1]), map[string]string{"Idempotency-Key": funds.NewKey()}, &out); st != 403 ||
			!strings.Contains(fmt.Sprint(out), "대신 결제할 수 없습니다") {
			t.Errorf("%s acting paid by the API: %d %v", who, st, out)
		}
		if st, body := staff.Post("/pay/"+other2[1], url.Values{"key": {funds.NewKey()}}); st != 403 {
			t.Errorf("%s acting paid by the page: %d %s", who, st, apptest.Trim(body))
		}
	}
	if b := ta.Balance(t, res.ID); b != 50_000 {
		t.Fatalf("balance %d: points moved", b)
	}
}
