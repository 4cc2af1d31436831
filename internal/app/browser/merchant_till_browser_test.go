package browser_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/funds"
)

// TestBrowserMerchantTillAndReview: staff approve a shop and an
// appealed application by keyboard; the shop's owner asks for a payment,
// the QR page turns into "paid" by itself when the citizen pays, refunds
// part of it and files a grievance about it; staff answer it. Every page
// passes axe-core, in Korean and English.
func TestBrowserMerchantTillAndReview(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	ctx := context.Background()
	base := ta.Server.URL
	payer, paid := ta.Appealed(t, "browser-till")
	if _, err := ta.Funds.Resolve(ctx, paid.ID, 1, true, 50_000, ""); err != nil {
		t.Fatal(err)
	}
	_, queued := ta.Appealed(t, "browser-queue")
	const phone = "010-5555-0301"
	owner, err := auth.NewUsers(ta.DB).Create(ctx, auth.NewUser{Role: actor.Citizen, Name: "서점 주인", Phone: "+821055550301"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := ta.Funds.RegisterMerchant(ctx, owner.ID, funds.Merchant{BusinessNumber: "220-81-62517", Name: "보수동 헌책방", Category: "books",
		District: city.Districts()[1].Code})
	if err != nil {
		t.Fatal(err)
	}

	b.Visit(t, base+"/lang/ko")
	ta.SignInStaffBrowser(t, b, "funds")
	b.Visit(t, base+"/admin/merchants")
	b.TabTo(t, fmt.Sprintf(`form[action="/admin/merchants/%d/decision"] button[value=approve]`, m.ID), 80)
	b.PressNavigate(t, "Enter")
	apptest.MustContain(t, "the approvals", b.Text(t, "main"), "승인했습니다", "보수동 헌책방")
	b.Axe(t)
	b.Visit(t, base+"/admin/applications")
	b.TabTo(t, fmt.Sprintf(`a[href="/admin/applications/%d"]`, queued.ID), 80)
	b.PressNavigate(t, "Enter")
	apptest.MustContain(t, "the case", b.Text(t, "#facts"), "나이")
	b.Axe(t)
	b.TabTo(t, "#f-amount", 60)
	b.Type(t, "30000")
	b.TabTo(t, "#approve-form button", 5)
	b.PressNavigate(t, "Enter")
	apptest.MustContain(t, "the queue", b.Text(t, "main"), "승인했습니다")
	b.Axe(t)

	ta.SignInCitizenBrowser(t, b, phone)
	b.Visit(t, base+"/merchant?new=1")
	b.TabTo(t, fmt.Sprintf(`a[href="/merchant/%d"]`, m.ID), 60)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, "#f-amount", 60)
	b.Type(t, "12,000원")
	b.PressNavigate(t, "Enter")
	waitFor(t, b, "#pending svg")
	apptest.MustContain(t, "the payment QR page", b.Text(t, "#amount"), "12,000원")
	b.Axe(t)
	request := b.Location(t)[strings.LastIndex(b.Location(t), "/")+1:]
	pay, err := ta.Funds.Pay(ctx, payer.ID, request, funds.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, "#paid")
	apptest.MustContain(t, "the paid page", b.Text(t, "#paid"), "결제되었습니다", "12,000원")
	b.Axe(t)
	b.TabTo(t, fmt.Sprintf(`a.button[href="/merchant/%d"]`, m.ID), 40)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, fmt.Sprintf("#f-refund-%d", pay.ID), 60)
	b.Type(t, "2000")
	b.PressNavigate(t, "Enter")
	apptest.MustContain(t, "the till", b.Text(t, "main"), "일부를 환불했습니다", "2,000원")
	b.Axe(t)
	b.TabTo(t, fmt.Sprintf(`#payment-%d a[href*="grievances?payment="]`, pay.ID), 60)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, "#f-text", 40)
	b.Type(t, "손님이 두 번 결제했다고 하십니다.")
	b.TabTo(t, "#file-form button", 5)
	b.PressNavigate(t, "Enter")
	apptest.MustContain(t, "the grievance", b.Text(t, "#history"), "손님이 두 번 결제했다고 하십니다.", "나")
	b.Axe(t)
	b.Visit(t, base+"/lang/en?next=/merchant/"+fmt.Sprint(m.ID))
	b.Visit(t, base+"/merchant")

	b.Visit(t, base+"/lang/ko")
	ta.SignInStaffBrowser(t, b, "funds")
	b.Visit(t, base+"/admin/grievances")
	b.TabTo(t, `a[href^="/admin/grievances/"]`, 80)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, "#f-text", 60)
	b.Type(t, "확인했습니다. 한 번만 결제되었습니다.")
	b.TabTo(t, "#reply-form button", 5)
	b.PressNavigate(t, "Enter")
	apptest.MustContain(t, "the answered grievance", b.Text(t, "#history"), "가맹점", "담당 직원", "한 번만 결제되었습니다")
	b.Axe(t)
	t.Logf("axe-core checked %d pages", len(b.Checked()))
}
