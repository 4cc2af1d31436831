package funds

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// everyone is the multi-child programme paid to every eligible household
// without applying.
func everyone(budget int64) Programme {
	p := DemoProgrammes(today)[0]
	p.Slug, p.Mode, p.Budget = "multi-child-everyone", ToEveryone, budget
	return p
}

// residents adds n residents, each their own household with children
// children, in one transaction: what a registry import would do.
func (f *fixture) residents(t testing.TB, n, children int) {
	t.Helper()
	ctx := context.Background()
	first := f.seq.Add(int64(n)) - int64(n)
	if err := f.d.Tx(ctx, func(tx *sql.Tx) error {
		for i := range int64(n) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO residents (registry_id, name, birth_date, district, zone, household_id, children_under_19,
				disability, phone, updated_at) VALUES ($1, $2, '1985-03-02', '21090', 'HAE-1', $3, $4, FALSE, '', $5)`,
				fmt.Sprintf("R-%06d", first+i+1), fmt.Sprintf("주민 %d", first+i+1), fmt.Sprintf("HB-%d", first+i+1), children, db.Time(f.now)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) save(t testing.TB, r identity.Resident) {
	t.Helper()
	ctx := context.Background()
	if err := f.d.Tx(ctx, func(tx *sql.Tx) error { return f.registry.SaveTx(ctx, tx, []identity.Resident{r}) }); err != nil {
		t.Fatal(err)
	}
}

// A cycle pays those the rules name when it starts, one per household;
// registry edits afterwards change nothing in it, and the next cycle
// applies the rules again.
func TestCycleFreezesItsBeneficiaries(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		p := f.programme(t, everyone(10_000_000))
		mother := f.resident(t, "H-1", parentBirth, 2, false)
		father := f.resident(t, "H-1", parentBirth, 2, false)
		big := f.resident(t, "H-2", parentBirth, 3, false)
		single := f.resident(t, "H-3", parentBirth, 1, false)
		if _, err := f.s.PayCycle(ctx, p.Slug, nil); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("paid a cycle never started: %v", err)
		}
		c, err := f.s.StartCycle(ctx, p.Slug)
		if err != nil || c.Number != 1 || c.Beneficiaries != 2 || c.Total != 800_000 {
			t.Fatalf("cycle %+v %v", c, err)
		}
		if _, err := f.s.StartCycle(ctx, p.Slug); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("a second cycle while the first is unpaid: %v", err)
		}
		big.ChildrenUnder19, single.ChildrenUnder19 = 0, 2
		f.save(t, big)
		f.save(t, single)
		var reported []int
		if c, err = f.s.PayCycle(ctx, p.Slug, func(n int) { reported = append(reported, n) }); err != nil || !c.Finished() || c.Paid != 2 {
			t.Fatalf("paid %+v %v", c, err)
		}
		if fmt.Sprint(reported) != "[2]" {
			t.Fatalf("progress %v", reported)
		}
		for r, want := range map[identity.Resident]int64{mother: 300_000, father: 0, big: 500_000, single: 0} {
			if got := f.balance(t, r); got != want {
				t.Errorf("%s: %d, want %d", r.RegistryID, got, want)
			}
		}
		if again, err := f.s.PayCycle(ctx, p.Slug, nil); err != nil || again.Paid != 2 {
			t.Fatalf("a finished cycle paid again: %+v %v", again, err)
		}
		if p, _ = f.s.Programmes.BySlug(ctx, p.Slug); p.Committed != 800_000 || p.Approved != 2 {
			t.Fatalf("committed %d, approved %d", p.Committed, p.Approved)
		}
		if credited := f.entriesOf(t, ledger.PointsCredited); len(credited) != 2 || credited[0].Amount+credited[1].Amount != 800_000 ||
			credited[0].Subject == credited[1].Subject || credited[0].Ref == credited[1].Ref {
			t.Fatalf("ledger %+v", credited)
		}

		c, err = f.s.StartCycle(ctx, p.Slug)
		if err != nil || c.Number != 2 || c.Beneficiaries != 2 || c.Total != 600_000 {
			t.Fatalf("second cycle %+v %v", c, err)
		}
		f.s.PayCycle(ctx, p.Slug, nil)
		if f.balance(t, mother) != 600_000 || f.balance(t, single) != 300_000 || f.balance(t, big) != 500_000 {
			t.Fatalf("after the second cycle: %d %d %d", f.balance(t, mother), f.balance(t, single), f.balance(t, big))
		}
	})
}

// A cycle that costs more than the budget has left is not started, and a
// programme citizens apply to has no cycles.
func TestCycleRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	ctx := context.Background()
	p := f.programme(t, everyone(700_000))
	f.resident(t, "H-1", parentBirth, 2, false)
	f.resident(t, "H-2", parentBirth, 3, false)
	_, err := f.s.StartCycle(ctx, p.Slug)
	if e, _ := errs.As(err); e == nil || e.Key != "funds.cycle_over_budget" || fmt.Sprint(e.Args...) != "800000 2 700000" {
		t.Fatalf("over budget: %#v", err)
	}
	if _, err := f.s.Cycle(ctx, p.Slug); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a refused cycle was stored: %v", err)
	}
	applied := f.programme(t, DemoProgrammes(today)[0])
	if _, err := f.s.StartCycle(ctx, applied.Slug); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a cycle of a programme one applies to: %v", err)
	}
	q := everyone(100_000_000)
	q.Slug, q.Unit, q.Quota = "quota-everyone", PerPerson, 1
	q = f.programme(t, q)
	if c, err := f.s.StartCycle(ctx, q.Slug); err != nil || c.Beneficiaries != 1 || c.Total != 300_000 {
		t.Fatalf("quota of one: %+v %v", c, err)
	}
}

// An interrupted payment resumes where it stopped: everyone is paid
// exactly once, and the ledger says so.
func TestCycleResumesAfterAnInterruption(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.programme(t, everyone(10_000_000_000))
		n := 2*CycleBatch + 100
		f.residents(t, n, 2)
		ctx, cancel := context.WithCancel(context.Background())
		if _, err := f.s.StartCycle(ctx, p.Slug); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.PayCycle(ctx, p.Slug, func(int) { cancel() })
		if err == nil {
			t.Fatal("the interrupted payment finished")
		}
		ctx = context.Background()
		c, _ := f.s.Cycle(ctx, p.Slug)
		if c.Paid != CycleBatch {
			t.Fatalf("%d paid before the interruption", c.Paid)
		}
		if c, err = f.s.PayCycle(ctx, p.Slug, nil); err != nil || c.Paid != n || !c.Finished() {
			t.Fatalf("resumed: %+v %v", c, err)
		}
		var accounts, movements, short int
		d.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN balance = 300000 THEN 0 ELSE 1 END), 0) FROM point_accounts`).Scan(&accounts, &short)
		d.QueryRow(ctx, `SELECT COUNT(*) FROM point_movements`).Scan(&movements)
		if accounts != n || short != 0 || movements != n {
			t.Fatalf("%d accounts (%d not of 300,000), %d movements", accounts, short, movements)
		}
		if credited := f.entriesOf(t, ledger.PointsCredited); len(credited) != n {
			t.Fatalf("%d ledger entries", len(credited))
		}
	})
}
