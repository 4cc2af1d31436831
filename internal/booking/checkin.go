package booking

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/humancode"
)

// TicketPrefix starts the text of every booking ticket's QR code, so a
// scanner can tell it from any other code.
const TicketPrefix = "MAEUL-BOOKING:"

// CheckInOpensBefore is how long before its slot a booking can be checked in.
const CheckInOpensBefore = time.Hour

// NormalizeTicket turns what a scanner read or a person typed into a
// stored ticket code: the prefix of the QR text, spaces and dashes go,
// letters become capitals.
func NormalizeTicket(text string) string {
	t := strings.TrimSpace(text)
	if len(t) >= len(TicketPrefix) && strings.EqualFold(t[:len(TicketPrefix)], TicketPrefix) {
		t = t[len(TicketPrefix):]
	}
	return humancode.Normalize(t)
}

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
	t := NormalizeTicket(ticket)
	switch {
	case t == "":
		return CheckInResult{}, errs.Field("ticket", "booking.ticket_required")
	case len(t) > 64:
		return CheckInResult{}, errs.Field("ticket", "booking.ticket_not_found")
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
		now := s.Now()
		switch {
		case !b.CheckedInAt.IsZero():
			out.Entry.Booking, out.Already = b, true
			return nil
		case b.Status != Confirmed:
			return errs.New(errs.Conflict, "booking.not_confirmed")
		case now.Before(b.StartsAt.Add(-CheckInOpensBefore)):
			return errs.New(errs.Conflict, "booking.checkin_too_early", cityTime(b.StartsAt.Add(-CheckInOpensBefore)))
		case !now.Before(cityDay(b.StartsAt).AddDate(0, 0, 1)):
			return errs.New(errs.Conflict, "booking.checkin_closed")
		}
		// Two staff scanning one ticket at once: only one UPDATE finds it
		// not yet checked in; the other answers with the first check-in.
		at := db.Time(now)
		r, err := tx.ExecContext(ctx, `UPDATE bookings SET checked_in_at = $1, updated_at = $1 WHERE id = $2 AND checked_in_at IS NULL`, at, b.ID)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			b, err = scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+` FROM bookings WHERE id = $1`, b.ID))
			out.Entry.Booking, out.Already = b, true
			return err
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
