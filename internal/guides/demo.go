package guides

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/i18n"
)

// Demo is what the demo city gives the guides part: candidate spots, the
// accounts of its guides, and the days to plan (past days also get the
// help their guides logged).
type Demo struct {
	Candidates []Candidate
	Guides     []Account
	Days       []string // YYYY-MM-DD
}

// DemoResult says what SeedDemo made.
type DemoResult struct {
	Hotspots int
	Guides   int
	Shifts   int
	Helps    int
}

// SeedDemo writes a demo in the caller's transaction (the demo city is
// made in one): the hotspots drawn from rng, each guide with the zone of
// a spot (or, without zones, 1.5 km around it), morning or afternoon
// shifts on the days but Sundays, each day's plan proposed and confirmed,
// and on past days some help at the planned spots. The same rng and input
// give the same demo.
func (s *Service) SeedDemo(ctx context.Context, tx *sql.Tx, rng *rand.Rand, d Demo) (DemoResult, error) {
	var res DemoResult
	hs := DemoHotspots(rng, d.Candidates)
	if _, err := s.importTx(ctx, tx, &HotspotFile{Hotspots: hs}); err != nil {
		return res, err
	}
	res.Hotspots = len(hs)
	rows, err := tx.QueryContext(ctx, `SELECT `+hotspotCols+` FROM guide_hotspots ORDER BY id`)
	stored, err := db.Collect(rows, err, scanHotspot)
	if err != nil || len(stored) == 0 {
		return res, err
	}
	now := db.Time(s.Now())
	for i, g := range d.Guides {
		spot := stored[(i*7)%len(stored)]
		zones, home, radius := spot.Zone, sql.NullInt64{}, 0
		if zones == "" {
			home, radius = sql.NullInt64{Int64: spot.ID, Valid: true}, 1500
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO guide_guides (user_id, name, zones, home_hotspot_id, radius_m, active, updated_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6)`,
			g.ID, g.Name, zones, home, radius, now); err != nil {
			return res, err
		}
		res.Guides++
	}
	today := DayOf(s.Now())
	days := slices.Clone(d.Days)
	slices.Sort(days)
	for _, day := range days {
		date, err := ParseDay(day)
		if err != nil {
			return res, err
		}
		if Weekday(date) == 6 {
			continue
		}
		for _, g := range d.Guides {
			if rng.IntN(5) == 0 {
				continue // a day off
			}
			start := 9 + 4*rng.IntN(2)
			if _, err := tx.ExecContext(ctx, `INSERT INTO guide_shifts (guide_id, day, start_hour, end_hour, created_at) VALUES ($1, $2, $3, $4, $5)`,
				g.ID, day, start, start+4, now); err != nil {
				return res, err
			}
			res.Shifts++
		}
		p, err := s.proposeTx(ctx, tx, day, date)
		if err != nil {
			return res, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE guide_plans SET status = 'confirmed', confirmed_at = $2 WHERE id = $1`, p.ID, now); err != nil {
			return res, err
		}
		if day >= today {
			continue
		}
		for _, v := range p.Visits {
			for range rng.IntN(3) {
				at := db.Time(date.Add(time.Duration(v.Hour)*time.Hour + time.Duration(rng.IntN(60))*time.Minute))
				outcome := Solved
				if rng.IntN(5) == 0 {
					outcome = Referred
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO guide_help (guide_id, hotspot_id, topic, minutes, outcome, note, at) VALUES ($1, $2, $3, $4, $5, '', $6)`,
					v.GuideID, v.HotspotID, Topics[rng.IntN(len(Topics))], MinuteChoices[rng.IntN(len(MinuteChoices))], outcome, at); err != nil {
					return res, err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE guide_hotspots SET help_count = help_count + 1,
					last_visit_at = CASE WHEN last_visit_at IS NULL OR last_visit_at < $2 THEN $2 ELSE last_visit_at END WHERE id = $1`, v.HotspotID, at); err != nil {
					return res, err
				}
				res.Helps++
			}
		}
	}
	return res, nil
}

// DemoDays are the days from first to last days after now, for SeedDemo.
func DemoDays(now time.Time, first, last int) []string {
	n := now.In(i18n.Zone)
	var out []string
	for d := first; d <= last; d++ {
		out = append(out, time.Date(n.Year(), n.Month(), n.Day()+d, 0, 0, 0, 0, i18n.Zone).Format("2006-01-02"))
	}
	return out
}
