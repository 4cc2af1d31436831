package booking

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/reserve"
)

// Statuses of a booking.
const (
	Requested  = "requested"        // holds its places until staff decide
	Confirmed  = reserve.Confirmed  // has its places and a ticket
	Waitlisted = reserve.Waitlisted // waits for places to free up
	Applied    = reserve.Applied    // entered into a slot's draw
	Refused    = "refused"          // staff said no
	Cancelled  = "cancelled"
)

const activeStatuses = `('requested', 'confirmed', 'waitlisted', 'applied')`

// Booking is one person's booking of a slot: who (by account id), for how
// many, and what became of it. Nothing else about the person is kept.
type Booking struct {
	ID          int64
	SlotID      int64
	ResourceID  int64
	UserID      int64
	Party       int
	Status      string
	QueuePos    int
	StartsAt    time.Time
	EndsAt      time.Time
	Won         bool // its places came from a draw
	Ticket      string
	Note        string // staff's note on their decision
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CheckedInAt time.Time

	Resource Resource // filled by the listings that show it
}

// Active reports whether the booking holds or awaits places.
func (b Booking) Active() bool {
	switch b.Status {
	case Requested, Confirmed, Waitlisted, Applied:
		return true
	}
	return false
}

// holds reports whether the booking's places are counted in its slot.
func (b Booking) holds() bool { return b.Status == Requested || b.Status == Confirmed }

// TicketText is the ticket code as people read it: four groups of four.
func (b Booking) TicketText() string { return reserve.TicketText(b.Ticket) }

const bookingCols = `id, slot_id, resource_id, user_id, party, status, queue_pos, starts_at, ends_at, won, ticket, note,
	created_at, updated_at, checked_in_at`

func scanBooking(row db.Scanner) (Booking, error) {
	var b Booking
	var in sql.NullTime
	err := row.Scan(&b.ID, &b.SlotID, &b.ResourceID, &b.UserID, &b.Party, &b.Status, &b.QueuePos, &b.StartsAt, &b.EndsAt, &b.Won,
		&b.Ticket, &b.Note, &b.CreatedAt, &b.UpdatedAt, &in)
	b.CheckedInAt = in.Time
	return b, db.NotFound(err, "booking.not_found")
}

// Request is what a booking asks for.
type Request struct {
	ResourceID int64
	StartsAt   time.Time
	Party      int  // 0 means 1
	Waitlist   bool // join the waitlist when the slot is full
}

// IsFull reports whether err refused a booking because the slot is full,
// so that the page can offer the waitlist.
func IsFull(err error) bool {
	e, ok := errs.As(err)
	return ok && e.Key == "booking.full"
}

// Book books a slot for the signed-in citizen, or for the citizen staff
// act for. Every refusal leaves everything as it was.
func (s *Service) Book(ctx context.Context, req Request) (Booking, error) {
	a := actor.From(ctx)
	switch {
	case a == nil:
		return Booking{}, errs.New(errs.Unauthorized, "error.unauthorized")
	case a.ActingFor == nil && a.Role != actor.Citizen:
		return Booking{}, errs.New(errs.Forbidden, "booking.staff_book_for_citizen")
	}
	user := a.Subject().ID
	res, err := s.Resource(ctx, req.ResourceID)
	if err != nil {
		return Booking{}, err
	}
	if req.Party == 0 {
		req.Party = 1
	}
	switch {
	case !res.Active:
		return Booking{}, errs.New(errs.Conflict, "booking.resource_inactive")
	case req.Party < 1 || req.Party > res.MaxParty:
		return Booking{}, errs.Field("party", "booking.party_invalid", res.MaxParty)
	}
	f, err := s.facilities.Facility(ctx, res.FacilityID)
	if err != nil {
		return Booking{}, err
	}
	now := s.Now()
	start := req.StartsAt
	if err := res.checkTime(res.hours(f), start, now); err != nil {
		return Booking{}, err
	}
	if err := s.eligible(ctx, res, f, user, now); err != nil {
		return Booking{}, err
	}
	start = db.Time(start)
	b := Booking{ResourceID: res.ID, UserID: user, Party: req.Party, StartsAt: start, EndsAt: start.Add(res.SlotLength()),
		Ticket: reserve.NewTicket(), CreatedAt: db.Time(now), UpdatedAt: db.Time(now)}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockPerson(ctx, tx, user); err != nil {
			return err
		}
		if res.WeeklyLimit > 0 {
			week := WeekStart(start)
			st, err := s.db.TxStmt(ctx, tx, `SELECT COUNT(*) FROM bookings WHERE user_id = $1 AND resource_id = $2
				AND starts_at >= $3 AND starts_at < $4 AND status IN `+activeStatuses)
			if err != nil {
				return err
			}
			var n int
			if err := st.QueryRowContext(ctx, user, res.ID, db.Time(week), db.Time(week.AddDate(0, 0, 7))).Scan(&n); err != nil {
				return err
			}
			if n >= res.WeeklyLimit {
				return errs.New(errs.Conflict, "booking.weekly_limit", res.WeeklyLimit)
			}
		}
		l, err := s.slotFor(ctx, tx, res, start, now)
		if err != nil {
			return err
		}
		b.SlotID, b.QueuePos = l.ID, l.Seq
		if b.Status, err = s.places.Ask(ctx, tx, reserve.Request{Pool: l.ID, User: user, Size: b.Party, Draw: l.drawState(now), Wait: req.Waitlist}); err != nil {
			return err
		}
		if b.Status == Confirmed {
			b.Status = s.holdStatus(res)
		}
		ins, err := s.db.TxStmt(ctx, tx, `INSERT INTO bookings (slot_id, resource_id, user_id, party, status, queue_pos, starts_at, ends_at,
			ticket, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`)
		if err != nil {
			return err
		}
		err = ins.QueryRowContext(ctx, b.SlotID, b.ResourceID, b.UserID, b.Party, b.Status, b.QueuePos, b.StartsAt, b.EndsAt,
			b.Ticket, b.CreatedAt).Scan(&b.ID)
		if db.IsUniqueViolation(err) {
			return errs.New(errs.Conflict, "booking.already_booked")
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "booking.create", SubjectType: "booking", SubjectID: b.ID, Detail: b.Status})
	})
	if err != nil {
		return Booking{}, err
	}
	b.Resource = res
	return b, nil
}

