package funds

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
)

var parentBirth = time.Date(1985, 5, 5, 0, 0, 0, 0, time.UTC)

// An application asks the wallet for exactly the claims the rules read:
// children and household for the multi-child points, the birth date (for
// the age) for the youth pass.
func TestApplyAsksOnlyWhatTheRulesRead(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	ctx := context.Background()
	multi, youth := f.programme(t, DemoProgrammes(today)[0]), f.programme(t, DemoProgrammes(today)[1])
	r := f.resident(t, "H-1", parentBirth, 2, true)
	for p, want := range map[string][][]string{
		multi.Slug: {{"children_under_19"}, {"household_id"}},
		youth.Slug: {{"birthdate"}},
	} {
		_, req, err := f.s.Apply(ctx, r.ID, p, testBase)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := f.request(t, req.WalletLink); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s asks %v, want %v", p, got, want)
		}
	}
}

// The one-step application: the parent shares two facts from the wallet
// and is approved at once; the decision names the rules' version and the
// presentation; the points are on the ledger.
func TestApplyFromTheWallet(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		multi := f.programme(t, DemoProgrammes(today)[0])
		parent := f.resident(t, "H-1", parentBirth, 3, true)
		partner := f.resident(t, "H-1", parentBirth, 3, true)
		single := f.resident(t, "H-2", parentBirth, 1, true)

		a, req, err := f.s.Apply(ctx, parent.ID, multi.Slug, testBase)
		if err != nil || a.Status != Waiting || req.ReturnPath != ApplicationPath(a.ID) {
			t.Fatalf("apply: %+v %v", a, err)
		}
		// Before the wallet answers, nothing is decided.
		if a, err = f.s.Settle(ctx, a.ID, testBase); err != nil || a.Status != Waiting {
			t.Fatalf("settled before the answer: %+v %v", a, err)
		}
		if err := f.answer(t, f.card(t, parent.ID), req.WalletLink); err != nil {
			t.Fatal(err)
		}
		a, err = f.s.Settle(ctx, a.ID, testBase)
		if err != nil || a.Status != Approved || a.Amount != 500_000 || a.RuleID != multi.RuleID || a.Arrival != 1 {
			t.Fatalf("decision %+v %v", a, err)
		}
		if a.Facts["children_under_19"] != float64(3) || a.Facts["household_id"] != "H-1" || len(a.Facts) != 2 ||
			!strings.Contains(a.Presentation, req.ID) || !strings.Contains(a.Presentation, `"card"`) {
			t.Fatalf("the decision records %v from %s", a.Facts, a.Presentation)
		}
		var eligibility, hash string
		if err := d.QueryRow(ctx, `SELECT eligibility, hash FROM programme_rules WHERE id = $1`, a.RuleID).Scan(&eligibility, &hash); err != nil ||
			eligibility != multi.Eligibility || len(hash) != 64 {
			t.Fatalf("rule version %q %q %v", eligibility, hash, err)
		}
		accounts, err := f.s.Accounts(ctx, parent.ID)
		if err != nil || len(accounts) != 1 || accounts[0].Balance != 500_000 || !accounts[0].ExpiresAt.Equal(multi.PointsExpire) {
			t.Fatalf("accounts %+v %v", accounts, err)
		}
		moves, _ := f.s.Movements(ctx, parent.ID, 10)
		if len(moves) != 1 || moves[0].Kind != Credited {
			t.Fatalf("movements %+v", moves)
		}
		receipt, err := f.s.Receipt(ctx, parent.ID, moves[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(receipt.Entry), `"points.credited"`) || !strings.Contains(string(receipt.Entry), `"amount":500000`) {
			t.Fatalf("receipt entry %s", receipt.Entry)
		}
		if _, err := f.s.Receipt(ctx, partner.ID, moves[0].ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("someone else's receipt: %v", err)
		}
		// Settling again changes nothing.
		if again, _ := f.s.Settle(ctx, a.ID, testBase); again.Status != Approved {
			t.Fatalf("settled twice: %+v", again)
		}
		if _, _, err := f.s.Apply(ctx, parent.ID, multi.Slug, testBase); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("applied twice: %v", err)
		}

		// One benefit per household: the partner is told why.
		b, req, _ := f.s.Apply(ctx, partner.ID, multi.Slug, testBase)
		f.answer(t, f.card(t, partner.ID), req.WalletLink)
		if b, _ = f.s.Settle(ctx, b.ID, testBase); b.Status != NotEligible || b.Reason != "funds.reason_household" {
			t.Fatalf("partner %+v", b)
		}
		// One child: not eligible by the rules, then an appeal and a reviewer.
		c, req, _ := f.s.Apply(ctx, single.ID, multi.Slug, testBase)
		f.answer(t, f.card(t, single.ID), req.WalletLink)
		if c, _ = f.s.Settle(ctx, c.ID, testBase); c.Status != NotEligible || c.Reason != "funds.reason_rules" {
			t.Fatalf("one child %+v", c)
		}
		if _, err := f.s.Appeal(ctx, parent.ID, c.ID, "제 신청입니다"); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("someone else's appeal: %v", err)
		}
		if _, err := f.s.Appeal(ctx, single.ID, c.ID, "  "); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("empty appeal: %v", err)
		}
		if c, err = f.s.Appeal(ctx, single.ID, c.ID, "둘째가 지난달 태어났는데 등록이 늦었습니다."); err != nil || c.Status != Appealed {
			t.Fatalf("appeal %+v %v", c, err)
		}
		queue, _ := f.s.ReviewQueue(ctx)
		if len(queue) != 1 || queue[0].ID != c.ID {
			t.Fatalf("queue %+v", queue)
		}
		var reviewer int64
		d.QueryRow(ctx, `SELECT id FROM users WHERE username = 'staff'`).Scan(&reviewer)
		if _, err := f.s.Resolve(f.staff, c.ID, reviewer, true, 0, "출생신고 확인"); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("approved without an amount the rules give: %v", err)
		}
		if c, err = f.s.Resolve(f.staff, c.ID, reviewer, true, 300_000, "출생신고 확인"); err != nil || c.Status != Approved || c.Amount != 300_000 {
			t.Fatalf("resolve %+v %v", c, err)
		}
		if p, _ := f.s.Programmes.BySlug(ctx, multi.Slug); p.Committed != 800_000 || p.Approved != 2 {
			t.Fatalf("budget committed %d, approved %d", p.Committed, p.Approved)
		}
	})
}

