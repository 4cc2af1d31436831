package funds

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
)

var today = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func TestRulesCompileOrSayWhy(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		eligibility, benefit, field, key string
	}{
		"syntax":           {"children_under_19 >=", "1", "eligibility", "funds.rule_invalid"},
		"unknown variable": {"salary > 1000", "1", "eligibility", "funds.rule_invalid"},
		"not a bool":       {"children_under_19", "1", "eligibility", "funds.rule_type"},
		"not an int":       {"true", "'300000'", "benefit", "funds.rule_type"},
		"empty":            {"true", " ", "benefit", "funds.rule_missing"},
	} {
		_, err := CompileRules(c.eligibility, c.benefit)
		e, ok := errs.As(err)
		if !ok || e.Field != c.field || e.Key != c.key {
			t.Errorf("%s: %v", name, err)
		}
	}
	// CEL's own words name where the rule went wrong.
	_, err := CompileRules("children_under_19 >= ", "1")
	if e, _ := errs.As(err); !strings.Contains(fmt.Sprint(e.Args...), "1:") {
		t.Errorf("no position in %v", err)
	}
}

func TestMultiChildBenefits(t *testing.T) {
	t.Parallel()
	p := DemoProgrammes(today)[0]
	r, err := CompileRules(p.Eligibility, p.Benefit)
	if err != nil {
		t.Fatal(err)
	}
	for children, want := range map[int64]int64{0: 0, 1: 0, 2: 300_000, 3: 500_000, 6: 500_000} {
		ok, amount, err := r.Decide(Facts{ChildrenUnder19: children})
		if err != nil || ok != (want > 0) || amount != want {
			t.Errorf("%d children: %v %d %v, want %d", children, ok, amount, err, want)
		}
	}
}

func TestFactsCountAgeOnTheDay(t *testing.T) {
	t.Parallel()
	r := identity.Resident{BirthDate: time.Date(1991, 12, 2, 0, 0, 0, 0, time.UTC)}
	if f := FactsOf(r, today); f.Age != 34 || f.AgeBracket != "19-34" {
		t.Fatalf("the day before the birthday: %+v", f)
	}
	if f := FactsOf(r, today.AddDate(0, 0, 1)); f.Age != 35 || f.AgeBracket != "35-49" {
		t.Fatalf("on the birthday: %+v", f)
	}
}

