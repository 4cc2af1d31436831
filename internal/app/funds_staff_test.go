package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/funds"
)

// TestCoPayment: an approval with a co-payment waits for it, and says so
// to the citizen; staff record the provider's receipt and the points
// follow, once.
func TestCoPayment(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ctx := context.Background()
	p := apptest.Programme("co-pay-test", "age >= 0")
	p.CoPayment = 10_000
	res, a := ta.Applied(t, p)
	if a.Status != funds.AwaitingPay || a.Amount != 50_000 || ta.Balance(t, res.ID) != 0 {
		t.Fatalf("decided %+v, balance %d", a, ta.Balance(t, res.ID))
	}
	citizen := ta.ProofedCitizen(t, res)
	if _, body := citizen.Get(funds.ApplicationPath(a.ID)); !strings.Contains(body, "10,000") || !strings.Contains(body, `id="decision"`) {
		t.Fatalf("the citizen's page: %s", apptest.Trim(body))
	}
	c := ta.Client(t)
	ta.SignInStaff(t, c, "funds")
	if _, body := c.Get("/admin/applications"); !strings.Contains(body, fmt.Sprintf("/admin/applications/%d/co-payment", a.ID)) {
		t.Fatalf("no co-payment form: %s", apptest.Trim(body))
	}
	path := fmt.Sprintf("/admin/applications/%d/co-payment", a.ID)
	if st, _ := c.Post(path, url.Values{"reference": {" "}}); st != 422 || ta.Balance(t, res.ID) != 0 {
		t.Fatalf("a co-payment without a reference: %d", st)
	}
	if st, _ := c.Post(path, url.Values{"reference": {"PG-2026-0001"}}); st != 200 {
		t.Fatalf("co-payment: %d", st)
	}
	if got, _ := ta.Funds.Application(ctx, a.ID); got.Status != funds.Approved || ta.Balance(t, res.ID) != 50_000 {
		t.Fatalf("after the co-payment %+v, balance %d", got, ta.Balance(t, res.ID))
	}
	if st, _ := c.Post(path, url.Values{"reference": {"PG-2026-0001"}}); st != 409 || ta.Balance(t, res.ID) != 50_000 {
		t.Fatalf("recorded twice: %d, balance %d", st, ta.Balance(t, res.ID))
	}
}

// TestReviewQueue: staff see the appealed application with its
// programme, reason and the citizen's explanation; the registry's facts
// (an audited read); a rejection needs a note; approving with an amount
// credits the citizen, who may then spend it.
func TestReviewQueue(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ctx := context.Background()
	res, a := ta.Appealed(t, "review-test")
	c := ta.Client(t)
	ta.SignInStaff(t, c, "funds")
	st, body := c.Get("/admin/applications")
	if st != 200 || !strings.Contains(body, "심사 시험 review-test") || !strings.Contains(body, "제 나이가 잘못 등록된 것 같습니다") ||
		!strings.Contains(body, "150세 이상") || !strings.Contains(body, "재검토 요청") {
		t.Fatalf("queue: %d %s", st, apptest.Trim(body))
	}
	path := fmt.Sprintf("/admin/applications/%d", a.ID)
	st, body = c.Get(path)
	if st != 200 || !strings.Contains(body, `id="facts"`) || !strings.Contains(body, "나이") || !strings.Contains(body, res.Name) {
		t.Fatalf("case: %d %s", st, apptest.Trim(body))
	}
	var reads int
	ta.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'application.registry_read' AND subject_id = $1`, fmt.Sprint(res.ID)).Scan(&reads)
	if reads != 1 {
		t.Fatalf("registry reads audited %d times", reads)
	}
	if st, body := c.Post(path+"/decision", url.Values{"decision": {"reject"}, "note": {"  "}}); st != 422 || !strings.Contains(body, "내용을 적어 주세요") {
		t.Fatalf("rejection without a note: %d %s", st, apptest.Trim(body))
	}
	if st, body := c.Post(path+"/decision", url.Values{"decision": {"approve"}, "amount": {"오만원"}}); st != 422 || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("approval of no amount: %d %s", st, apptest.Trim(body))
	}
	if got, _ := ta.Funds.Application(ctx, a.ID); got.Status != funds.Appealed || ta.Balance(t, res.ID) != 0 {
		t.Fatalf("a refused form decided: %+v", got)
	}
	if st, body := c.Post(path+"/decision", url.Values{"decision": {"approve"}, "amount": {"70,000"}}); st != 200 || !strings.Contains(body, "승인했습니다") {
		t.Fatalf("approve: %d %s", st, apptest.Trim(body))
	}
	if got, _ := ta.Funds.Application(ctx, a.ID); got.Status != funds.Approved || got.Amount != 70_000 || ta.Balance(t, res.ID) != 70_000 {
		t.Fatalf("approved %+v, balance %d", got, ta.Balance(t, res.ID))
	}
	if _, body := c.Get("/admin/applications"); strings.Contains(body, "제 나이가 잘못 등록된 것 같습니다") {
		t.Fatal("a decided application is still in the queue")
	}
	other := ta.Client(t)
	ta.SignInStaff(t, other, "operator")
	if st, _ := other.Get("/admin/applications"); st != 403 {
		t.Fatalf("an operator reached the review queue: %d", st)
	}
}

// TestReviewRejection: a rejection with a note is final and credits nothing.
func TestReviewRejection(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	res, a := ta.Appealed(t, "reject-test")
	c := ta.Client(t)
	ta.SignInStaff(t, c, "funds")
	path := fmt.Sprintf("/admin/applications/%d", a.ID)
	if st, body := c.Post(path+"/decision", url.Values{"decision": {"reject"}, "note": {"주민등록상 나이가 맞습니다."}}); st != 200 || !strings.Contains(body, "거절했습니다") {
		t.Fatalf("reject: %d %s", st, apptest.Trim(body))
	}
	got, _ := ta.Funds.Application(context.Background(), a.ID)
	if got.Status != funds.Rejected || got.ReviewNote != "주민등록상 나이가 맞습니다." || ta.Balance(t, res.ID) != 0 {
		t.Fatalf("rejected %+v", got)
	}
	if st, body := c.Get(path); st != 200 || strings.Contains(body, `id="approve-form"`) {
		t.Fatalf("a decided case still offers a decision: %d", st)
	}
}
