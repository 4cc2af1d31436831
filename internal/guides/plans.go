package guides

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Plan statuses.
const (
	Proposed  = "proposed"
	Confirmed = "confirmed"
)

// Plan is a day's patrol: which spot each guide on shift visits each hour.
type Plan struct {
	ID          int64
	Day         string
	Status      string
	Version     int
	ConfirmedAt time.Time
	Visits      []Visit
}

// planInput gathers what a proposal needs, in tx so that it sees one state.
func (s *Service) planInput(ctx context.Context, q db.Querier, day string, date time.Time) (PlanInput, error) {
	in := PlanInput{Day: date}
	var err error
	rows, err := q.QueryContext(ctx, `SELECT `+hotspotCols+` FROM guide_hotspots ORDER BY id`)
	if in.Hotspots, err = db.Collect(rows, err, scanHotspot); err != nil {
		return in, err
	}
	rows, err = q.QueryContext(ctx, `SELECT `+guideCols+` FROM guide_guides WHERE active ORDER BY user_id`)
	if in.Guides, err = db.Collect(rows, err, scanGuide); err != nil {
		return in, err
	}
	if in.Shifts, err = shiftsOn(ctx, q, day); err != nil {
		return in, err
	}
	at, err := recentRequests(ctx, q, db.Time(s.Now().AddDate(0, 0, -RecentDays)))
	if err != nil {
		return in, err
	}
	in.Requests = NearbyRequests(in.Hotspots, at)
	return in, nil
}

func recentRequests(ctx context.Context, q db.Querier, since time.Time) (map[int64]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT hotspot_id, COUNT(*) FROM guide_requests WHERE hotspot_id IS NOT NULL AND created_at >= $1 GROUP BY hotspot_id`, since)
	return db.CollectMap(rows, err, map[int64]int{})
}

// ProposePlan computes the day's patrol and keeps it as a proposal,
// replacing an earlier proposal of the day. A confirmed plan stays.
func (s *Service) ProposePlan(ctx context.Context, day string) (Plan, error) {
	if _, err := coordinator(ctx); err != nil {
		return Plan{}, err
	}
	date, err := ParseDay(day)
	if err != nil {
		return Plan{}, err
	}
	var p Plan
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err = s.proposeTx(ctx, tx, day, date)
		return err
	})
	if err != nil {
		return Plan{}, err
	}
	return p, nil
}

func (s *Service) proposeTx(ctx context.Context, tx *sql.Tx, day string, date time.Time) (Plan, error) {
	p := Plan{Day: day, Status: Proposed}
	now := db.Time(s.Now())
	// Claim the day's row first, so that two coordinators proposing at
	// once take turns rather than mixing two plans' visits.
	err := tx.QueryRowContext(ctx, `UPDATE guide_plans SET version = version + 1 WHERE day = $1 AND status = 'proposed' RETURNING id, version`, day).
		Scan(&p.ID, &p.Version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM guide_plans WHERE day = $1`, day).Scan(&status)
		if err == nil {
			return p, errs.New(errs.Conflict, "guides.plan_confirmed")
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return p, err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO guide_plans (day, status, version, created_at) VALUES ($1, 'proposed', 1, $2) RETURNING id, version`,
			day, now).Scan(&p.ID, &p.Version); err != nil {
			if db.IsUniqueViolation(err) {
				return p, errs.New(errs.Conflict, "guides.plan_changed")
			}
			return p, err
		}
	case err != nil:
		return p, err
	default:
		if _, err := tx.ExecContext(ctx, `DELETE FROM guide_plan_visits WHERE plan_id = $1`, p.ID); err != nil {
			return p, err
		}
	}
	in, err := s.planInput(ctx, tx, day, date)
	if err != nil {
		return p, err
	}
	p.Visits = Propose(in)
	if err := insertVisits(ctx, tx, p.ID, p.Visits); err != nil {
		return p, err
	}
	return p, audit.Record(ctx, tx, audit.Entry{Action: "guide_plan.propose", SubjectType: "guide_plan", SubjectID: p.ID, Detail: day})
}

func insertVisits(ctx context.Context, tx *sql.Tx, planID int64, vs []Visit) error {
	for start := 0; start < len(vs); start += db.RowsPerInsert {
		chunk := vs[start:min(start+db.RowsPerInsert, len(vs))]
		args := make([]any, 0, len(chunk)*5)
		for _, v := range chunk {
			args = append(args, planID, v.GuideID, v.Hour, v.HotspotID, v.Need)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO guide_plan_visits (plan_id, guide_id, hour, hotspot_id, need) VALUES `+db.Values(len(chunk), 5), args...); err != nil {
			return err
		}
	}
	return nil
}

// PlanOf returns the day's plan with its visits.
func (s *Service) PlanOf(ctx context.Context, day string) (Plan, error) {
	if _, err := staffOrGuide(ctx); err != nil {
		return Plan{}, err
	}
	return findPlan(ctx, s.db.Read(), day)
}

