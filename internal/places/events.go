package places

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// Event is something on at a facility at a time: a health check day, a
// concert in the park, a smartphone class open to all.
type Event struct {
	ID        int64
	Ref       string
	Facility  int64
	TitleKo   string
	TitleEn   string
	SummaryKo string
	SummaryEn string
	StartsAt  time.Time
	EndsAt    time.Time
	Free      bool
	Demo      bool
}

// Title is the event's title in lang.
func (e Event) Title(lang string) string { return i18n.For(lang).Pick(e.TitleKo, e.TitleEn) }

// Summary is the event's description in lang.
func (e Event) Summary(lang string) string { return i18n.For(lang).Pick(e.SummaryKo, e.SummaryEn) }

func (e *Event) validate() error {
	e.Ref = strings.TrimSpace(e.Ref)
	e.TitleKo = strings.TrimSpace(e.TitleKo)
	switch {
	case e.Ref == "" || len(e.Ref) > MaxRefLength || strings.ContainsAny(e.Ref, " /?#"):
		return errs.Field("ref", "places.ref_invalid", MaxRefLength)
	case e.TitleKo == "":
		return errs.Field("title_ko", "places.title_required")
	case utf8.RuneCountInString(e.TitleKo) > MaxNameLength || utf8.RuneCountInString(e.TitleEn) > MaxNameLength:
		return errs.Field("title_ko", "places.too_long", MaxNameLength)
	case utf8.RuneCountInString(e.SummaryKo) > MaxTextLength || utf8.RuneCountInString(e.SummaryEn) > MaxTextLength:
		return errs.Field("summary_ko", "places.too_long", MaxTextLength)
	case !e.EndsAt.After(e.StartsAt):
		return errs.Field("end", "places.event_ends_before_start")
	}
	if e.TitleEn == "" {
		e.TitleEn = e.TitleKo
	}
	return nil
}

// EventFilter selects events.
type EventFilter struct {
	Facility int64     // 0: any
	Zone     string    // "": any
	From, To time.Time // events not over by From and starting before To
	Limit    int
}

// EventAt is an event with the facility it is at.
type EventAt struct {
	Event
	At Facility
}

// Events returns the events f selects, soonest first.
func (s *Service) Events(ctx context.Context, f EventFilter) ([]EventAt, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return nil, err
	}
	q := `SELECT e.id, e.ref, e.facility_id, e.title_ko, e.title_en, e.summary_ko, e.summary_en, e.starts_at, e.ends_at, e.free, e.demo
		FROM place_events e JOIN facilities f ON f.id = e.facility_id
		WHERE e.ends_at > $1 AND e.starts_at < $2 AND ($3 = 0 OR e.facility_id = $3) AND ($4 = '' OR f.zone_code = $4)
		ORDER BY e.starts_at, e.id LIMIT $5`
	rows, err := s.db.Query(ctx, q, db.Time(f.From), db.Time(f.To), f.Facility, f.Zone, min(max(f.Limit, 1), 500))
	return db.Collect(rows, err, func(sc db.Scanner) (EventAt, error) {
		var e EventAt
		err := sc.Scan(&e.ID, &e.Ref, &e.Facility, &e.TitleKo, &e.TitleEn, &e.SummaryKo, &e.SummaryEn, &e.StartsAt, &e.EndsAt, &e.Free, &e.Demo)
		if i, ok := sn.byID[e.Facility]; ok {
			e.At = sn.facilities[i]
		}
		return e, err
	})
}
