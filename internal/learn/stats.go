package learn

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/i18n"
)

// Participation statistics for centre admins. The definitions, which the
// page states too:
//
//   - The period is a range of whole months in city time; a registration
//     belongs to it by the start of its session.
//   - Learners: distinct people with a confirmed registration, or one marked
//     attended, for a session in the period. A group registration is one
//     person (its registrant); Seats counts the seats it holds.
//   - Attendances: registrations marked attended.
//   - Sessions held: sessions in the period, not cancelled, that have
//     started. By district they count where the session was held; learners
//     and attendances count where the learner lives (a snapshot taken at
//     registration). Age group and disability have no sessions figure.

// StatsBreakdowns are the ways statistics can be broken down.
var StatsBreakdowns = []string{"district", "age_group", "disability", "theme", "month"}

// StatsFilter selects the period (whole months, To included) and a theme.
type StatsFilter struct {
	From  time.Time // first day of the first month, city time
	To    time.Time // first day of the last month, city time
	Theme string    // "" for all
}

// StatsRow is one group of a breakdown.
type StatsRow struct {
	Key         string // district code, age group, "yes"/"no", theme, or YYYY-MM
	Learners    int
	Attendances int
	Seats       int
	Sessions    int // sessions held; see HasSessions
}

// Stats is the answer for one filter.
type Stats struct {
	Filter      StatsFilter
	Total       StatsRow
	HasSessions map[string]bool // which breakdowns carry a sessions figure
	By          map[string][]StatsRow
}

// monthStart returns the first instant of t's month in city time.
func statsMonthStart(t time.Time) time.Time {
	t = t.In(i18n.Zone)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, i18n.Zone)
}

// normalize fills defaults: the twelve months up to now's month.
func (f *StatsFilter) normalize(now time.Time) {
	if f.To.IsZero() {
		f.To = statsMonthStart(now)
	}
	f.To = statsMonthStart(f.To)
	if f.From.IsZero() {
		f.From = f.To.AddDate(0, -11, 0)
	}
	f.From = statsMonthStart(f.From)
	if f.From.After(f.To) {
		f.From, f.To = f.To, f.From
	}
	// At most ten years, so a mistyped year does not draw 1,000 months.
	if f.To.Sub(f.From) > 10*366*24*time.Hour {
		f.From = f.To.AddDate(-10, 0, 0)
	}
	if !oneOf(f.Theme, Themes) {
		f.Theme = ""
	}
}

// end is the instant after the period.
func (f StatsFilter) end() time.Time { return f.To.AddDate(0, 1, 0) }

// Months lists the period's months as YYYY-MM.
func (f StatsFilter) Months() []string {
	var out []string
	for m := f.From; !m.After(f.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// Statistics computes participation for f. Grouping by month happens here
// in Go, in city time, because SQLite and PostgreSQL share no date function.
func (s *Service) Statistics(ctx context.Context, f StatsFilter) (Stats, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return Stats{}, err
	}
	now := s.Now()
	f.normalize(now)
	from, end := db.Time(f.From), db.Time(f.end())

	type agg struct {
		learners map[int64]bool
		row      StatsRow
	}
	groups := map[string]map[string]*agg{}
	total := &agg{learners: map[int64]bool{}}
	get := func(by, key string) *agg {
		g := groups[by]
		if g == nil {
			g = map[string]*agg{}
			groups[by] = g
		}
		a := g[key]
		if a == nil {
			a = &agg{learners: map[int64]bool{}, row: StatsRow{Key: key}}
			g[key] = a
		}
		return a
	}

	rows, err := s.db.Query(ctx, `SELECT r.user_id, r.seats, r.attended_at, r.learner_district, r.learner_age_group, r.learner_disability, s.starts_at, c.theme
		FROM registrations r JOIN class_sessions s ON s.id = r.session_id JOIN courses c ON c.id = s.course_id
		WHERE s.starts_at >= $1 AND s.starts_at < $2 AND ($3 = '' OR c.theme = $3)
		AND (r.status = 'confirmed' OR r.attended_at IS NOT NULL)`, from, end, f.Theme)
	if err != nil {
		return Stats{}, err
	}
	for rows.Next() {
		var user int64
		var seats int
		var attended sql.NullTime
		var district, age, theme string
		var disabled bool
		var starts time.Time
		if err := rows.Scan(&user, &seats, &attended, &district, &age, &disabled, &starts, &theme); err != nil {
			rows.Close()
			return Stats{}, err
		}
		if _, ok := city.DistrictByCode(district); !ok {
			district = "unknown"
		}
		if !oneOf(age, AgeGroups) {
			age = "unknown"
		}
		dis := "no"
		if disabled {
			dis = "yes"
		}
		keys := map[string]string{"district": district, "age_group": age, "disability": dis, "theme": theme,
			"month": starts.In(i18n.Zone).Format("2006-01")}
		for _, a := range []*agg{total, get("district", keys["district"]), get("age_group", keys["age_group"]),
			get("disability", keys["disability"]), get("theme", keys["theme"]), get("month", keys["month"])} {
			a.learners[user] = true
			a.row.Seats += seats
			if attended.Valid {
				a.row.Attendances++
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Stats{}, err
	}

	held := end
	if now.Before(held) {
		held = db.Time(now)
	}
	srows, err := s.db.Query(ctx, `SELECT s.starts_at, c.theme, v.district
		FROM class_sessions s JOIN courses c ON c.id = s.course_id JOIN venues v ON v.id = s.venue_id
		WHERE s.status = 'scheduled' AND s.starts_at >= $1 AND s.starts_at < $2 AND s.starts_at <= $3 AND ($4 = '' OR c.theme = $4)`,
		from, end, held, f.Theme)
	if err != nil {
		return Stats{}, err
	}
	for srows.Next() {
		var starts time.Time
		var theme, district string
		if err := srows.Scan(&starts, &theme, &district); err != nil {
			srows.Close()
			return Stats{}, err
		}
		if _, ok := city.DistrictByCode(district); !ok {
			district = "unknown"
		}
		total.row.Sessions++
		get("district", district).row.Sessions++
		get("theme", theme).row.Sessions++
		get("month", starts.In(i18n.Zone).Format("2006-01")).row.Sessions++
	}
	srows.Close()
	if err := srows.Err(); err != nil {
		return Stats{}, err
	}

	// Every known group is listed, in a fixed order, with zeros where
	// nobody took part: a district with no learners is news, not a gap.
	order := map[string][]string{"age_group": AgeGroups, "disability": {"yes", "no"}, "theme": Themes, "month": f.Months()}
	for _, d := range city.Districts() {
		order["district"] = append(order["district"], d.Code)
	}
	if f.Theme != "" {
		order["theme"] = []string{f.Theme}
	}
	out := Stats{Filter: f, By: map[string][]StatsRow{},
		HasSessions: map[string]bool{"district": true, "theme": true, "month": true}}
	total.row.Learners = len(total.learners)
	out.Total = total.row
	for _, by := range StatsBreakdowns {
		keys := order[by]
		if _, ok := groups[by]["unknown"]; ok && by == "district" {
			keys = append(keys, "unknown")
		}
		seen := map[string]bool{}
		for _, k := range keys {
			seen[k] = true
			a := get(by, k)
			a.row.Learners = len(a.learners)
			out.By[by] = append(out.By[by], a.row)
		}
		// Values outside the known lists (an old theme) still count.
		var extra []string
		for k := range groups[by] {
			if !seen[k] {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range extra {
			a := groups[by][k]
			a.row.Learners = len(a.learners)
			out.By[by] = append(out.By[by], a.row)
		}
	}
	return out, nil
}
