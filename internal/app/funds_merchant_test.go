package app_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/funds"
)

var (
	payRequestRe = regexp.MustCompile(`data-status="/merchant/\d+/requests/([A-Za-z0-9_-]+)/status"`)
	refundKeyRe  = regexp.MustCompile(`name="key" value="([A-Za-z0-9_-]+)"`)
)

// TestMerchantTill: a shop registers (a wrong business number refused in
// words), staff approve it, it shows a payment QR, a citizen with points
// pays, the shop's page says paid; a partial refund, a refund above the
// rest refused, the rest refunded in full. Another account cannot reach
// the till, and an operator cannot reach the merchant approvals.
func TestMerchantTill(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
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
		t.Fatalf("no till link: %d %s", st, apptest.Trim(body))
	}
	if st, body := owner.Post(till+"/requests", url.Values{"amount": {"0"}}); st != 422 || !strings.Contains(body, "1원부터") {
		t.Fatalf("a payment of nothing: %d %s", st, apptest.Trim(body))
	}
	st, body := owner.Post(till+"/requests", url.Values{"amount": {"12,000원"}})
	req := payRequestRe.FindStringSubmatch(body)
	if st != 200 || req == nil || !strings.Contains(body, "<svg") || !strings.Contains(body, "12,000원") || !strings.Contains(body, "/pay/"+req[1]) {
		t.Fatalf("payment QR: %d %s", st, apptest.Trim(body))
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
		t.Fatalf("paid page: %d %s", st, apptest.Trim(body))
	}

	refund := fmt.Sprintf("%s/payments/%d/refund", till, pay.ID)
	st, body = owner.Get(till)
	key := refundKeyRe.FindStringSubmatch(body)
	if st != 200 || key == nil || !strings.Contains(body, "12,000원") {
		t.Fatalf("today's payments: %d %s", st, apptest.Trim(body))
	}
	if st, body := owner.Post(refund, url.Values{"amount": {"2,000"}, "key": {key[1]}}); st != 200 || !strings.Contains(body, "일부를 환불했습니다") {
		t.Fatalf("partial refund: %d %s", st, apptest.Trim(body))
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
		t.Fatalf("a refund above the rest: %d %s", st, apptest.Trim(body))
	}
	if st, body := owner.Post(refund, url.Values{"amount": {""}, "key": {key[1]}}); st != 200 || !strings.Contains(body, "모두 환불했습니다") {
		t.Fatalf("the rest refunded: %d %s", st, apptest.Trim(body))
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