// holdStatus is what a booking that got its places becomes.
func (s *Service) holdStatus(res Resource) string {
	if res.Approval {
		return Requested
	}
	return Confirmed
}

// lockPerson takes the person's row lock, creating the row the first time.
func (s *Service) lockPerson(ctx context.Context, tx *sql.Tx, user int64) error {
	st, err := s.db.TxStmt(ctx, tx, `INSERT INTO booking_people (user_id, seq) VALUES ($1, 1)
		ON CONFLICT (user_id) DO UPDATE SET seq = booking_people.seq + 1`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, user)
	return err
}

// slotFor materialises the slot of res starting at start, if nobody has
// booked it yet, and takes its row lock. A lottery slot first booked after
// its draw time has nobody to draw among: it opens first come.
func (s *Service) slotFor(ctx context.Context, tx *sql.Tx, res Resource, start, now time.Time) (lockedSlot, error) {
	var drawAt, drawnAt sql.NullTime
	if res.Allocation == Lottery {
		drawAt = sql.NullTime{Time: db.Time(res.DrawTime(start)), Valid: true}
		if !now.Before(drawAt.Time) {
			drawnAt = sql.NullTime{Time: db.Time(now), Valid: true}
		}
	}
	ins, err := s.db.TxStmt(ctx, tx, `INSERT INTO booking_slots (resource_id, starts_at, ends_at, capacity, draw_at, drawn_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (resource_id, starts_at) DO NOTHING`)
	if err != nil {
		return lockedSlot{}, err
	}
	if _, err := ins.ExecContext(ctx, res.ID, start, start.Add(res.SlotLength()), res.Capacity, drawAt, drawnAt); err != nil {
		return lockedSlot{}, err
	}
	return s.lockSlotWhere(ctx, tx, "resource_id = $1 AND starts_at = $2", res.ID, start)
}

// eligible refuses a citizen the resource's rules do not let book.
func (s *Service) eligible(ctx context.Context, res Resource, f places.Facility, user int64, now time.Time) error {
	switch res.Eligibility {
	case Residents:
		want := ""
		if f.Zone != "" {
			z, err := s.facilities.Zone(ctx, f.Zone)
			if err != nil && errs.CodeOf(err) != errs.NotFound {
				return err
			}
			want = z.District
		}
		got := ""
		if s.opts.District != nil {
			var err error
			if got, err = s.opts.District(ctx, user); err != nil {
				return err
			}
		}
		if want == "" || got != want {
			return errs.New(errs.Forbidden, "booking.residents_only")
		}
	case Seniors:
		year := 0
		if s.opts.BirthYear != nil {
			var err error
			if year, err = s.opts.BirthYear(ctx, user); err != nil {
				return err
			}
		}
		if year == 0 || now.In(i18n.Zone).Year()-year < SeniorAge {
			return errs.New(errs.Forbidden, "booking.seniors_only", SeniorAge)
		}
	}
	return nil
}
