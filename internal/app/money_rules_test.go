package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/funds"
)

// TestNobodyPaysForSomeoneElseOrTheirOwnShop: staff acting for a citizen
// cannot spend the citizen's points, by the page or the API; a citizen who
// owns a shop cannot pay it with benefit points, by either; each refusal
// says why, and no point moves.
func TestNobodyPaysForSomeoneElseOrTheirOwnShop(t *testing.T) {
	t.Parallel()
	ta := sqliteApp(t)
	ctx := context.Background()
	res, a := ta.appealed(t, "money-rules")
	if _, err := ta.Funds.Resolve(ctx, a.ID, 1, true, 50_000, ""); err != nil {
		t.Fatal(err)
	}
	// The citizen proves who they are and opens a shop of their own.
	owner := ta.proofedCitizen(t, res)
	form := url.Values{"business_number": {"123-45-67891"}, "name": {"내 가게"}, "category": {"education"}, "district": {res.District}}
	if st, body := owner.post("/merchant", form); st != 200 {
		t.Fatalf("register: %d %s", st, trim(body))
	}
	pending, err := ta.Funds.Merchants(ctx, funds.MerchantPending)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %v %v", pending, err)
	}
	staff := ta.client(t)
	ta.signInStaff(t, staff, "funds")
	if st, _ := staff.post(fmt.Sprintf("/admin/merchants/%d/decision", pending[0].ID), url.Values{"decision": {"approve"}, "note": {""}}); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	st, body := owner.post(fmt.Sprintf("/merchant/%d/requests", pending[0].ID), url.Values{"amount": {"10,000"}})
	req := payRequestRe.FindStringSubmatch(body)
	if st != 200 || req == nil {
		t.Fatalf("payment QR: %d %s", st, trim(body))
	}

	// Their own shop: refused in words, on the page and by the API.
	if st, body := owner.get("/pay/" + req[1]); st != 200 || !strings.Contains(body, "자기 가게에서는 혜택 포인트로 결제할 수 없습니다") || strings.Contains(body, `name="key"`) {
		t.Errorf("own shop's pay page: %d %s", st, trim(body))
	}
	var out map[string]any
	if st := owner.jsonCall("POST", "/api/v1/payments", fmt.Sprintf(`{"request":%q}`, req[1]), map[string]string{"Idempotency-Key": funds.NewKey()}, &out); st != 403 ||
		!strings.Contains(fmt.Sprint(out), "자기 가게") {
		t.Errorf("own shop by the API: %d %v", st, out)
	}
	if _, err := ta.Funds.Pay(ctx, res.ID, req[1], funds.NewKey()); err == nil {
		t.Error("the service paid the owner's own shop")
	}

	// Staff acting for the citizen, at another shop: refused too.
	_, other := ta.registerShop(t, "010-5555-0201")
	shopOwner := ta.client(t)
	ta.signInCitizen(t, shopOwner, "010-5555-0201")
	_, body = shopOwner.post(fmt.Sprintf("/merchant/%d/requests", other.ID), url.Values{"amount": {"5,000"}})
	other2 := payRequestRe.FindStringSubmatch(body)
	if other2 == nil {
		t.Fatalf("the other shop's QR: %s", trim(body))
	}
	for _, who := range []string{"operator", "admin"} {
		staff := ta.client(t)
		ta.signInStaff(t, staff, who)
		if st := staff.jsonCall("POST", "/api/v1/acting", fmt.Sprintf(`{"phone":%q,"channel":"phone"}`, auth.FormatPhone(res.Phone)), nil, nil); st != 200 {
			t.Fatalf("%s acting: %d", who, st)
		}
		out = nil
		if st := staff.jsonCall("POST", "/api/v1/payments", fmt.Sprintf(`{"request":%q}`, other2[1]), map[string]string{"Idempotency-Key": funds.NewKey()}, &out); st != 403 ||
			!strings.Contains(fmt.Sprint(out), "대신 결제할 수 없습니다") {
			t.Errorf("%s acting paid by the API: %d %v", who, st, out)
		}
		if st, body := staff.post("/pay/"+other2[1], url.Values{"key": {funds.NewKey()}}); st != 403 {
			t.Errorf("%s acting paid by the page: %d %s", who, st, trim(body))
		}
	}
	if b := ta.balance(t, res.ID); b != 50_000 {
		t.Fatalf("balance %d: points moved", b)
	}
}
