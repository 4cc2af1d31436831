package learn

import (
	"context"
	"database/sql"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/reserve"
)

// DrawLottery draws the seats of a lottery session among its applicants:
// a uniformly random order (reserve.DrawOrder from a fresh 32-byte seed),
// seats to the first in that order who fit, the rest waitlisted in drawn
// order. The seed is stored, so anyone can replay the draw and check that
// it was fair. Everyone is told the result.
func (s *Service) DrawLottery(ctx context.Context, sessionID int64) (confirmed, waitlisted int, err error) {
	if a := actor.From(ctx); a != nil && !a.Is(actor.CentreAdmin) {
		return 0, 0, errs.New(errs.Forbidden, "error.forbidden")
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, err := s.lockSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		switch {
		case l.allocation != Lottery:
			return errs.New(errs.Conflict, "learn.not_a_lottery")
		case l.drawn.Valid:
			return errs.New(errs.Conflict, "learn.lottery_already_drawn")
		case s.Now().Before(l.closes.Time):
			return errs.New(errs.Conflict, "learn.lottery_still_open")
		}
		applicants, err := queue(ctx, tx, sessionID, Applied)
		if err != nil {
			return err
		}
		seed, seedHex, err := reserve.NewSeed(nil)
		if err != nil {
			return err
		}
		entries := make([]reserve.Entry, len(applicants))
		for i, a := range applicants {
			entries[i] = reserve.Entry{ID: a.ID, User: a.UserID, Size: a.Seats}
		}
		lots, err := s.seats.Draw(ctx, tx, sessionID, seed, entries, reserve.Limit{})
		if err != nil {
			return err
		}
		now := db.Time(s.Now())
		for _, lot := range lots {
			reg := applicants[lot.Index]
			reg.QueuePos = lot.Pos
			reg.Status = Waitlisted
			if lot.Won {
				reg.Status = Confirmed
				confirmed++
			} else {
				waitlisted++
			}
			if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = $1, queue_pos = $2, updated_at = $3 WHERE id = $4`,
				reg.Status, reg.QueuePos, now, reg.ID); err != nil {
				return err
			}
			note := reg
			note.Status = "lottery_" + reg.Status
			if err := s.notifyStatus(ctx, tx, note); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET lottery_drawn_at = $1, lottery_seed = $2 WHERE id = $3`,
			now, seedHex, sessionID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "lottery.draw", SubjectType: "session", SubjectID: sessionID})
	})
	return confirmed, waitlisted, err
}

// DrawDueLotteries draws every lottery whose application period has ended.
func (s *Service) DrawDueLotteries(ctx context.Context) (int, error) {
	due := reserve.Due{Where: `allocation = 'lottery' AND lottery_drawn_at IS NULL AND status = 'scheduled' AND lottery_closes_at <= $1`,
		Args: []any{db.Time(s.Now())}}
	return s.seats.DrawDue(ctx, due, func(ctx context.Context, id int64) error {
		_, _, err := s.DrawLottery(ctx, id)
		return err
	})
}

// sessionIDs runs a query for session ids; the jobs first list their work,
// then do each piece in its own transaction.
func (s *Service) sessionIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	return db.Column[int64](s.db.Read().QueryContext(ctx, q, args...))
}
