package learn

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Session is one dated class of a course at a venue.
type Session struct {
	ID              int64
	Code            string
	CourseID        int64
	VenueID         int64
	TutorID         int64
	StartsAt        time.Time
	EndsAt          time.Time
	Capacity        int
	SeatsTaken      int
	Allocation      string
	LotteryClosesAt time.Time // zero unless Allocation is Lottery
	LotteryDrawnAt  time.Time
	LotterySeed     string
	AccessKo        string
	AccessEn        string
	Status          string // scheduled or cancelled
	Demo            bool

	// Joined for listings.
	Course Course
	Venue  Venue
}

// SeatsLeft is how many seats can still be confirmed.
func (s Session) SeatsLeft() int { return max(0, s.Capacity-s.SeatsTaken) }

// LotteryOpen reports whether applications to the draw are being taken.
func (s Session) LotteryOpen(now time.Time) bool {
	return s.Allocation == Lottery && s.LotteryDrawnAt.IsZero() && now.Before(s.LotteryClosesAt)
}

// Past reports whether the session has started.
func (s Session) Past(now time.Time) bool { return !now.Before(s.StartsAt) }

const sessionCols = `s.id, s.code, s.course_id, s.venue_id, COALESCE(s.tutor_id, 0), s.starts_at, s.ends_at, s.capacity, s.seats_taken,
	s.allocation, s.lottery_closes_at, s.lottery_drawn_at, s.lottery_seed, s.access_ko, s.access_en, s.status, s.demo,
	c.id, c.code, c.theme, c.level, c.title_ko, c.title_en, c.summary_ko, c.summary_en, c.sessions_to_complete, c.demo,
	v.id, v.slug, v.kind, v.district, v.name_ko, v.name_en, v.address_ko, v.address_en, v.hours_ko, v.hours_en, v.access_ko, v.access_en, v.phone, v.demo`

const sessionFrom = ` FROM class_sessions s JOIN courses c ON c.id = s.course_id JOIN venues v ON v.id = s.venue_id `

func scanSession(row interface{ Scan(...any) error }) (Session, error) {
	var s Session
	var closes, drawn sql.NullTime
	c, v := &s.Course, &s.Venue
	err := row.Scan(&s.ID, &s.Code, &s.CourseID, &s.VenueID, &s.TutorID, &s.StartsAt, &s.EndsAt, &s.Capacity, &s.SeatsTaken,
		&s.Allocation, &closes, &drawn, &s.LotterySeed, &s.AccessKo, &s.AccessEn, &s.Status, &s.Demo,
		&c.ID, &c.Code, &c.Theme, &c.Level, &c.TitleKo, &c.TitleEn, &c.SummaryKo, &c.SummaryEn, &c.SessionsToComplete, &c.Demo,
		&v.ID, &v.Slug, &v.Kind, &v.District, &v.NameKo, &v.NameEn, &v.AddressKo, &v.AddressEn, &v.HoursKo, &v.HoursEn, &v.AccessKo, &v.AccessEn, &v.Phone, &v.Demo)
	s.LotteryClosesAt, s.LotteryDrawnAt = closes.Time, drawn.Time
	return s, db.NotFound(err, "learn.session_not_found")
}

// NewSession is the input to schedule a session.
type NewSession struct {
	Code            string
	CourseID        int64
	VenueID         int64
	TutorID         int64
	StartsAt        time.Time
	EndsAt          time.Time
	Capacity        int
	Allocation      string
	LotteryClosesAt time.Time
	AccessKo        string
	AccessEn        string
	Demo            bool
}

func (n *NewSession) validate() error {
	n.Code = strings.TrimSpace(n.Code)
	if n.Allocation == "" {
		n.Allocation = FirstCome
	}
	switch {
	case n.Code == "" || len(n.Code) > 60 || strings.ContainsAny(n.Code, " /?#"):
		return errs.Field("code", "learn.code_invalid")
	case n.StartsAt.IsZero():
		return errs.Field("starts_at", "learn.time_invalid")
	case !n.EndsAt.After(n.StartsAt) || n.EndsAt.Sub(n.StartsAt) > 12*time.Hour:
		return errs.Field("ends_at", "learn.end_before_start")
	case n.Capacity < 1 || n.Capacity > 1000:
		return errs.Field("capacity", "learn.capacity_invalid")
	case n.Allocation != FirstCome && n.Allocation != Lottery:
		return errs.Field("allocation", "learn.allocation_invalid")
	case n.Allocation == Lottery && (n.LotteryClosesAt.IsZero() || !n.LotteryClosesAt.Before(n.StartsAt)):
		return errs.Field("lottery_closes_at", "learn.lottery_close_invalid")
	}
	return nil
}

// ScheduleSession creates a session or updates the one with the same code.
// Updating never lowers capacity below the seats already confirmed.
func (s *Service) ScheduleSession(ctx context.Context, n NewSession) (Session, error) {
	if err := n.validate(); err != nil {
		return Session{}, err
	}
	id, err := db.TxValue(ctx, s.db, func(tx *sql.Tx) (int64, error) { return scheduleSession(ctx, tx, n) })
	if err != nil {
		return Session{}, err
	}
	return s.Session(ctx, id)
}

func scheduleSession(ctx context.Context, q db.Querier, n NewSession) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, scheduleSQL, scheduleArgs(n)...).Scan(&id)
	return scheduled(ctx, q, n, id, err)
}

