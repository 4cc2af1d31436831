package booking

import (
	"context"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Entry is a booking on a staff list, with its holder's name.
type Entry struct {
	Booking
	Name string
}

func (s *Service) names(ctx context.Context, ids []int64) (map[int64]string, error) {
	if s.opts.Names == nil || len(ids) == 0 {
		return map[int64]string{}, nil
	}
	return s.opts.Names(ctx, ids)
}

// withResources fills each booking's Resource.
func (s *Service) withResources(ctx context.Context, bs []Booking) error {
	cache := map[int64]Resource{}
	for i := range bs {
		r, ok := cache[bs[i].ResourceID]
		if !ok {
			var err error
			if r, err = s.Resource(ctx, bs[i].ResourceID); err != nil {
				return err
			}
			cache[r.ID] = r
		}
		bs[i].Resource = r
	}
	return nil
}

// entries names the holders of bookings for staff; reading them is audited.
func (s *Service) entries(ctx context.Context, bs []Booking, action, subjectType string, subjectID int64) ([]Entry, error) {
	if err := s.withResources(ctx, bs); err != nil {
		return nil, err
	}
	ids := make([]int64, len(bs))
	for i, b := range bs {
		ids[i] = b.UserID
	}
	names, err := s.names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(bs))
	for i, b := range bs {
		out[i] = Entry{Booking: b, Name: names[b.UserID]}
	}
	return out, audit.Record(ctx, s.db.Write(), audit.Entry{Action: action, SubjectType: subjectType, SubjectID: subjectID})
}

// Day lists a facility's bookings that hold or await places on one city
// day, by time, for the staff at the door. Reading it is audited.
func (s *Service) Day(ctx context.Context, facilityID int64, day time.Time) ([]Entry, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return nil, err
	}
	from := cityDay(day)
	rows, err := s.db.Query(ctx, `SELECT `+prefixed("b.")+` FROM bookings b JOIN booking_resources r ON r.id = b.resource_id
		WHERE r.facility_id = $1 AND b.starts_at >= $2 AND b.starts_at < $3 AND b.status IN ('requested', 'confirmed', 'waitlisted')
		ORDER BY b.starts_at, b.resource_id, b.status, b.queue_pos, b.id LIMIT 2000`, facilityID, db.Time(from), db.Time(from.AddDate(0, 0, 1)))
	bs, err := db.Collect(rows, err, scanBooking)
	if err != nil {
		return nil, err
	}
	return s.entries(ctx, bs, "booking.day.read", "facility", facilityID)
}

// Requests lists the bookings waiting for staff's decision, soonest first.
// Reading it is audited.
func (s *Service) Requests(ctx context.Context) ([]Entry, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+bookingCols+` FROM bookings WHERE status = 'requested' AND starts_at > $1
		ORDER BY starts_at, id LIMIT 500`, db.Time(s.Now()))
	bs, err := db.Collect(rows, err, scanBooking)
	if err != nil {
		return nil, err
	}
	return s.entries(ctx, bs, "booking.requests.read", "booking", 0)
}

// Booking returns one booking to its holder or to centre staff; to anyone
// else it does not exist. Staff reading someone's booking is audited.
func (s *Service) Booking(ctx context.Context, id int64) (Booking, error) {
	a := actor.From(ctx)
	if a == nil {
		return Booking{}, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	b, err := scanBooking(s.db.QueryRow(ctx, `SELECT `+bookingCols+` FROM bookings WHERE id = $1`, id))
	if err != nil {
		return b, err
	}
	if b.UserID != a.Subject().ID {
		if !a.Is(actor.CentreAdmin) {
			return Booking{}, errs.New(errs.NotFound, "booking.not_found")
		}
		if err := audit.Record(ctx, s.db.Write(), audit.Entry{Action: "booking.read", SubjectType: "booking", SubjectID: b.ID}); err != nil {
			return b, err
		}
	}
	b.Resource, err = s.Resource(ctx, b.ResourceID)
	return b, err
}

// Mine lists the subject's bookings, latest slot first. Staff acting for
// a citizen reading them is audited.
func (s *Service) Mine(ctx context.Context) ([]Booking, error) {
	a := actor.From(ctx)
	if a == nil {
		return nil, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	user := a.Subject().ID
	rows, err := s.db.Query(ctx, `SELECT `+bookingCols+` FROM bookings WHERE user_id = $1 ORDER BY starts_at DESC, id DESC LIMIT 300`, user)
	bs, err := db.Collect(rows, err, scanBooking)
	if err != nil {
		return nil, err
	}
	if a.ActingFor != nil {
		if err := audit.Record(ctx, s.db.Write(), audit.Entry{Action: "booking.list.read", SubjectType: "user", SubjectID: user}); err != nil {
			return nil, err
		}
	}
	return bs, s.withResources(ctx, bs)
}

// prefixed is the booking columns qualified by a table alias.
func prefixed(alias string) string {
	parts := strings.Split(bookingCols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
