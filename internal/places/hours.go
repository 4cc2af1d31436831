package places

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// Hours are a facility's weekly opening hours, written in the subset of
// OpenStreetMap's opening_hours that facilities' spreadsheets need:
//
//	Mo-Fr 09:00-18:00; Sa 09:00-13:00
//	Mo,We,Fr 10:00-12:00,14:00-17:00; Su off
//	24/7
//
// A later rule replaces an earlier one for the days it names, as in OSM.
// The empty string means the hours are not known, which pages say rather
// than guessing "closed".
type Hours struct {
	known bool
	days  [7][]Span // by time.Weekday
}

// Span is an opening from one minute of the day to another (24:00 = 1440).
type Span struct{ From, To int }

var dayCodes = []string{"Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"} // time.Weekday order

// MaxHoursLength bounds the text of opening hours.
const MaxHoursLength = 200

// ParseHours reads opening hours; an error names the part not understood.
func ParseHours(s string) (Hours, error) {
	var h Hours
	s = strings.TrimSpace(s)
	if s == "" {
		return h, nil
	}
	if len(s) > MaxHoursLength {
		return h, errs.Field("hours", "places.hours_too_long", MaxHoursLength)
	}
	h.known = true
	if s == "24/7" {
		for d := range h.days {
			h.days[d] = []Span{{0, 1440}}
		}
		return h, nil
	}
	for rule := range strings.SplitSeq(s, ";") {
		rule = strings.TrimSpace(rule)
		if rule == "" {
			continue
		}
		dayPart, timePart, ok := strings.Cut(rule, " ")
		if !ok {
			return Hours{}, errs.Field("hours", "places.hours_invalid", rule)
		}
		days, ok := parseDays(dayPart)
		if !ok {
			return Hours{}, errs.Field("hours", "places.hours_invalid", dayPart)
		}
		spans, ok := parseSpans(strings.TrimSpace(timePart))
		if !ok {
			return Hours{}, errs.Field("hours", "places.hours_invalid", rule)
		}
		for _, d := range days {
			h.days[d] = spans
		}
	}
	return h, nil
}

func parseDays(s string) ([]int, bool) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		from, to, isRange := strings.Cut(part, "-")
		a := slices.Index(dayCodes, from)
		if a < 0 {
			return nil, false
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b := slices.Index(dayCodes, to)
		if b < 0 {
			return nil, false
		}
		// Weeks run Monday to Sunday in ranges, so Sa-Su and Fr-Mo wrap.
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, len(out) > 0
}

func parseSpans(s string) ([]Span, bool) {
	if s == "off" || s == "closed" {
		return nil, true
	}
	var out []Span
	for part := range strings.SplitSeq(s, ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(part), "-")
		if !ok {
			return nil, false
		}
		a, okA := parseClock(from)
		b, okB := parseClock(to)
		if !okA || !okB || b <= a || (len(out) > 0 && a < out[len(out)-1].To) {
			return nil, false
		}
		out = append(out, Span{a, b})
	}
	return out, len(out) > 0
}

func parseClock(s string) (int, bool) {
	var hh, mm int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &hh, &mm); err != nil || mm > 59 || hh > 24 || (hh == 24 && mm > 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// Known reports whether opening hours were given.
func (h Hours) Known() bool { return h.known }

// OpenAt reports whether the facility is open at t (city time).
func (h Hours) OpenAt(t time.Time) bool {
	t = t.In(i18n.Zone)
	m := t.Hour()*60 + t.Minute()
	for _, s := range h.days[t.Weekday()] {
		if m >= s.From && m < s.To {
			return true
		}
	}
	return false
}

// Covers reports whether the facility is open for the whole of [from, to)
// on one day (city time): what a booking of a room needs.
func (h Hours) Covers(from, to time.Time) bool {
	from, to = from.In(i18n.Zone), to.In(i18n.Zone)
	day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, i18n.Zone)
	a := int(from.Sub(day) / time.Minute)
	b := int(to.Sub(day) / time.Minute)
	for _, s := range h.days[from.Weekday()] {
		if a >= s.From && b <= s.To {
			return true
		}
	}
	return false
}

// Lines describes the week in lang, consecutive days with the same hours
// together: "월–금 09:00–18:00", "일 휴무".
func (h Hours) Lines(lang string) []string {
	if !h.known {
		return nil
	}
	l := i18n.For(lang)
	week := []int{1, 2, 3, 4, 5, 6, 0} // Monday first, as Korean calendars are
	var out []string
	for i := 0; i < len(week); {
		j := i
		for j+1 < len(week) && slices.Equal(h.days[week[j+1]], h.days[week[i]]) {
			j++
		}
		days := l.T("weekday_short." + dayCodes[week[i]])
		if j > i {
			days += "–" + l.T("weekday_short."+dayCodes[week[j]])
		}
		out = append(out, days+" "+spansText(l, h.days[week[i]]))
		i = j + 1
	}
	return out
}

func spansText(l i18n.Localizer, spans []Span) string {
	if len(spans) == 0 {
		return l.T("places.closed")
	}
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = fmt.Sprintf("%02d:%02d–%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
	}
	return strings.Join(parts, ", ")
}