// scheduleSQL creates or updates a session by its code. The capacity
// check is part of the upsert, so it holds under the row lock even while
// registrations for the session are being taken.
const scheduleSQL = `INSERT INTO class_sessions (code, course_id, venue_id, tutor_id, starts_at, ends_at, capacity, allocation, lottery_closes_at, access_ko, access_en, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (code) DO UPDATE SET course_id = excluded.course_id, venue_id = excluded.venue_id, tutor_id = excluded.tutor_id,
			starts_at = excluded.starts_at, ends_at = excluded.ends_at, capacity = excluded.capacity, allocation = excluded.allocation,
			lottery_closes_at = excluded.lottery_closes_at, access_ko = excluded.access_ko, access_en = excluded.access_en
		WHERE class_sessions.seats_taken <= excluded.capacity
		RETURNING id`

func scheduleArgs(n NewSession) []any {
	return []any{n.Code, n.CourseID, n.VenueID, sql.NullInt64{Int64: n.TutorID, Valid: n.TutorID != 0}, db.Time(n.StartsAt), db.Time(n.EndsAt),
		n.Capacity, n.Allocation, nullTime(n.LotteryClosesAt), n.AccessKo, n.AccessEn, n.Demo}
}

// scheduled is the outcome of scheduleSQL: no row means the upsert's
// capacity check refused it.
func scheduled(ctx context.Context, q db.Querier, n NewSession, id int64, err error) (int64, error) {
	if errors.Is(err, sql.ErrNoRows) {
		var taken int
		if err := q.QueryRowContext(ctx, `SELECT seats_taken FROM class_sessions WHERE code = $1`, n.Code).Scan(&taken); err != nil {
			return 0, err
		}
		return 0, errs.Field("capacity", "learn.capacity_below_taken", taken)
	}
	return id, err
}

func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: db.Time(t), Valid: true}
}

// Session returns the session with id, with its course and venue.
func (s *Service) Session(ctx context.Context, id int64) (Session, error) {
	return scanSession(s.db.QueryRow(ctx, `SELECT `+sessionCols+sessionFrom+`WHERE s.id = $1`, id))
}

// Filter selects sessions for the catalogue.
type Filter struct {
	Theme    string
	District string
	Level    string
	From     time.Time // zero: from now
	To       time.Time // zero: no end
	Text     string
	CourseID int64
	VenueID  int64
	TutorID  int64
	Limit    int
	Offset   int
	Past     bool // include sessions that have started
}

// Search returns sessions matching f in date order, and whether more follow.
// Mobile classes, held for one centre's own people, appear only when their
// venue or tutor is asked for.
func (s *Service) Search(ctx context.Context, f Filter) ([]Session, bool, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 20
	}
	from := f.From
	if from.IsZero() && !f.Past {
		from = s.Now()
	}
	to := f.To
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	text := strings.TrimSpace(f.Text)
	like := "%" + strings.NewReplacer("%", "", "_", "").Replace(strings.ToLower(text)) + "%"
	rows, err := s.db.Query(ctx, `SELECT `+sessionCols+sessionFrom+`
		WHERE s.status = 'scheduled' AND s.starts_at >= $1 AND s.starts_at < $2
		AND ($3 = '' OR c.theme = $3) AND ($4 = '' OR v.district = $4) AND ($5 = '' OR c.level = $5)
		AND ($6 = '' OR LOWER(c.title_ko) LIKE $7 OR LOWER(c.title_en) LIKE $7)
		AND ($8 = 0 OR s.course_id = $8) AND ($9 = 0 OR s.venue_id = $9) AND ($10 = 0 OR s.tutor_id = $10)
		AND (v.kind <> 'mobile' OR $9 <> 0 OR $10 <> 0)
		ORDER BY s.starts_at, s.id LIMIT $11 OFFSET $12`,
		db.Time(from), db.Time(to), f.Theme, f.District, f.Level, text, like, f.CourseID, f.VenueID, f.TutorID, f.Limit+1, f.Offset)
	out, err := db.Collect(rows, err, scanSession)
	if err != nil {
		return nil, false, err
	}
	more := len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	return out, more, nil
}

// CancelSession cancels a whole session: every active registration is
// cancelled and its holder told.
func (s *Service) CancelSession(ctx context.Context, id int64) error {
	if a := actor.From(ctx); a != nil && !a.Is(actor.CentreAdmin) {
		return errs.New(errs.Forbidden, "error.forbidden")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.lockSession(ctx, tx, id); err != nil {
			return err
		}
		regs, err := activeRegistrations(ctx, tx, id)
		if err != nil {
			return err
		}
		now := db.Time(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET status = 'cancelled', seats_taken = 0 WHERE id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = 'cancelled', updated_at = $1 WHERE session_id = $2 AND status IN ('confirmed', 'waitlisted', 'applied')`, now, id); err != nil {
			return err
		}
		for _, r := range regs {
			r.Status = "session_cancelled"
			if err := s.notifyStatus(ctx, tx, r); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "session.cancel", SubjectType: "session", SubjectID: id})
	})
}

// Overbooked counts sessions whose confirmed seats exceed their capacity or
// disagree with their seat counter: it must always be zero.
func (s *Service) Overbooked(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM class_sessions s WHERE s.status = 'scheduled' AND (s.seats_taken > s.capacity OR s.seats_taken <>
		(SELECT COALESCE(SUM(r.seats), 0) FROM registrations r WHERE r.session_id = s.id AND r.status = 'confirmed'))`).Scan(&n)
	return n, err
}