func findPlan(ctx context.Context, q db.Querier, day string) (Plan, error) {
	var p Plan
	var confirmed sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, day, status, version, confirmed_at FROM guide_plans WHERE day = $1`, day).
		Scan(&p.ID, &p.Day, &p.Status, &p.Version, &confirmed)
	if err != nil {
		return p, db.NotFound(err, "guides.plan_not_found")
	}
	p.ConfirmedAt = confirmed.Time
	rows, err := q.QueryContext(ctx, `SELECT v.guide_id, g.name, v.hour, v.hotspot_id, v.need FROM guide_plan_visits v JOIN guide_guides g ON g.user_id = v.guide_id
		WHERE v.plan_id = $1 ORDER BY v.hour, g.name, v.guide_id`, p.ID)
	p.Visits, err = db.Collect(rows, err, func(r db.Scanner) (Visit, error) {
		var v Visit
		err := r.Scan(&v.GuideID, &v.GuideName, &v.Hour, &v.HotspotID, &v.Need)
		return v, err
	})
	return p, err
}

// claimPlan moves a proposed plan from version to the next, or refuses:
// someone else changed or confirmed it since the coordinator saw it.
func claimPlan(ctx context.Context, tx *sql.Tx, planID int64, version int) (string, error) {
	var day string
	err := tx.QueryRowContext(ctx, `UPDATE guide_plans SET version = version + 1 WHERE id = $1 AND version = $2 AND status = 'proposed' RETURNING day`,
		planID, version).Scan(&day)
	if errors.Is(err, sql.ErrNoRows) {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM guide_plans WHERE id = $1`, planID).Scan(&status); errors.Is(err, sql.ErrNoRows) {
			return "", errs.New(errs.NotFound, "guides.plan_not_found")
		}
		if status == Confirmed {
			return "", errs.New(errs.Conflict, "guides.plan_confirmed")
		}
		return "", errs.New(errs.Conflict, "guides.plan_changed")
	}
	return day, err
}

// Assign sends a guide on shift to a spot for an hour of a proposed plan,
// or takes the visit off with hotspotID 0. version is the plan's version
// the coordinator saw.
func (s *Service) Assign(ctx context.Context, planID int64, version int, guideID int64, hour int, hotspotID int64) error {
	if _, err := coordinator(ctx); err != nil {
		return err
	}
	if hour < 0 || hour > 23 {
		return errs.Field("hour", "guides.hour_invalid")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		day, err := claimPlan(ctx, tx, planID, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM guide_plan_visits WHERE plan_id = $1 AND guide_id = $2 AND hour = $3`, planID, guideID, hour); err != nil {
			return err
		}
		if hotspotID != 0 {
			date, _ := ParseDay(day)
			in, err := s.planInput(ctx, tx, day, date)
			if err != nil {
				return err
			}
			if err := checkAssign(ctx, tx, &in, planID, guideID, hour, hotspotID); err != nil {
				return err
			}
			var h Hotspot
			for _, x := range in.Hotspots {
				if x.ID == hotspotID {
					h = x
				}
			}
			if err := insertVisits(ctx, tx, planID, []Visit{{GuideID: guideID, Hour: hour, HotspotID: hotspotID, Need: in.Need(h, hour)}}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "guide_plan.assign", SubjectType: "guide_plan", SubjectID: planID})
	})
}

// checkAssign refuses a visit by a guide off duty, to a spot that does not
// exist, or to a spot that already has its guide and is not crowded
// enough for a second.
func checkAssign(ctx context.Context, tx *sql.Tx, in *PlanInput, planID, guideID int64, hour int, hotspotID int64) error {
	onDuty := false
	for _, sh := range in.Shifts {
		onDuty = onDuty || (sh.GuideID == guideID && sh.Covers(hour))
	}
	if !onDuty {
		return errs.Field("guide", "guides.not_on_shift")
	}
	var h *Hotspot
	for i := range in.Hotspots {
		if in.Hotspots[i].ID == hotspotID {
			h = &in.Hotspots[i]
		}
	}
	if h == nil {
		return errs.Field("hotspot", "guides.hotspot_not_found")
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM guide_plan_visits WHERE plan_id = $1 AND hour = $2 AND hotspot_id = $3`, planID, hour, hotspotID).Scan(&n); err != nil {
		return err
	}
	if n >= 2 || (n == 1 && in.Need(*h, hour) < SecondGuideNeed) {
		return errs.Field("hotspot", "guides.spot_taken")
	}
	return nil
}

// ConfirmPlan makes a proposed plan the day's patrol, as the coordinator
// saw it at version.
func (s *Service) ConfirmPlan(ctx context.Context, planID int64, version int) error {
	a, err := coordinator(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := claimPlan(ctx, tx, planID, version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE guide_plans SET status = 'confirmed', confirmed_at = $2, confirmed_by = $3 WHERE id = $1`,
			planID, db.Time(s.Now()), a.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "guide_plan.confirm", SubjectType: "guide_plan", SubjectID: planID})
	})
}

// MyVisits are the signed-in guide's visits in the day's confirmed plan.
func (s *Service) MyVisits(ctx context.Context, day string) ([]Visit, error) {
	a, err := staffOrGuide(ctx)
	if err != nil {
		return nil, err
	}
	p, err := findPlan(ctx, s.db.Read(), day)
	if errs.CodeOf(err) == errs.NotFound {
		return nil, nil
	}
	if err != nil || p.Status != Confirmed {
		return nil, err
	}
	var out []Visit
	for _, v := range p.Visits {
		if v.GuideID == a.ID {
			out = append(out, v)
		}
	}
	return out, nil
}

// PlanByID returns a plan with its visits.
func (s *Service) PlanByID(ctx context.Context, id int64) (Plan, error) {
	if _, err := coordinator(ctx); err != nil {
		return Plan{}, err
	}
	var day string
	err := s.db.Read().QueryRowContext(ctx, `SELECT day FROM guide_plans WHERE id = $1`, id).Scan(&day)
	if err != nil {
		return Plan{}, db.NotFound(err, "guides.plan_not_found")
	}
	return findPlan(ctx, s.db.Read(), day)
}

// Needs is what a proposal for day would be computed from, for the
// coordinator choosing a spot by hand.
func (s *Service) Needs(ctx context.Context, day string) (PlanInput, error) {
	if _, err := coordinator(ctx); err != nil {
		return PlanInput{}, err
	}
	date, err := ParseDay(day)
	if err != nil {
		return PlanInput{}, err
	}
	return s.planInput(ctx, s.db.Read(), day, date)
}
