package guides

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Kinds of citizen request.
const (
	Callback = "callback" // a guide phones back
	VisitAt  = "visit"    // the citizen meets a guide at a spot and hour
)

// Request statuses.
const (
	Open   = "open"
	Taken  = "taken"
	Closed = "closed"
)

// Request is a citizen's request for help. Phone is set only on a
// call-back request, only when read through Service.RequestPhone, and
// blanked when the request is closed.
type Request struct {
	ID         int64
	Kind       string
	Topic      string
	Phone      string
	HotspotID  int64
	WantedDay  string
	WantedHour int
	Status     string
	TakenBy    int64
	CreatedAt  time.Time
	ClosedAt   time.Time
}

// RequestInput is what the citizen's form sends.
type RequestInput struct {
	Kind      string
	Topic     string
	Phone     string
	HotspotID int64
	Day       string
	Hour      int
}

// MaxAheadDays is how far ahead a visit may be asked for.
const MaxAheadDays = 60

// Ask records a citizen's request, keeping only what the guide needs:
// the phone for a call back, the spot and hour for a visit. Anyone may
// ask, signed in or not.
func (s *Service) Ask(ctx context.Context, in RequestInput) (Request, error) {
	r := Request{Kind: in.Kind, Topic: in.Topic, Status: Open, CreatedAt: db.Time(s.Now())}
	if !oneOf(r.Topic, Topics) {
		return Request{}, errs.Field("topic", "guides.topic_required")
	}
	switch in.Kind {
	case Callback:
		phone, err := auth.NormalizeContactPhone(in.Phone)
		if err != nil {
			return Request{}, errs.Field("phone", "guides.phone_invalid")
		}
		r.Phone = phone
	case VisitAt:
		day, err := ParseDay(in.Day)
		if err != nil {
			return Request{}, err
		}
		today, _ := ParseDay(DayOf(s.Now()))
		if day.Before(today) || day.After(today.AddDate(0, 0, MaxAheadDays)) {
			return Request{}, errs.Field("day", "guides.day_range", MaxAheadDays)
		}
		if in.Hour < 7 || in.Hour > 20 {
			return Request{}, errs.Field("hour", "guides.visit_hour_range", 7, 20)
		}
		if in.HotspotID <= 0 {
			return Request{}, errs.Field("hotspot", "guides.hotspot_required")
		}
		r.HotspotID, r.WantedDay, r.WantedHour = in.HotspotID, in.Day, in.Hour
	default:
		return Request{}, errs.Field("kind", "guides.request_kind_required")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var hotspot sql.NullInt64
		if r.HotspotID != 0 {
			if _, err := findHotspot(ctx, tx, r.HotspotID); err != nil {
				return errs.Field("hotspot", "guides.hotspot_not_found")
			}
			hotspot = sql.NullInt64{Int64: r.HotspotID, Valid: true}
		}
		// A second press of the button, or asking again while a guide has
		// not yet called, would only call the person twice.
		if r.Phone != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM guide_requests WHERE phone = $1 AND status <> 'closed'`, r.Phone).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errs.New(errs.Conflict, "guides.already_asked")
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO guide_requests (kind, topic, phone, hotspot_id, wanted_day, wanted_hour, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id`, r.Kind, r.Topic, r.Phone, hotspot, r.WantedDay, r.WantedHour, r.CreatedAt).Scan(&r.ID); err != nil {
			return err
		}
		if r.Phone == "" {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "guide_request.create", SubjectType: "guide_request", SubjectID: r.ID})
	})
	if err != nil {
		return Request{}, err
	}
	return r, nil
}

const requestCols = `id, kind, topic, COALESCE(hotspot_id, 0), wanted_day, wanted_hour, status, COALESCE(taken_by, 0), created_at, closed_at`

func scanRequest(row db.Scanner) (Request, error) {
	var r Request
	var closed sql.NullTime
	err := row.Scan(&r.ID, &r.Kind, &r.Topic, &r.HotspotID, &r.WantedDay, &r.WantedHour, &r.Status, &r.TakenBy, &r.CreatedAt, &closed)
	r.ClosedAt = closed.Time
	return r, err
}

// Requests lists requests, open and taken ones first, without phones.
// closedToo adds those closed in the last RecentDays.
func (s *Service) Requests(ctx context.Context, closedToo bool) ([]Request, error) {
	if _, err := staffOrGuide(ctx); err != nil {
		return nil, err
	}
	q := `SELECT ` + requestCols + ` FROM guide_requests WHERE status <> 'closed'`
	args := []any{}
	if closedToo {
		q += ` OR closed_at >= $1`
		args = append(args, db.Time(s.Now().AddDate(0, 0, -RecentDays)))
	}
	rows, err := s.db.Read().QueryContext(ctx, q+` ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'taken' THEN 1 ELSE 2 END, created_at, id`, args...)
	return db.Collect(rows, err, scanRequest)
}

// RequestPhone returns a call-back request with its phone number, for the
// guide who took it or a coordinator; each reading is audited.
func (s *Service) RequestPhone(ctx context.Context, id int64) (Request, error) {
	a, err := staffOrGuide(ctx)
	if err != nil {
		return Request{}, err
	}
	var r Request
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = findRequest(ctx, tx, id); err != nil {
			return err
		}
		switch {
		case r.Kind != Callback || r.Status == Closed:
			return errs.New(errs.NotFound, "guides.no_phone")
		case r.Status != Taken || (r.TakenBy != a.ID && !a.Is(actor.CentreAdmin)):
			return errs.New(errs.Forbidden, "guides.take_first")
		}
		if err := tx.QueryRowContext(ctx, `SELECT phone FROM guide_requests WHERE id = $1`, id).Scan(&r.Phone); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "guide_request.phone_read", SubjectType: "guide_request", SubjectID: id})
	})
	if err != nil {
		return Request{}, err
	}
	return r, nil
}

func findRequest(ctx context.Context, q db.Querier, id int64) (Request, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestCols+` FROM guide_requests WHERE id = $1`, id))
	return r, db.NotFound(err, "guides.request_not_found")
}

// Take gives an open request to the signed-in guide or coordinator; of
// two people taking it at once, one gets it.
func (s *Service) Take(ctx context.Context, id int64) error {
	a, err := staffOrGuide(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE guide_requests SET status = 'taken', taken_by = $2, taken_at = $3 WHERE id = $1 AND status = 'open'`,
			id, a.ID, db.Time(s.Now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := findRequest(ctx, tx, id); err != nil {
				return err
			}
			return errs.New(errs.Conflict, "guides.already_taken")
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "guide_request.take", SubjectType: "guide_request", SubjectID: id})
	})
}

// CloseRequest closes a request its taker (or a coordinator) dealt with,
// and forgets the phone number.
func (s *Service) CloseRequest(ctx context.Context, id int64) error {
	a, err := staffOrGuide(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := findRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status == Closed {
			return errs.New(errs.Conflict, "guides.already_closed")
		}
		if r.TakenBy != a.ID && !a.Is(actor.CentreAdmin) {
			return errs.New(errs.Forbidden, "guides.take_first")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE guide_requests SET status = 'closed', closed_at = $2, phone = '' WHERE id = $1 AND status <> 'closed'`,
			id, db.Time(s.Now())); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "guide_request.close", SubjectType: "guide_request", SubjectID: id})
	})
}
