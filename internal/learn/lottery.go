package learn

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	mrand "math/rand/v2"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// DrawLottery draws the seats of a lottery session among its applicants:
// a uniformly random order (Fisher–Yates driven by ChaCha8 from a fresh
// 32-byte seed), seats to the first in that order who fit, the rest
// waitlisted in drawn order. The seed is stored, so anyone can replay the
// draw and check that it was fair. Everyone is told the result.
func (s *Service) DrawLottery(ctx context.Context, sessionID int64) (confirmed, waitlisted int, err error) {
	if a := actor.From(ctx); a != nil && !a.Is(actor.CentreAdmin) {
		return 0, 0, errs.New(errs.Forbidden, "error.forbidden")
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, err := lockSession(ctx, tx, sessionID)
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
		var seed [32]byte
		rand.Read(seed[:])
		order := DrawOrder(seed, len(applicants))
		now := db.Time(s.Now())
		for pos, idx := range order {
			reg := applicants[idx]
			reg.QueuePos = pos + 1
			reg.Status = Waitlisted
			if l.taken+reg.Seats <= l.capacity {
				reg.Status = Confirmed
				l.taken += reg.Seats
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
		if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET seats_taken = $1, lottery_drawn_at = $2, lottery_seed = $3 WHERE id = $4`,
			l.taken, now, hex.EncodeToString(seed[:]), sessionID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "lottery.draw", SubjectType: "session", SubjectID: sessionID})
	})
	return confirmed, waitlisted, err
}

// DrawOrder is the drawn order of n applicants (listed by application) for
// a seed: a permutation of 0..n-1.
func DrawOrder(seed [32]byte, n int) []int {
	r := mrand.New(mrand.NewChaCha8(seed))
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	return order
}

// DrawDueLotteries draws every lottery whose application period has ended.
func (s *Service) DrawDueLotteries(ctx context.Context) (int, error) {
	ids, err := s.sessionIDs(ctx, `SELECT id FROM class_sessions WHERE allocation = 'lottery' AND lottery_drawn_at IS NULL
		AND status = 'scheduled' AND lottery_closes_at <= $1`, db.Time(s.Now()))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		_, _, err := s.DrawLottery(ctx, id)
		if errs.CodeOf(err) == errs.Conflict {
			continue // another instance drew it first
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// sessionIDs runs a query for session ids; the jobs first list their work,
// then do each piece in its own transaction.
func (s *Service) sessionIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.db.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