// A presentation that is refused names why and changes nothing, and the
// citizen may apply again.
func TestApplicationRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	ctx := context.Background()
	long := DemoProgrammes(today)[0]
	long.ClosesAt, long.PointsExpire = today.AddDate(2, 0, 0), today.AddDate(3, 0, 0) // open long enough for a card to expire
	multi := f.programme(t, long)
	apply := func(r identity.Resident) (Application, identity.PresentationRequest) {
		t.Helper()
		a, req, err := f.s.Apply(ctx, r.ID, multi.Slug, testBase)
		if err != nil {
			t.Fatal(err)
		}
		return a, req
	}
	settle := func(a Application, status, reason string) {
		t.Helper()
		got, err := f.s.Settle(ctx, a.ID, testBase)
		if err != nil || got.Status != status || got.Reason != reason {
			t.Fatalf("want %s %s, got %+v %v", status, reason, got, err)
		}
	}

	// Someone else's card, though valid, is not the applicant's.
	r := f.resident(t, "H-1", parentBirth, 2, true)
	other := f.resident(t, "H-9", parentBirth, 2, true)
	a, req := apply(r)
	if err := f.answer(t, f.card(t, other.ID), req.WalletLink); err != nil {
		t.Fatal(err)
	}
	settle(a, Refused, "funds.reason_not_own_card")

	// A revoked card.
	a, req = apply(r)
	h := f.card(t, r.ID)
	if _, err := f.cards.SetStatus(ctx, r.ID, identity.StatusRevoked); err != nil {
		t.Fatal(err)
	}
	if err := f.answer(t, h, req.WalletLink); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("revoked card: %v", err)
	}
	settle(a, Refused, "identity.reason_revoked")

	// A tampered card: the issuer's signature no longer matches.
	h = f.card(t, r.ID)
	a, req = apply(r)
	sig := strings.Index(h.card, "~") - 3
	flip := map[byte]byte{'A': 'B'}[h.card[sig]]
	if flip == 0 {
		flip = 'A'
	}
	h.card = h.card[:sig] + string(flip) + h.card[sig+1:]
	f.answer(t, h, req.WalletLink)
	got, _ := f.s.Settle(ctx, a.ID, testBase)
	if got.Status != Refused || !strings.HasPrefix(got.Reason, "identity.reason_") {
		t.Fatalf("tampered: %+v", got)
	}

	// An expired request.
	a, _ = apply(r)
	f.now = f.now.Add(identity.RequestLifetime + time.Minute)
	settle(a, Refused, "identity.request_expired")

	// A replayed answer: the wallet's answer is accepted once.
	a, req = apply(r)
	answer := f.present(t, f.card(t, r.ID), req.WalletLink)
	if _, err := f.pres.Respond(ctx, testBase, answer); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pres.Respond(ctx, testBase, answer); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("replayed answer: %v", err)
	}
	settle(a, Approved, "")

	// The registry changed after the card was issued: staff review it.
	s := f.resident(t, "H-5", parentBirth, 2, true)
	h = f.card(t, s.ID)
	s.ChildrenUnder19 = 1
	if err := f.d.Tx(ctx, func(tx *sql.Tx) error { return f.registry.SaveTx(ctx, tx, []identity.Resident{s}) }); err != nil {
		t.Fatal(err)
	}
	a, req = apply(s)
	f.answer(t, h, req.WalletLink)
	settle(a, Review, "funds.review_mismatch")
	if got, _ := f.s.Application(ctx, a.ID); got.Detail != "children_under_19" {
		t.Fatalf("review detail %q", got.Detail)
	}

	// An expired card: the wallet still holds it, a year later.
	old := f.resident(t, "H-7", parentBirth, 2, true)
	stale := f.card(t, old.ID)
	f.now = f.now.Add(identity.CardLifetime + 24*time.Hour)
	a, req = apply(old)
	f.answer(t, stale, req.WalletLink)
	settle(a, Refused, "identity.reason_expired")

	// Declining is not a refusal on the merits: the citizen may apply again.
	d := f.resident(t, "H-6", parentBirth, 2, true)
	a, req = apply(d)
	if _, err := f.pres.Respond(ctx, testBase, identity.Answer{State: requestID(req.WalletLink), Error: "access_denied"}); err != nil {
		t.Fatal(err)
	}
	settle(a, Declined, "")
	if again, _ := apply(d); again.ID != a.ID || again.Status != Waiting {
		t.Fatalf("applying again: %+v", again)
	}
	// Nothing moved for any refusal.
	if p, _ := f.s.Programmes.BySlug(ctx, multi.Slug); p.Committed != 300_000 || p.Approved != 1 {
		t.Fatalf("committed %d for %d approvals", p.Committed, p.Approved)
	}
}

