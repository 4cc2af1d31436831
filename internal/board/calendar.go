package board

import (
	"context"
	"time"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/places"
)

// CalendarDays is how far ahead a zone's calendar looks.
const CalendarDays = 30

// Day is one date of a zone's calendar with what starts that day.
type Day struct {
	Date   time.Time // midnight in the city's time zone
	Events []places.EventAt
}

// Events returns the zone's events of the coming CalendarDays days,
// soonest first.
func (s *Service) Events(ctx context.Context, zone string) ([]places.EventAt, error) {
	now := s.Now()
	return s.opts.Zones.Events(ctx, places.EventFilter{Zone: zone, From: now, To: now.Add(CalendarDays * 24 * time.Hour), Limit: 500})
}

// ByDay groups events, soonest first, by the city's calendar date they
// start on; an event already under way counts on today.
func ByDay(events []places.EventAt, now time.Time) []Day {
	var out []Day
	today := midnight(now)
	for _, e := range events {
		d := midnight(e.StartsAt)
		if d.Before(today) {
			d = today
		}
		if n := len(out); n > 0 && out[n-1].Date.Equal(d) {
			out[n-1].Events = append(out[n-1].Events, e)
			continue
		}
		out = append(out, Day{Date: d, Events: []places.EventAt{e}})
	}
	return out
}

func midnight(t time.Time) time.Time {
	t = t.In(i18n.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, i18n.Zone)
}
