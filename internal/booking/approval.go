package booking

import (
	"context"
	"database/sql"
	"strings"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/errs"
)

// MaxNote bounds staff's note on a decision.
const MaxNote = 300

// Approve confirms a requested booking; Refuse turns it down and gives
// its places to the waitlist. Only centre staff decide; the citizen is
// told, with the note.
func (s *Service) Approve(ctx context.Context, id int64, note string) (Booking, error) {
	return s.decide(ctx, id, Confirmed, note)
}

// Refuse turns a requested booking down; see Approve.
func (s *Service) Refuse(ctx context.Context, id int64, note string) (Booking, error) {
	return s.decide(ctx, id, Refused, note)
}

func (s *Service) decide(ctx context.Context, id int64, status, note string) (Booking, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return Booking{}, err
	}
	note = strings.TrimSpace(note)
	switch {
	case utf8.RuneCountInString(note) > MaxNote:
		return Booking{}, errs.Field("note", "booking.note_too_long", MaxNote)
	case status == Refused && note == "":
		return Booking{}, errs.Field("note", "booking.note_required")
	}
	var b Booking
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, got, err := s.lockBooking(ctx, tx, id)
		if err != nil {
			return err
		}
		b = got
		if b.Status != Requested {
			return errs.New(errs.Conflict, "booking.not_requested")
		}
		if !s.Now().Before(b.StartsAt) {
			return errs.New(errs.Conflict, "booking.past")
		}
		b.Status = status
		if err := s.setStatus(ctx, tx, &b, note); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "booking." + status, SubjectType: "booking", SubjectID: b.ID}); err != nil {
			return err
		}
		res, err := scanResource(tx.QueryRowContext(ctx, `SELECT `+resourceCols+` FROM booking_resources WHERE id = $1`, b.ResourceID))
		if err != nil {
			return err
		}
		if err := s.tell(ctx, tx, b, res, "booking.msg_"+status, b.Note); err != nil {
			return err
		}
		if status == Confirmed {
			return nil
		}
		return s.promote(ctx, tx, l, b.Party)
	})
	return b, err
}
