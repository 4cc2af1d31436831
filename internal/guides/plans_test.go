package guides

import (
	"context"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

const day = "2026-12-07" // a Monday

func TestPlanProposeAdjustConfirm(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hs := f.hotspots(threeSpots)
		kim, lee := f.guide("김안내", "Z1"), f.guide("이안내", "Z1 Z2")
		f.shift(kim, day, 9, 12)
		f.shift(lee, day, 10, 14)
		if _, err := f.svc.AddShift(f.admin, Shift{GuideID: idOf(kim), Day: day, Start: 11, End: 13}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("overlapping shift: %v", err)
		}
		p, err := f.svc.ProposePlan(f.admin, day)
		if err != nil {
			t.Fatal(err)
		}
		at := map[[2]int64]int64{} // guide, hour -> hotspot
		for _, v := range p.Visits {
			at[[2]int64{v.GuideID, int64(v.Hour)}] = v.HotspotID
		}
		// 9 h: only Kim, at the station (300 > 200). 10 h: station (300) and
		// market (200). 12–13 h: Lee alone, at the senior centre in Z2.
		stn, mkt, ctr := hs["stn"].ID, hs["mkt"].ID, hs["ctr"].ID
		checks := map[[2]int64]int64{{idOf(kim), 9}: stn, {idOf(kim), 10}: stn, {idOf(lee), 10}: mkt, {idOf(lee), 12}: ctr, {idOf(lee), 13}: ctr}
		for k, want := range checks {
			if at[k] != want {
				t.Errorf("guide %d at %d h: %d, want %d (plan %+v)", k[0], k[1], at[k], want, p.Visits)
			}
		}
		if _, err := f.svc.ProposePlan(kim, day); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a guide proposed a plan: %v", err)
		}

		// Adjusting: Kim to the market at 10 h is refused while Lee is
		// there (200 is not crowded); Lee's visit removed, then it works.
		wantErr(t, "double", f.svc.Assign(f.admin, p.ID, p.Version, idOf(kim), 10, mkt), errs.Invalid, "guides.spot_taken")
		wantErr(t, "stale version", f.svc.Assign(f.admin, p.ID, p.Version+1, idOf(lee), 10, 0), errs.Conflict, "guides.plan_changed")
		p, _ = f.svc.PlanOf(f.admin, day)
		if err := f.svc.Assign(f.admin, p.ID, p.Version, idOf(lee), 10, 0); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Assign(f.admin, p.ID, p.Version+1, idOf(kim), 10, mkt); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "off shift", f.svc.Assign(f.admin, p.ID, p.Version+2, idOf(kim), 15, mkt), errs.Invalid, "guides.not_on_shift")
		p, _ = f.svc.PlanOf(f.admin, day)
		if mine, _ := f.svc.MyVisits(kim, day); len(mine) != 0 {
			t.Errorf("a proposal is not yet the patrol: %+v", mine)
		}
		if err := f.svc.ConfirmPlan(f.admin, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		mine, err := f.svc.MyVisits(kim, day)
		if err != nil || len(mine) != 3 || mine[1].Hour != 10 || mine[1].HotspotID != mkt {
			t.Errorf("Kim's patrol: %+v %v", mine, err)
		}
		_, err = f.svc.ProposePlan(f.admin, day)
		wantErr(t, "propose over a confirmed plan", err, errs.Conflict, "guides.plan_confirmed")
		wantErr(t, "assign on a confirmed plan", f.svc.Assign(f.admin, p.ID, p.Version+1, idOf(kim), 10, 0), errs.Conflict, "guides.plan_confirmed")
	})
}

// Two coordinators acting on the plan as they both saw it: one wins, the
// other is told the plan changed, and nothing is lost or mixed.
func TestTwoCoordinatorsOnOnePlan(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hs := f.hotspots(threeSpots)
		kim := f.guide("김안내", "Z1 Z2")
		f.shift(kim, day, 9, 14)
		other := f.staff("centre_admin", "다른 담당자")
		ctxs := []context.Context{f.admin, other}
		for round := range 5 {
			if _, err := f.svc.ProposePlan(f.admin, day); err != nil {
				t.Fatal(err)
			}
			p, _ := f.svc.PlanOf(f.admin, day)
			targets := []int64{hs["mkt"].ID, hs["ctr"].ID}
			errsOf := together(2, func(i int) error {
				return f.svc.Assign(ctxs[i], p.ID, p.Version, idOf(kim), 10, targets[i])
			})
			won := -1
			for i, err := range errsOf {
				switch {
				case err == nil:
					won = i
				case errs.CodeOf(err) != errs.Conflict:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if won < 0 || (errsOf[0] == nil) == (errsOf[1] == nil) {
				t.Fatalf("round %d: outcomes %v", round, errsOf)
			}
			p2, _ := f.svc.PlanOf(f.admin, day)
			if p2.Version != p.Version+1 || count(t, d, `SELECT COUNT(*) FROM guide_plan_visits WHERE plan_id = $1 AND hour = 10`, p.ID) != 1 {
				t.Fatalf("round %d: version %d, visits at 10 h %d", round, p2.Version, count(t, d, `SELECT COUNT(*) FROM guide_plan_visits WHERE plan_id = $1 AND hour = 10`, p.ID))
			}
			for _, v := range p2.Visits {
				if v.Hour == 10 && v.HotspotID != targets[won] {
					t.Fatalf("round %d: the winner's change was lost", round)
				}
			}
		}
		p, _ := f.svc.PlanOf(f.admin, day)
		confirmed := together(2, func(i int) error { return f.svc.ConfirmPlan(ctxs[i], p.ID, p.Version) })
		if (confirmed[0] == nil) == (confirmed[1] == nil) {
			t.Fatalf("both or neither confirmed: %v", confirmed)
		}
		for _, err := range confirmed {
			if err != nil && errs.CodeOf(err) != errs.Conflict {
				t.Fatal(err)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'guide_plan.confirm'`); n != 1 {
			t.Errorf("%d confirmations audited", n)
		}
	})
}