// residents saves a small registry: three households with two, three and no
// children (two adults each), and a young single person.
func residents(t *testing.T, d *db.DB) {
	t.Helper()
	var rs []identity.Resident
	add := func(id, household string, birth time.Time, children int) {
		rs = append(rs, identity.Resident{RegistryID: id, Name: "주민 " + id, BirthDate: birth, District: "21090", Zone: "HAE-1",
			HouseholdID: household, ChildrenUnder19: children})
	}
	adult := time.Date(1985, 5, 5, 0, 0, 0, 0, time.UTC)
	add("A1", "H-A", adult, 2)
	add("A2", "H-A", adult, 2)
	add("B1", "H-B", adult, 3)
	add("B2", "H-B", adult, 3)
	add("C1", "H-C", adult, 0)
	add("D1", "H-D", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	if err := d.Tx(context.Background(), func(tx *sql.Tx) error { return identity.NewRegistry(d).SaveTx(context.Background(), tx, rs) }); err != nil {
		t.Fatal(err)
	}
}

func TestSaveValidatesAndDryRuns(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		residents(t, d)
		s := NewProgrammes(d, identity.NewRegistry(d), testLedger(t, d))
		s.Now = func() time.Time { return today }
		ctx := context.Background()
		multi, youth := DemoProgrammes(today)[0], DemoProgrammes(today)[1]

		saved, run, err := s.Save(ctx, multi)
		if err != nil {
			t.Fatal(err)
		}
		// Four parents qualify; one benefit per household: 300,000 + 500,000.
		if run.Residents != 6 || run.Eligible != 4 || run.Beneficiaries != 2 || run.Cost != 800_000 ||
			run.ByAmount[300_000] != 1 || run.ByAmount[500_000] != 1 || run.OverBudget {
			t.Fatalf("multi-child dry run %+v", run)
		}
		got, err := s.BySlug(ctx, multi.Slug)
		if err != nil || got.ID != saved.ID || got.Benefit != multi.Benefit || len(got.Categories) != 2 || !got.PointsExpire.Equal(multi.PointsExpire) {
			t.Fatalf("stored %+v %v", got, err)
		}

		// A quota of one and a budget below the cost are reported.
		youth.Quota, youth.Budget = 1, 50_000
		if _, run, err = s.Save(ctx, youth); err != nil || run.Eligible != 1 || run.Beneficiaries != 1 || run.Cost != 100_000 || !run.OverBudget {
			t.Fatalf("youth dry run %+v %v", run, err)
		}

		// A broken rule is refused and changes nothing.
		broken := multi
		broken.Benefit = "children_under_19 >= 3 ? 500000 : '300000'"
		if _, _, err := s.Save(ctx, broken); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("broken rule: %v", err)
		}
		if got, _ := s.BySlug(ctx, multi.Slug); got.Benefit != multi.Benefit {
			t.Fatalf("a refused save changed the programme: %q", got.Benefit)
		}
		for field, bad := range map[string]func(p *Programme){
			"slug":             func(p *Programme) { p.Slug = "Not A Slug" },
			"budget":           func(p *Programme) { p.Budget = 0 },
			"unit":             func(p *Programme) { p.Unit = "family" },
			"categories":       func(p *Programme) { p.Categories = []string{"casino"} },
			"closes_at":        func(p *Programme) { p.ClosesAt = p.OpensAt },
			"points_expire_at": func(p *Programme) { p.PointsExpire = p.ClosesAt },
		} {
			p := multi
			p.Slug = "another"
			bad(&p)
			if _, _, err := s.Save(ctx, p); err == nil {
				t.Errorf("%s: accepted", field)
			} else if e, _ := errs.As(err); e.Field != field {
				t.Errorf("%s: the error names %q", field, e.Field)
			}
		}
		if ps, _ := s.List(ctx); len(ps) != 2 {
			t.Fatalf("%d programmes stored", len(ps))
		}
	})
}

// The seeds' programmes dry-run on the demo city's registry of 5,000.
func TestDemoProgrammesOnTheDemoCity(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, d, demo.Options{Now: today}); err != nil {
		t.Fatal(err)
	}
	s := NewProgrammes(d, identity.NewRegistry(d), testLedger(t, d))
	s.Now = func() time.Time { return today }
	for _, p := range DemoProgrammes(today) {
		_, run, err := s.Save(ctx, p)
		if err != nil || run.Residents != 5000 || run.Beneficiaries == 0 || run.Failures != 0 || run.OverBudget {
			t.Fatalf("%s: %+v %v", p.Slug, run, err)
		}
		t.Logf("%s: %d eligible, %d beneficiaries, %d KRW", p.Slug, run.Eligible, run.Beneficiaries, run.Cost)
	}
}

// FuzzCompileRules: staff type rules; whatever they type, compiling returns
// rules or a refusal, and compiled rules evaluate without panicking.
func FuzzCompileRules(f *testing.F) {
	for _, p := range DemoProgrammes(today) {
		f.Add(p.Eligibility, p.Benefit)
	}
	f.Add("[1,2,3].all(x, x > 0)", "size('abc')")
	f.Add("district == '21090' || disability", "age * 1000")
	f.Fuzz(func(t *testing.T, eligibility, benefit string) {
		r, err := CompileRules(eligibility, benefit)
		if err != nil {
			if _, ok := errs.As(err); !ok {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		r.Decide(Facts{Age: 40, ChildrenUnder19: 2, District: "21090"})
	})
}
