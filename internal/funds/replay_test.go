package funds

import (
	"context"
	"net/http/httptest"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/web"
)

// Replaying the ledger gives exactly the balances and the budget figures
// in the database: from the database's own copy of the log (Entries), and
// as an outside auditor does it, over HTTP, from the published tiles.
func TestLedgerReplayGivesTheDatabasesFigures(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		multi := f.programme(t, DemoProgrammes(today)[0])
		youth := DemoProgrammes(today)[1]
		youth.CoPayment = 0
		youth = f.programme(t, youth)
		academy, owner := f.shop(t, "education", 1)
		books, booksOwner := f.shop(t, "books", 2)
		for i := range 6 {
			r := f.resident(t, "H-"+string(rune('A'+i)), parentBirth, 2+i%2, false)
			f.credited(t, r, multi, 300_000+int64(i%2)*200_000)
			young := f.resident(t, "Y-"+string(rune('A'+i)), parentBirth.AddDate(15, 0, 0), 0, false)
			f.credited(t, young, youth, 100_000)
			pr, _ := f.s.RequestPayment(ctx, owner, academy.ID, 50_000+int64(i)*10_000)
			pay, err := f.s.Pay(ctx, r.ID, pr.ID, NewKey())
			if err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 {
				if _, err := f.s.Refund(ctx, owner, academy.ID, pay.ID, 20_000, NewKey()); err != nil {
					t.Fatal(err)
				}
			}
			pr, _ = f.s.RequestPayment(ctx, booksOwner, books.ID, 15_000)
			if _, err := f.s.Pay(ctx, young.ID, pr.ID, NewKey()); err != nil {
				t.Fatal(err)
			}
		}
		// The youth pass's points expire; the budget takes them back.
		f.now = youth.PointsExpire
		if n, err := f.s.ExpirePoints(ctx); err != nil || n != 6 {
			t.Fatalf("expired %d: %v", n, err)
		}

		// Each resident's balance, as the database has it and as their
		// receipts show it: every receipt verifies offline and opens its
		// entry to the resident, whose balance is what the entries add up
		// to. The public ledger no longer tells whose an entry is.
		rows, err := d.Query(ctx, `SELECT a.resident_id, p.slug, a.balance FROM point_accounts a JOIN programmes p ON p.id = a.programme_id`)
		if err != nil {
			t.Fatal(err)
		}
		type account struct {
			resident int64
			slug     string
			balance  int64
		}
		var accounts []account
		for rows.Next() {
			var a account
			rows.Scan(&a.resident, &a.slug, &a.balance)
			accounts = append(accounts, a)
		}
		rows.Close()
		if len(accounts) != 12 {
			t.Fatalf("%d accounts", len(accounts))
		}
		if err := f.ledger.Update(ctx); err != nil {
			t.Fatal(err)
		}
		receipts := 0
		for _, a := range accounts {
			moves, err := f.s.Movements(ctx, a.resident, 100)
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, m := range moves {
				if m.Programme != a.slug {
					continue
				}
				r, err := f.s.Receipt(ctx, a.resident, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				e, err := ledger.VerifyReceipt(r, f.ledger.Origin(), f.ledger.VerifierKey())
				if err != nil || r.Opening == nil || r.Opening.Owner != f.s.owner(a.resident) || e.Programme != a.slug || e.Amount != m.Amount {
					t.Fatalf("resident %d, movement %d: %+v %v", a.resident, m.ID, e, err)
				}
				receipts++
				switch e.Kind {
				case ledger.PointsCredited, ledger.PointsRefunded:
					sum += e.Amount
				case ledger.PointsSpent, ledger.PointsExpired:
					sum -= e.Amount
				}
			}
			if sum != a.balance {
				t.Errorf("%s of resident %d: receipts %d, database %d", a.slug, a.resident, sum, a.balance)
			}
		}

		// The programmes' figures, from the public ledger.
		credited, expired, budget := map[string]int64{}, map[string]int64{}, map[string]int64{}
		entries := 0
		err = f.ledger.Entries(ctx, 0, func(_ uint64, e ledger.Entry) error {
			if ledger.AboutAPerson(e.Kind) {
				entries++
			}
			switch e.Kind {
			case ledger.PointsCredited:
				credited[e.Programme] += e.Amount
			case ledger.PointsExpired:
				expired[e.Programme] += e.Amount
			case ledger.BudgetSet:
				budget[e.Programme] = e.Amount
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if entries != receipts {
			t.Errorf("%d entries about people on the ledger, %d receipts of the residents' movements", entries, receipts)
		}
		for _, slug := range []string{multi.Slug, youth.Slug} {
			p, _ := f.s.Programmes.BySlug(ctx, slug)
			if credited[slug]-expired[slug] != p.Committed || budget[slug] != p.Budget {
				t.Errorf("%s: ledger committed %d budget %d, database %d and %d", slug, credited[slug]-expired[slug], budget[slug], p.Committed, p.Budget)
			}
		}

		// The auditor, from outside, reaches the same totals.
		if err := f.ledger.Update(ctx); err != nil {
			t.Fatal(err)
		}
		rt := web.NewRouter(web.NewMetrics())
		ledger.Register(rt, f.ledger)
		srv := httptest.NewServer(rt)
		defer srv.Close()
		v, err := note.NewVerifier(f.ledger.VerifierKey())
		if err != nil {
			t.Fatal(err)
		}
		totals, err := (&ledger.Auditor{URL: srv.URL + "/ledger", Log: v, State: t.TempDir() + "/state"}).Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, slug := range []string{multi.Slug, youth.Slug} {
			p, _ := f.s.Programmes.BySlug(ctx, slug)
			var outstanding int64
			d.QueryRow(ctx, `SELECT COALESCE(SUM(balance), 0) FROM point_accounts WHERE programme_id = $1`, p.ID).Scan(&outstanding)
			tot := totals.Programmes[slug]
			if tot == nil || tot.Outstanding() != outstanding || tot.Credited-tot.Expired != p.Committed || tot.Budget != p.Budget {
				t.Errorf("%s: audited %+v, database outstanding %d committed %d budget %d", slug, tot, outstanding, p.Committed, p.Budget)
			}
		}
		var paid, refunded int64
		d.QueryRow(ctx, `SELECT COALESCE(SUM(amount), 0), COALESCE(SUM(refunded), 0) FROM payments WHERE merchant_id = $1`, academy.ID).Scan(&paid, &refunded)
		if m := totals.Merchants[f.s.merchantName(academy.ID)]; m == nil || m.Spent != paid || m.Refunded != refunded {
			t.Errorf("academy: audited %+v, database paid %d refunded %d", m, paid, refunded)
		}
	})
}
