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
	"github.com/maeul/maeul/internal/reserve"
)

// TicketPrefix starts the text of every booking ticket's QR code, so a
// scanner can tell it from any other code.
const TicketPrefix = "MAEUL-BOOKING:"

// CheckInOpensBefore is how long before its slot a booking can be checked
// in; check-in closes at the end of the day the slot starts.
const CheckInOpensBefore = time.Hour

var checkInRule = reserve.CheckIn{OpensBefore: CheckInOpensBefore}

// NormalizeTicket turns what a scanner read or a person typed into a
// stored ticket code: the prefix of the QR text, spaces and dashes go,
// letters become capitals.
func NormalizeTicket(text string) string { return tickets.Normalize(text) }

// CheckInResult is the booking just checked in, with its holder's name.
// Already says it had been checked in before, at CheckedInAt.
type CheckInResult struct {
	Entry
	Already bool
}

// CheckIn records the arrival of a ticket's holder; the ticket may be the
// code or the text of its QR code. Checking in twice changes nothing and
// answers with the first check-in.
func (s *Service) CheckIn(ctx context.Context, ticket string) (CheckInResult, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return CheckInResult{}, err
	}
	t, err := tickets.Read(ticket)
	if err != nil {
		return CheckInResult{}, err
	}
	return s.checkIn(ctx, `ticket = $1`, t)
}

// CheckInBooking records the arrival of one booking, chosen from a day's list.
func (s *Service) CheckInBooking(ctx context.Context, id int64) (CheckInResult, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return CheckInResult{}, err
	}
	return s.checkIn(ctx, `id = $1`, id)
}

func (s *Service) checkIn(ctx context.Context, where string, arg any) (CheckInResult, error) {
	var out CheckInResult
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+` FROM bookings WHERE `+where, arg))
		if err != nil {
			if _, byTicket := arg.(string); byTicket && errs.CodeOf(err) == errs.NotFound {
				return errs.Field("ticket", "booking.ticket_not_found")
			}
			return err
		}
		from, until := checkInRule.Window(b.StartsAt, b.StartsAt)
		switch reserve.Check(s.Now(), from, until, b.Status, b.CheckedInAt) {
		case reserve.Already:
			out.Entry.Booking, out.Already = b, true
			return nil
		case reserve.NotConfirmed:
			return errs.New(errs.Conflict, "booking.not_confirmed")
		case reserve.TooEarly:
			return errs.New(errs.Conflict, "booking.checkin_too_early", i18n.At(from))
		case reserve.Closed:
			return errs.New(errs.Conflict, "booking.checkin_closed")
		}
		// Two staff scanning one ticket at once: only one marks it; the
		// other answers with the first check-in.
		at := db.Time(s.Now())
		marked, first, err := s.places.Arrive(ctx, tx, b.ID, at)
		switch {
		case err != nil:
			return err
		case !marked && first.IsZero():
			return errs.New(errs.Conflict, "booking.not_confirmed")
		case !marked:
			b.CheckedInAt = first
			out.Entry.Booking, out.Already = b, true
			return nil
		}
		b.CheckedInAt = at
		out.Entry.Booking = b
		return audit.Record(ctx, tx, audit.Entry{Action: "booking.checkin", SubjectType: "booking", SubjectID: b.ID})
	})
	if err != nil {
		return CheckInResult{}, err
	}
	if out.Resource, err = s.Resource(ctx, out.ResourceID); err != nil {
		return CheckInResult{}, err
	}
	names, err := s.names(ctx, []int64{out.UserID})
	out.Name = names[out.UserID]
	return out, err
}