// manyApplicants adds n eligible residents, each of their own household,
// and a waiting application of each to p, in one transaction.
func manyApplicants(t testing.TB, f *fixture, p Programme, n int) []Application {
	t.Helper()
	ctx := context.Background()
	rs := make([]identity.Resident, n)
	for i := range rs {
		rs[i] = identity.Resident{RegistryID: fmt.Sprintf("M-%06d", i), Name: "주민", BirthDate: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
			District: "21090", Zone: "HAE-1", HouseholdID: fmt.Sprintf("MH-%06d", i), ChildrenUnder19: 2}
	}
	var apps []Application
	err := f.d.Tx(ctx, func(tx *sql.Tx) error {
		if err := f.registry.SaveTx(ctx, tx, rs); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO applications (programme_id, resident_id, status, created_at)
			SELECT $1, id, $2, $3 FROM residents WHERE registry_id LIKE 'M-%' RETURNING id, resident_id`, p.ID, Waiting, db.Time(f.now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a := Application{ProgrammeID: p.ID, Status: Waiting}
			if err := rows.Scan(&a.ID, &a.ResidentID); err != nil {
				return err
			}
			apps = append(apps, a)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return apps
}

// 10,000 complete applications arrive at once for the youth pass's 5,000
// places: exactly 5,000 are approved, and they are the first 5,000 in the
// order of arrival; the budget is never exceeded.
func TestQuotaUnderConcurrentApplications(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		youth := f.programme(t, DemoProgrammes(today)[1])
		rules, _ := CompileRules(youth.Eligibility, youth.Benefit)
		apps := manyApplicants(t, f, youth, 10_000)
		var wg sync.WaitGroup
		sem := make(chan struct{}, 64)
		failures := make(chan error, len(apps))
		for _, a := range apps {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				d := decision{app: a, programme: youth, rules: rules, vars: youth.needs(rules), facts: Facts{Age: 26}, from: Waiting}
				if _, err := f.s.decide(ctx, d.byRules()); err != nil {
					failures <- err
				}
			})
		}
		wg.Wait()
		close(failures)
		for err := range failures {
			t.Fatal(err)
		}
		type row struct {
			arrival int64
			status  string
		}
		rows, err := d.Query(ctx, `SELECT arrival, status FROM applications WHERE programme_id = $1`, youth.ID)
		list, err := db.Collect(rows, err, func(s db.Scanner) (row, error) {
			var r row
			return r, s.Scan(&r.arrival, &r.status)
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].arrival < list[j].arrival })
		for i, r := range list {
			want := AwaitingPay // the pass's points follow the co-payment
			if i >= 5000 {
				want = Full
			}
			if r.arrival != int64(i+1) || r.status != want {
				t.Fatalf("arrival %d (place %d) is %s, want %s", r.arrival, i+1, r.status, want)
			}
		}
		p, _ := f.s.Programmes.BySlug(ctx, youth.Slug)
		if p.Approved != 5000 || p.Committed != 5000*100_000 || p.Committed > p.Budget {
			t.Fatalf("approved %d, committed %d of %d", p.Approved, p.Committed, p.Budget)
		}
	})
}

// Concurrent approvals stop at the budget to the won, without a quota.
func TestBudgetUnderConcurrentApprovals(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		p := DemoProgrammes(today)[0]
		p.Unit, p.Budget = PerPerson, 10_000_000 // 33 approvals of 300,000, and 100,000 left over
		p = f.programme(t, p)
		rules, _ := CompileRules(p.Eligibility, p.Benefit)
		apps := manyApplicants(t, f, p, 200)
		var wg sync.WaitGroup
		for _, a := range apps {
			wg.Go(func() {
				d := decision{app: a, programme: p, rules: rules, vars: p.needs(rules), facts: Facts{ChildrenUnder19: 2, HouseholdID: "x"}, from: Waiting}
				if _, err := f.s.decide(ctx, d.byRules()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, _ := f.s.Programmes.BySlug(ctx, p.Slug)
		var spent int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM applications WHERE status = $1 AND reason = 'funds.reason_budget_spent'`, Full).Scan(&spent)
		if got.Approved != 33 || got.Committed != 9_900_000 || spent != 167 {
			t.Fatalf("approved %d, committed %d, %d told the budget is spent", got.Approved, got.Committed, spent)
		}
	})
}
