package app_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/holder"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

var (
	walletLinkRe = regexp.MustCompile(`id="open-wallet" href="([^"]+)"`)
	askedRe      = regexp.MustCompile(`(?s)<ul id="asked">(.*?)</ul>`)
	keyRe        = regexp.MustCompile(`name="key" value="([^"]+)"`)
	receiptRe    = regexp.MustCompile(`data-receipt="(/points/receipts/\d+)"`)
)

// applyAndShare applies to slug from the benefits page, and the citizen's
// Go wallet answers from the application page's wallet link; it returns
// the application's path.
func applyAndShare(t *testing.T, c *apptest.Client, slug string, hc *holder.Client, w *holder.Wallet, wantAsked ...string) string {
	t.Helper()
	ctx := context.Background()
	st, body := c.Post("/benefits/"+slug+"/apply", url.Values{})
	m := walletLinkRe.FindStringSubmatch(body)
	if st != 200 || m == nil || !strings.Contains(body, "<svg") {
		t.Fatalf("application page: %d %s", st, apptest.Trim(body))
	}
	path := regexp.MustCompile(`data-status="(/benefits/applications/\d+)/status"`).FindStringSubmatch(body)
	if path == nil {
		t.Fatalf("no status poll: %s", apptest.Trim(body))
	}
	asked := askedRe.FindStringSubmatch(body)
	if asked == nil || strings.Count(asked[1], "<li>") != len(wantAsked) {
		t.Fatalf("asked %v, want %v", asked, wantAsked)
	}
	apptest.MustContain(t, "what is asked", asked[1], wantAsked...)
	if _, body := c.Get(path[1] + "/status"); !strings.Contains(body, `"answered":false`) {
		t.Fatalf("status before the answer: %s", body)
	}
	r, err := hc.FetchRequest(ctx, html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	choices, err := w.Choose(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := hc.Share(ctx, w, r, choices); err != nil {
		t.Fatal(err)
	}
	if _, body := c.Get(path[1] + "/status"); !strings.Contains(body, `"answered":true`) {
		t.Fatalf("status after the answer: %s", body)
	}
	return path[1]
}

// TestCitizenAppliesAndPays: a demo parent sees that they may qualify,
// applies, their wallet answers from the application page's link, and the
// page says approved with the amount; nobody else can see the application;
// the points page shows the balance with receipts that verify; paying a
// merchant's request from the page pays once however often the form is
// sent, and a shop the points are not for is refused in words with
// nothing moved. An operator acting for the parent sees the pages but
// cannot pay.
func TestCitizenAppliesAndPays(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ctx := context.Background()
	ko := i18n.For("ko")
	progs := ta.OpenProgrammes(t)
	parent := ta.ResidentWith(t, 2, 20)
	want := int64(300_000)
	if parent.ChildrenUnder19 >= 3 {
		want = 500_000
	}
	wantWon := ko.Number(want)

	anon := ta.Client(t)
	if st, body := anon.Get("/benefits"); st != 200 || !strings.Contains(body, progs[0].NameKo) || !strings.Contains(body, `href="/login?next=/benefits"`) ||
		strings.Contains(body, `action="/benefits/`) {
		t.Fatalf("benefits, signed out: %d %s", st, apptest.Trim(body))
	}
	c := ta.Client(t)
	ta.SignInCitizen(t, c, auth.FormatPhone(parent.Phone))
	if _, body := c.Get("/benefits"); !strings.Contains(body, `id="card-first"`) || !strings.Contains(body, `href="/my/card"`) ||
		strings.Contains(body, `action="/benefits/`) {
		t.Fatalf("benefits, not proofed: %s", apptest.Trim(body))
	}
	c = ta.ProofedCitizen(t, parent)
	st, body := c.Get("/benefits")
	if st != 200 || !strings.Contains(body, ko.T("funds.citizen.estimate_yes", wantWon)) || !strings.Contains(body, progs[0].WhoKo) ||
		!strings.Contains(body, `action="/benefits/multi-child-education/apply"`) {
		t.Fatalf("benefits: %d %s", st, apptest.Trim(body))
	}
	hc, w := ta.WalletFor(t, parent.ID)
	path := applyAndShare(t, c, "multi-child-education", hc, w, ko.T("identity.claim.children_under_19"), ko.T("identity.claim.household_id"))
	st, body = c.Get(path)
	if st != 200 || !strings.Contains(body, ko.T("funds.citizen.approved_text", wantWon, ko.Date(progs[0].PointsExpire.Add(-time.Second)))) ||
		!strings.Contains(body, ko.T("funds.citizen.spend_at_list", ko.T("funds.category.education")+", "+ko.T("funds.category.books"))) {
		t.Fatalf("approved: %d %s", st, apptest.Trim(body))
	}
	if _, body := c.Get("/benefits"); !strings.Contains(body, ko.T("funds.citizen.status.approved")) || strings.Contains(body, `action="/benefits/multi-child-education/apply"`) {
		t.Fatalf("benefits after approval: %s", apptest.Trim(body))
	}

	// Someone else, even proofed, does not find it.
	other := ta.ProofedCitizen(t, ta.ResidentWith(t, 0, 0))
	if st, _ := other.Get(path); st != 404 {
		t.Fatalf("another citizen sees the application: %d", st)
	}
	if st, _ := other.Get(path + "/status"); st != 404 {
		t.Fatalf("another citizen polls the application: %d", st)
	}

	// The points, with a receipt that verifies.
	st, body = c.Get("/points")
	if st != 200 || !strings.Contains(body, ko.T("funds.citizen.won", wantWon)) || !strings.Contains(body, ko.T("funds.citizen.kind.credited", progs[0].NameKo)) {
		t.Fatalf("points: %d %s", st, apptest.Trim(body))
	}
	verify := func(path string) ledger.Entry {
		t.Helper()
		st, body := c.Get(path)
		var r ledger.Receipt
		if err := json.Unmarshal([]byte(body), &r); st != 200 || err != nil {
			t.Fatalf("receipt %s: %d %v", path, st, err)
		}
		e, err := ledger.VerifyReceipt(r, ta.Ledger.Origin(), ta.Ledger.VerifierKey())
		if err != nil {
			t.Fatal(err)
		}
		if r.Opening == nil {
			t.Fatalf("receipt %s without the opening that shows the entry is the citizen's", path)
		}
		return e
	}
	receipts := receiptRe.FindAllStringSubmatch(body, -1)
	if len(receipts) != 1 {
		t.Fatalf("%d receipts for one credit", len(receipts))
	}
	if e := verify(receipts[0][1]); e.Kind != ledger.PointsCredited || e.Amount != want || e.Programme != "multi-child-education" {
		t.Fatalf("the receipt proves %+v", e)
	}
	if st, _ := other.Get(receipts[0][1]); st != 404 {
		t.Fatalf("another citizen gets the receipt: %d", st)
	}

	// Paying an academy: the page says where, how much and from which
	// points; sending the form twice pays once.
	academy, owner := ta.MerchantFor(t, "education", "해운대 수학학원", 1)
	req, err := ta.Funds.RequestPayment(ctx, owner, academy.ID, 50_000)
	if err != nil {
		t.Fatal(err)
	}
	st, body = c.Get("/pay/" + req.ID)
	key := keyRe.FindStringSubmatch(body)
	if st != 200 || key == nil || !strings.Contains(body, "해운대 수학학원") || !strings.Contains(body, ko.T("funds.citizen.won", "50,000")) ||
		!strings.Contains(body, progs[0].NameKo) || !strings.Contains(body, ko.T("funds.citizen.dont_pay")) {
		t.Fatalf("pay page: %d %s", st, apptest.Trim(body))
	}
	if st, again := c.Get("/pay/" + req.ID); st != 200 || keyRe.FindStringSubmatch(again)[1] == key[1] {
		t.Fatal("the pay page does not carry a fresh key each time")
	}
	if got := ta.Balance(t, parent.ID); got != want {
		t.Fatalf("looking at the pay page moved points: %d", got)
	}
	paidText := ko.T("funds.citizen.paid", "50,000", "해운대 수학학원")
	left := ko.T("funds.citizen.paid_balance", progs[0].NameKo, ko.Number(want-50_000))
	for i := 0; i < 2; i++ {
		st, body = c.Post("/pay/"+req.ID, url.Values{"key": {key[1]}})
		if st != 200 || !strings.Contains(body, paidText) || !strings.Contains(body, left) || !regexp.MustCompile(`href="/points/receipts/\d+"`).MatchString(body) {
			t.Fatalf("paid (%d): %d %s", i, st, apptest.Trim(body))
		}
	}
	if got := ta.Balance(t, parent.ID); got != want-50_000 {
		t.Fatalf("paid twice? balance %d", got)
	}
	// Something wrong with it: the link opens the grievance form with this
	// payment chosen.
	if g := regexp.MustCompile(`href="(/my/grievances\?payment=(\d+))#file-h"`).FindStringSubmatch(body); g == nil {
		t.Fatalf("no grievance link: %s", apptest.Trim(body))
	} else if _, form := c.Get(g[1]); !strings.Contains(form, `value="payment:`+g[2]+`" selected`) {
		t.Fatalf("the grievance form does not have the payment chosen: %s", apptest.Trim(form))
	}
	// A second key for the same request is told it is paid; the page
	// shows the payment made.
	if st, body := c.Post("/pay/"+req.ID, url.Values{"key": {funds.NewKey()}}); st != 200 || !strings.Contains(body, paidText) {
		t.Fatalf("paying a paid request: %d %s", st, apptest.Trim(body))
	}
	if got := ta.Balance(t, parent.ID); got != want-50_000 {
		t.Fatalf("balance after a repeat: %d", got)
	}
	_, body = c.Get("/points")
	apptest.MustContain(t, "the points after paying", body, ko.T("funds.citizen.kind.spent", progs[0].NameKo), "해운대 수학학원", ko.T("funds.citizen.won", ko.Number(want-50_000)))
	receipts = receiptRe.FindAllStringSubmatch(body, -1)
	if len(receipts) != 2 {
		t.Fatalf("%d receipts for a credit and a payment", len(receipts))
	}
	if e := verify(receipts[0][1]); e.Kind != ledger.PointsSpent || e.Amount != 50_000 || e.Merchant == "" {
		t.Fatalf("the payment's receipt proves %+v", e)
	}

	// A cinema cannot take education points: refused in words, nothing moved.
	cinema, cinemaOwner := ta.MerchantFor(t, "cinema", "센텀 영화관", 2)
	creq, err := ta.Funds.RequestPayment(ctx, cinemaOwner, cinema.ID, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	words := ko.T("funds.no_points_here")
	if st, body := c.Get("/pay/" + creq.ID); st != 200 || !strings.Contains(body, words) || strings.Contains(body, `id="pay-form"`) {
		t.Fatalf("pay page of a cinema: %d %s", st, apptest.Trim(body))
	}
	if st, body := c.Post("/pay/"+creq.ID, url.Values{"key": {funds.NewKey()}}); st != 409 || !strings.Contains(body, words) ||
		!strings.Contains(body, ko.T("funds.citizen.nothing_moved")) {
		t.Fatalf("paying a cinema: %d %s", st, apptest.Trim(body))
	}
	if got := ta.Balance(t, parent.ID); got != want-50_000 {
		t.Fatalf("a refused payment moved points: %d", got)
	}

	// An operator acting for the parent sees their benefits and points,
	// but cannot pay for them.
	op := ta.Client(t)
	ta.SignInStaff(t, op, "operator")
	if st, body := op.Post("/acting/start", url.Values{"phone": {parent.Phone}, "name": {parent.Name}, "channel": {"phone"}}); st != 200 ||
		!strings.Contains(body, "acting-banner") {
		t.Fatalf("start acting: %d %s", st, apptest.Trim(body))
	}
	if _, body := op.Get("/benefits"); !strings.Contains(body, ko.T("funds.citizen.status.approved")) {
		t.Fatalf("acting for, benefits: %s", apptest.Trim(body))
	}
	if _, body := op.Get("/points"); !strings.Contains(body, ko.T("funds.citizen.won", ko.Number(want-50_000))) {
		t.Fatalf("acting for, points: %s", apptest.Trim(body))
	}
	req2, err := ta.Funds.RequestPayment(ctx, owner, academy.ID, 1_000)
	if err != nil {
		t.Fatal(err)
	}
	if st, body := op.Get("/pay/" + req2.ID); st != 403 || !strings.Contains(body, ko.T("funds.citizen.pay_yourself")) {
		t.Fatalf("acting for, pay page: %d %s", st, apptest.Trim(body))
	}
	if st, _ := op.Post("/pay/"+req2.ID, url.Values{"key": {funds.NewKey()}}); st != 403 {
		t.Fatalf("acting for, paying: %d", st)
	}
	if got := ta.Balance(t, parent.ID); got != want-50_000 {
		t.Fatalf("an operator paid: %d", got)
	}
}

// TestCitizenNotEligibleAppeals: a parent of one child is told, as an
// estimate, that they may not qualify; applying anyway, the page says why
// in the programme's plain words, and the appeal form sends their own.
func TestCitizenNotEligibleAppeals(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ko := i18n.For("ko")
	progs := ta.OpenProgrammes(t)
	res := ta.ResidentWith(t, 1, 1)
	c := ta.ProofedCitizen(t, res)
	if _, body := c.Get("/benefits"); !strings.Contains(body, ko.T("funds.citizen.estimate_no")) {
		t.Fatalf("no estimate: %s", apptest.Trim(body))
	}
	hc, w := ta.WalletFor(t, res.ID)
	// "Don't share" first: the page says so and offers to apply again.
	_, body := c.Post("/benefits/multi-child-education/apply", url.Values{})
	r, err := hc.FetchRequest(context.Background(), html.UnescapeString(walletLinkRe.FindStringSubmatch(body)[1]))
	if err != nil {
		t.Fatal(err)
	}
	if err := hc.Decline(context.Background(), w, r); err != nil {
		t.Fatal(err)
	}
	declined := regexp.MustCompile(`data-status="(/benefits/applications/\d+)/status"`).FindStringSubmatch(body)[1]
	if _, body := c.Get(declined); !strings.Contains(body, ko.T("funds.citizen.declined_text")) ||
		!strings.Contains(body, `action="/benefits/multi-child-education/apply"`) || strings.Contains(body, `/appeal"`) {
		t.Fatalf("declined: %s", apptest.Trim(body))
	}
	path := applyAndShare(t, c, "multi-child-education", hc, w, ko.T("identity.claim.children_under_19"), ko.T("identity.claim.household_id"))
	if path != declined {
		t.Fatalf("applying again made %s, not a new try of %s", path, declined)
	}
	st, body := c.Get(path)
	if st != 200 || !strings.Contains(body, ko.T("funds.reason_rules", progs[0].WhoKo)) || !strings.Contains(body, `action="`+path+`/appeal"`) ||
		!strings.Contains(body, `<label for="f-appeal">`) {
		t.Fatalf("not eligible: %d %s", st, apptest.Trim(body))
	}
	if st, body := c.Post(path+"/appeal", url.Values{"appeal": {"  "}}); st != 422 || !strings.Contains(body, ko.T("funds.text_missing")) ||
		!strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("empty appeal: %d %s", st, apptest.Trim(body))
	}
	words := "지난달에 둘째가 태어났습니다. 출생신고는 마쳤습니다."
	st, body = c.Post(path+"/appeal", url.Values{"appeal": {words}})
	if st != 200 || !strings.Contains(body, ko.T("funds.citizen.appeal_sent")) || !strings.Contains(body, words) ||
		strings.Contains(body, `action="`+path+`/appeal"`) {
		t.Fatalf("appealed: %d %s", st, apptest.Trim(body))
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/benefits/applications/"), 10, 64)
	a, err := ta.Funds.Application(context.Background(), id)
	if err != nil || a.Status != funds.Appealed || a.Appeal != words {
		t.Fatalf("stored %+v %v", a, err)
	}
	// Staff say no with a note: the citizen reads it.
	staff := actor.With(context.Background(), &actor.Actor{Person: actor.Person{ID: 1, Role: actor.FundsAdmin}})
	if _, err := ta.Funds.Resolve(staff, id, 1, false, 0, "출생신고가 아직 주민등록에 반영되지 않았습니다."); err != nil {
		t.Fatal(err)
	}
	if _, body := c.Get(path); !strings.Contains(body, ko.T("funds.reason_reviewed")) || !strings.Contains(body, "반영되지 않았습니다") {
		t.Fatalf("rejected: %s", apptest.Trim(body))
	}
}

// TestCitizenReviewWhenRecordsDisagree: when the card and the registry
// disagree, the page says staff will check and names the facts in words.
func TestCitizenReviewWhenRecordsDisagree(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ctx := context.Background()
	ko := i18n.For("ko")
	ta.OpenProgrammes(t)
	res := ta.ResidentWith(t, 2, 2)
	c := ta.ProofedCitizen(t, res)
	hc, w := ta.WalletFor(t, res.ID)
	// The registry learns of a third child after the card was issued.
	res.ChildrenUnder19 = 3
	if err := ta.DB.Tx(ctx, func(tx *sql.Tx) error { return identity.NewRegistry(ta.DB).SaveTx(ctx, tx, []identity.Resident{res}) }); err != nil {
		t.Fatal(err)
	}
	path := applyAndShare(t, c, "multi-child-education", hc, w, ko.T("identity.claim.children_under_19"), ko.T("identity.claim.household_id"))
	st, body := c.Get(path)
	if st != 200 || !strings.Contains(body, ko.T("funds.citizen.in_review")) || !strings.Contains(body, ko.T("funds.review_mismatch")) ||
		!strings.Contains(body, "<li>"+ko.T("identity.claim.children_under_19")+"</li>") || strings.Contains(body, "children_under_19") {
		t.Fatalf("review: %d %s", st, apptest.Trim(body))
	}
}
