package funds

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
)

// shop is an approved merchant of category and the account that runs it.
func (f *fixture) shop(t testing.TB, category string, n int) (Merchant, int64) {
	t.Helper()
	ctx := context.Background()
	var owner int64
	if err := f.d.Write().QueryRowContext(ctx, `INSERT INTO users (role, name, phone, created_at) VALUES ('citizen', '원장', $1, $2) RETURNING id`,
		fmt.Sprintf("+8219%08d", n), db.Time(f.now)).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	m, err := f.s.RegisterMerchant(ctx, owner, Merchant{BusinessNumber: testBusinessNumber(n), Name: fmt.Sprintf("가게 %d", n), Category: category, District: "21090"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.DecideMerchant(f.staff, m.ID, 1, true, ""); err != nil {
		t.Fatal(err)
	}
	m.Status = MerchantApproved
	return m, owner
}

// testBusinessNumber is the n-th valid business number.
func testBusinessNumber(n int) string {
	for check := 0; check < 10; check++ {
		s := fmt.Sprintf("%09d%d", 100000000+n, check)
		if _, err := ParseBusinessNumber(s); err == nil {
			return s
		}
	}
	panic("no check digit")
}

// credited gives a resident amount of p's points, committed from its
// budget, as an approval does.
func (f *fixture) credited(t testing.TB, r identity.Resident, p Programme, amount int64) {
	t.Helper()
	ctx := context.Background()
	if err := f.d.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE programmes SET committed = committed + $1 WHERE id = $2`, amount, p.ID); err != nil {
			return err
		}
		_, err := f.s.creditTx(ctx, tx, r.ID, p, amount)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) balance(t testing.TB, r identity.Resident) int64 {
	t.Helper()
	accounts, err := f.s.Accounts(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, a := range accounts {
		sum += a.Balance
	}
	return sum
}

func TestBusinessNumbers(t *testing.T) {
	t.Parallel()
	for in, ok := range map[string]bool{
		"220-81-62517": true, "2208162517": true, " 220 81 62517 ": true,
		"220-81-62518": false, "22081625": false, "220-8a-62517": false, "": false,
	} {
		if _, err := ParseBusinessNumber(in); (err == nil) != ok {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// 1,000 payments race against points that pay for 10 of them: exactly 10
// succeed, the others are told the points are too few, and the balance
// never goes below zero.
func TestConcurrentPaymentsNeverOverspend(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		multi := f.programme(t, DemoProgrammes(today)[0])
		academy, owner := f.shop(t, "education", 1)
		parent := f.resident(t, "H-1", parentBirth, 2, false)
		f.credited(t, parent, multi, 300_000)
		requests := make([]PaymentRequest, 1000)
		for i := range requests {
			var err error
			if requests[i], err = f.s.RequestPayment(ctx, owner, academy.ID, 30_000); err != nil {
				t.Fatal(err)
			}
		}
		var ok, short atomic.Int64
		var wg sync.WaitGroup
		for _, r := range requests {
			wg.Go(func() {
				_, err := f.s.Pay(ctx, parent.ID, r.ID, NewKey())
				switch e, _ := errs.As(err); {
				case err == nil:
					ok.Add(1)
				case e != nil && e.Key == "funds.insufficient_points":
					short.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 10 || short.Load() != 990 || f.balance(t, parent) != 0 {
			t.Fatalf("%d paid, %d refused, balance %d", ok.Load(), short.Load(), f.balance(t, parent))
		}
		var spent int64
		d.QueryRow(ctx, `SELECT COALESCE(SUM(amount), 0) FROM payments`).Scan(&spent)
		if spent != 300_000 {
			t.Fatalf("payments sum to %d", spent)
		}
	})
}

// Paying twice with the same key pays once; a second key for a paid
// request is refused; a refund gives points back, never more than paid.
func TestPaymentIdempotenceAndRefunds(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		multi := f.programme(t, DemoProgrammes(today)[0])
		academy, owner := f.shop(t, "education", 1)
		parent := f.resident(t, "H-1", parentBirth, 2, false)
		f.credited(t, parent, multi, 300_000)
		req, _ := f.s.RequestPayment(ctx, owner, academy.ID, 120_000)
		key := NewKey()
		var wg sync.WaitGroup
		ids := make([]int64, 20)
		for i := range ids {
			wg.Go(func() {
				p, err := f.s.Pay(ctx, parent.ID, req.ID, key)
				if err != nil {
					t.Error(err)
				}
				ids[i] = p.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("one key, payments %v", ids)
			}
		}
		if f.balance(t, parent) != 180_000 {
			t.Fatalf("balance %d after one payment of 120,000", f.balance(t, parent))
		}
		if _, err := f.s.Pay(ctx, parent.ID, req.ID, NewKey()); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("paid twice: %v", err)
		}
		other := f.resident(t, "H-2", parentBirth, 2, false)
		if _, err := f.s.Pay(ctx, other.ID, req.ID, key); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("someone else's key: %v", err)
		}

		refundKey := NewKey()
		for range 3 {
			if p, err := f.s.Refund(ctx, owner, academy.ID, ids[0], 20_000, refundKey); err != nil || p.Refunded != 20_000 {
				t.Fatalf("refund %+v %v", p, err)
			}
		}
		if _, err := f.s.Refund(ctx, owner, academy.ID, ids[0], 100_001, NewKey()); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("refund above the payment: %v", err)
		}
		if _, err := f.s.Refund(ctx, owner, academy.ID, ids[0], 0, NewKey()); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("refund of nothing: %v", err)
		}
		other2, owner2 := f.shop(t, "education", 2)
		if _, err := f.s.Refund(ctx, owner2, other2.ID, ids[0], 1, NewKey()); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("another merchant's refund: %v", err)
		}
		if p, err := f.s.Refund(ctx, owner, academy.ID, ids[0], 100_000, NewKey()); err != nil || p.Refunded != 120_000 {
			t.Fatalf("the rest refunded: %+v %v", p, err)
		}
		if f.balance(t, parent) != 300_000 {
			t.Fatalf("balance %d after the full refund", f.balance(t, parent))
		}
		moves, _ := f.s.Movements(ctx, parent.ID, 10)
		if len(moves) != 4 || moves[0].Kind != Refunded || moves[0].Merchant != academy.Name || moves[2].Kind != Spent {
			t.Fatalf("movements %+v", moves)
		}
	})
}

// Each refusal says why and moves nothing.
func TestPaymentRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	ctx := context.Background()
	multi := f.programme(t, DemoProgrammes(today)[0])
	academy, owner := f.shop(t, "education", 1)
	cinema, cinemaOwner := f.shop(t, "cinema", 2)
	parent := f.resident(t, "H-1", parentBirth, 2, false)
	f.credited(t, parent, multi, 300_000)
	refused := func(owner int64, m Merchant, amount int64, key string) {
		t.Helper()
		req, err := f.s.RequestPayment(ctx, owner, m.ID, amount)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Pay(ctx, parent.ID, req.ID, NewKey()); errs.CodeOf(err) == errs.Internal || err == nil {
			t.Fatalf("paid %d at %s: %v", amount, m.Category, err)
		} else if e, _ := errs.As(err); e.Key != key {
			t.Fatalf("%d at %s: %s, want %s", amount, m.Category, e.Key, key)
		}
		if f.balance(t, parent) != 300_000 {
			t.Fatal("a refused payment moved points")
		}
	}
	refused(cinemaOwner, cinema, 10_000, "funds.no_points_here")
	refused(owner, academy, 300_001, "funds.insufficient_points")
	for _, amount := range []int64{0, -5, MaxPayment + 1} {
		if _, err := f.s.RequestPayment(ctx, owner, academy.ID, amount); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("a request of %d: %v", amount, err)
		}
	}
	if _, err := f.s.RequestPayment(ctx, cinemaOwner, academy.ID, 1000); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a request at someone else's till: %v", err)
	}
	if _, err := f.s.Pay(ctx, parent.ID, "no-such-request", NewKey()); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("unknown request: %v", err)
	}
	if _, err := f.s.Pay(ctx, parent.ID, "x", ""); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("no key: %v", err)
	}
	// An expired request, then expired points.
	req, _ := f.s.RequestPayment(ctx, owner, academy.ID, 1000)
	f.now = f.now.Add(PaymentRequestLifetime)
	if _, err := f.s.Pay(ctx, parent.ID, req.ID, NewKey()); !strings.Contains(fmt.Sprint(err), "payment_request_expired") {
		t.Fatalf("expired request: %v", err)
	}
	f.now = multi.PointsExpire
	refused(owner, academy, 1000, "funds.points_expired")
	// A merchant whose approval is withdrawn takes no more payments.
	req, _ = f.s.RequestPayment(ctx, owner, academy.ID, 1000)
	f.s.DecideMerchant(f.staff, academy.ID, 1, false, "폐업")
	if _, err := f.s.Pay(ctx, parent.ID, req.ID, NewKey()); !strings.Contains(fmt.Sprint(err), "merchant_not_approved") {
		t.Fatalf("refused merchant: %v", err)
	}
}

// Expired points go back to the programme's budget, with their ledger
// entry.
func TestExpiryReturnsPointsToTheBudget(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		multi := f.programme(t, DemoProgrammes(today)[0])
		academy, owner := f.shop(t, "education", 1)
		parent := f.resident(t, "H-1", parentBirth, 2, true)
		a, req, _ := f.s.Apply(ctx, parent.ID, multi.Slug, testBase)
		f.answer(t, f.card(t, parent.ID), req.WalletLink)
		if a, _ = f.s.Settle(ctx, a.ID, testBase); a.Status != Approved {
			t.Fatalf("%+v", a)
		}
		pr, _ := f.s.RequestPayment(ctx, owner, academy.ID, 100_000)
		if _, err := f.s.Pay(ctx, parent.ID, pr.ID, NewKey()); err != nil {
			t.Fatal(err)
		}
		if n, err := f.s.ExpirePoints(ctx); n != 0 || err != nil {
			t.Fatalf("expired %d before the date: %v", n, err)
		}
		f.now = multi.PointsExpire
		if n, err := f.s.ExpirePoints(ctx); n != 1 || err != nil {
			t.Fatalf("expired %d: %v", n, err)
		}
		p, _ := f.s.Programmes.BySlug(ctx, multi.Slug)
		if f.balance(t, parent) != 0 || p.Committed != 100_000 {
			t.Fatalf("balance %d, committed %d", f.balance(t, parent), p.Committed)
		}
		moves, _ := f.s.Movements(ctx, parent.ID, 1)
		if moves[0].Kind != Expired || moves[0].Amount != 200_000 {
			t.Fatalf("last movement %+v", moves[0])
		}
	})
}

// The demo shops register: their business numbers pass the check digit,
// their categories and districts are known.
func TestDemoMerchantsRegister(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	for i, m := range DemoMerchants() {
		_, owner := f.shop(t, "books", 100+i)
		if _, err := f.s.RegisterMerchant(context.Background(), owner, m); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
	}
}
