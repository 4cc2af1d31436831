package guides

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/i18n"
)

// DefaultNoVisitDays is how long without a visit makes a spot worth a
// coordinator's attention.
const DefaultNoVisitDays = 14

// StatsFilter chooses the period of the statistics.
type StatsFilter struct {
	From, To    time.Time // To is excluded
	NoVisitDays int
}

// Tally is the help given under one key: a topic, a hotspot or a week.
type Tally struct {
	Key      string
	Helps    int
	Minutes  int
	Referred int
}

// Stats are the coordinators' statistics.
type Stats struct {
	Filter    StatsFilter
	Total     Tally
	ByTopic   []Tally // in the order of Topics, every topic
	ByHotspot []Tally // Key is the hotspot id; most help first
	ByWeek    []Tally // Key is the week's Monday (YYYY-MM-DD); every week of the period
	Unvisited []Hotspot
}

// WeekOf is the Monday of t's week in the city.
func WeekOf(t time.Time) time.Time {
	t = t.In(i18n.Zone)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, i18n.Zone)
	return d.AddDate(0, 0, -Weekday(d))
}

// Statistics counts the help given in the period and lists the spots no
// guide visited in the last NoVisitDays, the most crowded first.
func (s *Service) Statistics(ctx context.Context, f StatsFilter) (Stats, error) {
	if _, err := coordinator(ctx); err != nil {
		return Stats{}, err
	}
	if f.NoVisitDays <= 0 || f.NoVisitDays > 365 {
		f.NoVisitDays = DefaultNoVisitDays
	}
	now := s.Now()
	if f.To.IsZero() {
		f.To = WeekOf(now).AddDate(0, 0, 7)
	}
	if f.From.IsZero() || !f.From.Before(f.To) {
		f.From = f.To.AddDate(0, 0, -12*7)
	}
	st := Stats{Filter: f, Total: Tally{Key: "total"}}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT hotspot_id, topic, minutes, outcome, at FROM guide_help WHERE at >= $1 AND at < $2`,
		db.Time(f.From), db.Time(f.To))
	if err != nil {
		return st, err
	}
	defer rows.Close()
	topics := map[string]*Tally{}
	for _, t := range Topics {
		st.ByTopic = append(st.ByTopic, Tally{Key: t})
	}
	for i := range st.ByTopic {
		topics[st.ByTopic[i].Key] = &st.ByTopic[i]
	}
	hotspots := map[int64]*Tally{}
	weeks := map[string]*Tally{}
	for w := WeekOf(f.From); w.Before(f.To); w = w.AddDate(0, 0, 7) {
		st.ByWeek = append(st.ByWeek, Tally{Key: w.Format("2006-01-02")})
	}
	for i := range st.ByWeek {
		weeks[st.ByWeek[i].Key] = &st.ByWeek[i]
	}
	add := func(t *Tally, minutes int, referred bool) {
		t.Helps++
		t.Minutes += minutes
		if referred {
			t.Referred++
		}
	}
	for rows.Next() {
		var hotspot int64
		var topic, outcome string
		var minutes int
		var at time.Time
		if err := rows.Scan(&hotspot, &topic, &minutes, &outcome, &at); err != nil {
			return st, err
		}
		ref := outcome == Referred
		add(&st.Total, minutes, ref)
		if t := topics[topic]; t != nil {
			add(t, minutes, ref)
		}
		if hotspots[hotspot] == nil {
			hotspots[hotspot] = &Tally{Key: formatID(hotspot)}
		}
		add(hotspots[hotspot], minutes, ref)
		if t := weeks[WeekOf(at).Format("2006-01-02")]; t != nil {
			add(t, minutes, ref)
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	for _, t := range hotspots {
		st.ByHotspot = append(st.ByHotspot, *t)
	}
	slices.SortFunc(st.ByHotspot, func(a, b Tally) int { return cmp.Or(cmp.Compare(b.Helps, a.Helps), cmp.Compare(a.Key, b.Key)) })
	all, err := s.Hotspots(ctx)
	if err != nil {
		return st, err
	}
	cutoff := now.AddDate(0, 0, -f.NoVisitDays)
	for _, h := range all {
		if h.LastVisitAt.IsZero() || h.LastVisitAt.Before(cutoff) {
			st.Unvisited = append(st.Unvisited, h)
		}
	}
	slices.SortStableFunc(st.Unvisited, func(a, b Hotspot) int { return cmp.Compare(b.Profile.Peak(), a.Profile.Peak()) })
	return st, nil
}
