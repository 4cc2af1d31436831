package app_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/funds"
)

var (
	payRequestRe = regexp.MustCompile(`data-status="/merchant/\d+/requests/([A-Za-z0-9_-]+)/status"`)
	refundKeyRe  = regexp.MustCompile(`name="key" value="([A-Za-z0-9_-]+)"`)
)

// RegisterShop signs a new account in as a shop's owner and registers an
// academy by the page; staff approve it by theirs.
func (ta *App) RegisterShop(t *testing.T, phone string) (*Client, funds.Merchant) {
	t.Helper()
	owner := ta.Client(t)
	ta.SignInCitizen(t, owner, phone)
	if st, body := owner.Get("/merchant"); st != 200 || !strings.Contains(body, `id="register-form"`) {
		t.Fatalf("no registration form: %d %s", st, Trim(body))
	}
	form := url.Values{"business_number": {"220-81-62518"}, "name": {"해운대 수학 교실"}, "category": {"education"}, "district": {city.Districts()[8].Code}}
	if st, body := owner.Post("/merchant", form); st != 422 || !strings.Contains(body, "사업자등록번호 10자리를 확인해 주세요") {
		t.Fatalf("a wrong check digit: %d %s", st, Trim(body))
	}
	form.Set("business_number", "220-81-62517")
	if st, body := owner.Post("/merchant", form); st != 200 || !strings.Contains(body, "승인을 기다리고 있습니다") {
		t.Fatalf("register: %d %s", st, Trim(body))
	}
	pending, err := ta.Funds.Merchants(context.Background(), funds.MerchantPending)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %v %v", pending, err)
	}
	m := pending[0]

	staff := ta.Client(t)
	ta.SignInStaff(t, staff, "funds")
	if st, body := staff.Get("/admin/merchants"); st != 200 || !strings.Contains(body, "해운대 수학 교실") || !strings.Contains(body, "220-81-62517") {
		t.Fatalf("staff's list: %d %s", st, Trim(body))
	}
	decide := fmt.Sprintf("/admin/merchants/%d/decision", m.ID)
	if st, _ := staff.Post(decide, url.Values{"decision": {"refuse"}, "note": {""}}); st != 422 {
		t.Fatalf("a refusal without a note: %d", st)
	}
	if st, _ := staff.Post(decide, url.Values{"decision": {"approve"}, "note": {""}}); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	if m, err = ta.Funds.Merchant(context.Background(), m.ID); err != nil || m.Status != funds.MerchantApproved {
		t.Fatalf("%+v %v", m, err)
	}
	return owner, m
}

// TestMerchantTill: a shop registers (a wrong business number refused in
// words), staff approve it, it shows a payment QR, a citizen with points
// pays, the shop's page says paid; a partial refund, a refund above the
// rest refused, the rest refunded in full. Another account cannot reach
// the till, and an operator cannot reach the merchant approvals.
func TestMerchantTill(t *testing.T) {
	t.Parallel()
	ta := SQLite(t)
	ctx := context.Background()
	res, a := ta.Appealed(t, "till-test")
	if _, err := ta.Funds.Resolve(ctx, a.ID, 1, true, 50_000, ""); err != nil {
		t.Fatal(err)
	}
	if ta.Balance(t, res.ID) != 50_000 {
		t.Fatalf("balance %d", ta.Balance(t, res.ID))
	}
	owner, m := ta.RegisterShop(t, "010-5555-0101")
	till := fmt.Sprintf("/merchant/%d", m.ID)
	if st, body := owner.Get("/merchant"); st != 200 || !strings.Contains(body, `href="`+till+`"`) {
		t.Fatalf("no till link: %d %s", st, Trim(body))
	}
	if st, body := owner.Post(till+"/requests", url.Values{"amount": {"0"}}); st != 422 || !strings.Contains(body, "1원부터") {
		t.Fatalf("a payment of nothing: %d %s", st, Trim(body))
	}
	st, body := owner.Post(till+"/requests", url.Values{"amount": {"12,000원"}})
	req := payRequestRe.FindStringSubmatch(body)
	if st != 200 || req == nil || !strings.Contains(body, "<svg") || !strings.Contains(body, "12,000원") || !strings.Contains(body, "/pay/"+req[1]) {
		t.Fatalf("payment QR: %d %s", st, Trim(body))
	}
	page := till + "/requests/" + req[1]
	if _, status := owner.Get(page + "/status"); !strings.Contains(status, `"paid":false`) {
		t.Fatalf("status before paying: %s", status)
	}
	pay, err := ta.Funds.Pay(ctx, res.ID, req[1], funds.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	if _, status := owner.Get(page + "/status"); !strings.Contains(status, `"paid":true`) {
		t.Fatalf("status after paying: %s", status)
	}
	if st, body := owner.Get(page); st != 200 || !strings.Contains(body, `id="paid"`) || !strings.Contains(body, "결제되었습니다") || strings.Contains(body, "<svg") {
		t.Fatalf("paid page: %d %s", st, Trim(body))
	}

	refund := fmt.Sprintf("%s/payments/%d/refund", till, pay.ID)
	st, body = owner.Get(till)
	key := refundKeyRe.FindStringSubmatch(body)
	if st != 200 || key == nil || !strings.Contains(body, "12,000원") {
		t.Fatalf("today's payments: %d %s", st, Trim(body))
	}
	if st, body := owner.Post(refund, url.Values{"amount": {"2,000"}, "key": {key[1]}}); st != 200 || !strings.Contains(body, "일부를 환불했습니다") {
		t.Fatalf("partial refund: %d %s", st, Trim(body))
	}
	// The same form sent twice refunds once.
	owner.Post(refund, url.Values{"amount": {"2,000"}, "key": {key[1]}})
	if b := ta.Balance(t, res.ID); b != 40_000 {
		t.Fatalf("balance %d after paying 12,000 and a refund of 2,000", b)
	}
	_, body = owner.Get(till)
	key = refundKeyRe.FindStringSubmatch(body)
	if st, body := owner.Post(refund, url.Values{"amount": {"10,001"}, "key": {key[1]}}); st != 422 || !strings.Contains(body, "환불 금액이 결제한 금액에서") ||
		!strings.Contains(body, fmt.Sprintf(`id="f-refund-%d" name="amount" inputmode="numeric" autocomplete="off" aria-describedby="refund-hint-%d" value="10,001" aria-invalid="true"`, pay.ID, pay.ID)) {
		t.Fatalf("a refund above the rest: %d %s", st, Trim(body))
	}
	if st, body := owner.Post(refund, url.Values{"amount": {""}, "key": {key[1]}}); st != 200 || !strings.Contains(body, "모두 환불했습니다") {
		t.Fatalf("the rest refunded: %d %s", st, Trim(body))
	}
	if b := ta.Balance(t, res.ID); b != 50_000 {
		t.Fatalf("balance %d after the full refund", b)
	}

	stranger := ta.Client(t)
	ta.SignInCitizen(t, stranger, "010-5555-0102")
	for _, p := range []string{till, page, page + "/status", till + "/grievances"} {
		if st, _ := stranger.Get(p); st != 404 {
			t.Errorf("another account reached %s: %d", p, st)
		}
	}
	if st, _ := stranger.Post(till+"/requests", url.Values{"amount": {"1000"}}); st != 404 {
		t.Errorf("another account asked for a payment: %d", st)
	}
	operator := ta.Client(t)
	ta.SignInStaff(t, operator, "operator")
	if st, _ := operator.Get("/admin/merchants"); st != 403 {
		t.Fatalf("an operator reached the merchant approvals: %d", st)
	}
}
