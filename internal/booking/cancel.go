package booking

import (
	"context"
	"database/sql"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/reserve"
)

// lockBooking takes the row lock of a booking's slot and then reads the
// booking: everything that changes a booking's places goes through here.
func (s *Service) lockBooking(ctx context.Context, tx *sql.Tx, id int64) (l lockedSlot, _ Booking, err error) {
	if l.Pool, err = s.places.LockClaim(ctx, tx, id, lockedCols, l.dest()...); err != nil {
		return l, Booking{}, err
	}
	b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+` FROM bookings WHERE id = $1`, id))
	return l, b, err
}

// Cancel cancels a booking, by its holder or by centre staff. Places it
// held go at once to the first on the waitlist who fits, who is told.
func (s *Service) Cancel(ctx context.Context, id int64) (Booking, error) {
	a := actor.From(ctx)
	if a == nil {
		return Booking{}, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	var b Booking
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, got, err := s.lockBooking(ctx, tx, id)
		if err != nil {
			return err
		}
		b = got
		switch {
		case b.UserID != a.Subject().ID && !a.Is(actor.CentreAdmin):
			return errs.New(errs.NotFound, "booking.not_found")
		case !b.Active():
			return errs.New(errs.Conflict, "booking.not_active")
		case !s.Now().Before(b.StartsAt):
			return errs.New(errs.Conflict, "booking.past")
		}
		held := b.holds()
		b.Status = Cancelled
		if err := s.setStatus(ctx, tx, &b, ""); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "booking.cancel", SubjectType: "booking", SubjectID: b.ID}); err != nil {
			return err
		}
		if b.UserID != a.Subject().ID {
			// Staff cancelled it: its holder must not find out at the door.
			res, err := scanResource(tx.QueryRowContext(ctx, `SELECT `+resourceCols+` FROM booking_resources WHERE id = $1`, b.ResourceID))
			if err != nil {
				return err
			}
			if err := s.tell(ctx, tx, b, res, "booking.msg_cancelled"); err != nil {
				return err
			}
		}
		if !held {
			return nil
		}
		return s.promote(ctx, tx, l, b.Party)
	})
	return b, err
}

// setStatus stores a booking's new status (and staff's note, if any).
func (s *Service) setStatus(ctx context.Context, tx *sql.Tx, b *Booking, note string) error {
	b.UpdatedAt = db.Time(s.Now())
	if note != "" {
		b.Note = note
	}
	_, err := tx.ExecContext(ctx, `UPDATE bookings SET status = $1, note = $2, queue_pos = $3, won = $4, updated_at = $5 WHERE id = $6`,
		b.Status, b.Note, b.QueuePos, b.Won, b.UpdatedAt, b.ID)
	return err
}

// promote gives back freed places, then gives free places to the waitlist
// in queue order. Someone whose party does not fit is passed over, not
// dropped: they keep their place. The caller holds the slot's row lock.
func (s *Service) promote(ctx context.Context, tx *sql.Tx, l lockedSlot, freed int) error {
	if freed > 0 {
		if err := s.places.Release(ctx, tx, l.ID, freed); err != nil {
			return err
		}
	}
	if l.lotteryOpen() {
		return nil // the draw hands out the places
	}
	res, err := scanResource(tx.QueryRowContext(ctx, `SELECT `+resourceCols+` FROM booking_resources WHERE id = $1`, l.resourceID))
	if err != nil {
		return err
	}
	return s.places.Promote(ctx, tx, l.ID, s.holdStatus(res), s.Now(), func(e reserve.Entry) error {
		w, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+` FROM bookings WHERE id = $1`, e.ID))
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "booking.promote", SubjectType: "booking", SubjectID: w.ID}); err != nil {
			return err
		}
		return s.tell(ctx, tx, w, res, "booking.msg_promoted")
	})
}
