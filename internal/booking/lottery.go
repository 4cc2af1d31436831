package booking

import (
	"context"
	"database/sql"
	"slices"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/reserve"
)

// DrawResult is what a draw did.
type DrawResult struct {
	Seed       string // hex: replaying reserve.DrawOrder with it gives the same order
	Won        int
	Waitlisted int
}

// Draw draws a lottery slot's places among its applicants: a uniformly
// random order (reserve.DrawOrder from a 32-byte seed), places
// to the first in that order who fit and have not reached the resource's
// wins for the month, the rest waitlisted in drawn order — those over
// their monthly wins last. The seed is stored and audited, so anyone can
// replay the draw. Everyone is told.
func (s *Service) Draw(ctx context.Context, slotID int64) (DrawResult, error) {
	if a := actor.From(ctx); a != nil && !a.Is(actor.CentreAdmin) {
		return DrawResult{}, errs.New(errs.Forbidden, "error.forbidden")
	}
	var out DrawResult
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		// The resource first: draws of one resource take turns, so that
		// two instances drawing two slots cannot both give someone their
		// last win of the month.
		res, err := scanResource(tx.QueryRowContext(ctx, `UPDATE booking_resources SET draws = draws + 1
			WHERE id = (SELECT resource_id FROM booking_slots WHERE id = $1) RETURNING `+resourceCols, slotID))
		if err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				err = errs.New(errs.NotFound, "booking.slot_not_found")
			}
			return err
		}
		l, err := s.lockSlot(ctx, tx, slotID)
		if err != nil {
			return err
		}
		switch {
		case !l.lotteryOpen():
			return errs.New(errs.Conflict, "booking.already_drawn")
		case s.Now().Before(l.drawAt.Time):
			return errs.New(errs.Conflict, "booking.lottery_open")
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+bookingCols+` FROM bookings WHERE slot_id = $1 AND status = 'applied' ORDER BY queue_pos, id`, slotID)
		applicants, err := db.Collect(rows, err, scanBooking)
		if err != nil {
			return err
		}
		wins, err := monthlyWins(ctx, tx, res, l)
		if err != nil {
			return err
		}
		seed, seedHex, err := reserve.NewSeed(s.Rand)
		if err != nil {
			return err
		}
		out.Seed = seedHex
		entries := make([]reserve.Entry, len(applicants))
		for i, b := range applicants {
			entries[i] = reserve.Entry{ID: b.ID, User: b.UserID, Size: b.Party}
		}
		lots, err := s.places.Draw(ctx, tx, slotID, seed, entries, reserve.Limit{Max: res.MonthlyWins, Prior: wins})
		if err != nil {
			return err
		}
		var waiting []Booking
		for _, lot := range lots {
			b := applicants[lot.Index]
			if !lot.Won {
				b.Status, b.QueuePos = Waitlisted, lot.Wait
				waiting = append(waiting, b)
				continue
			}
			b.Status, b.Won = s.holdStatus(res), true
			if err := s.setStatus(ctx, tx, &b, ""); err != nil {
				return err
			}
			if err := s.tell(ctx, tx, b, res, "booking.msg_won"); err != nil {
				return err
			}
			out.Won++
		}
		slices.SortFunc(waiting, func(a, b Booking) int { return a.QueuePos - b.QueuePos })
		for _, b := range waiting {
			if err := s.setStatus(ctx, tx, &b, ""); err != nil {
				return err
			}
			if err := s.tell(ctx, tx, b, res, "booking.msg_not_won", b.QueuePos); err != nil {
				return err
			}
			out.Waitlisted++
		}
		if _, err := tx.ExecContext(ctx, `UPDATE booking_slots SET drawn_at = $1, draw_seed = $2 WHERE id = $3`,
			db.Time(s.Now()), out.Seed, slotID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "booking.draw", SubjectType: "booking_slot", SubjectID: slotID, Detail: "seed " + out.Seed})
	})
	return out, err
}

// monthlyWins counts, per person, the places the resource's draws gave in
// the slot's month and that still stand.
func monthlyWins(ctx context.Context, tx *sql.Tx, res Resource, l lockedSlot) (map[int64]int, error) {
	from, to := monthOf(l.starts)
	rows, err := tx.QueryContext(ctx, `SELECT user_id, COUNT(*) FROM bookings WHERE resource_id = $1 AND won AND status IN ('requested', 'confirmed')
		AND starts_at >= $2 AND starts_at < $3 GROUP BY user_id`, res.ID, db.Time(from), db.Time(to))
	return db.CollectMap(rows, err, map[int64]int{})
}

// DrawDue draws every lottery slot whose applications have closed, for the
// app's job loop, and says how many it drew. Another instance drawing the
// same slot first is no error.
func (s *Service) DrawDue(ctx context.Context) (int, error) {
	due := reserve.Due{Where: `draw_at IS NOT NULL AND drawn_at IS NULL AND draw_at <= $1`, Args: []any{db.Time(s.Now())},
		Order: "draw_at, id", Limit: 500}
	return s.places.DrawDue(ctx, due, func(ctx context.Context, id int64) error {
		_, err := s.Draw(ctx, id)
		return err
	})
}
