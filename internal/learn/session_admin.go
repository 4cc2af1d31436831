package learn

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Centre admins change a scheduled session here: its capacity, its tutor,
// how seats are allocated, the lottery's closing and draw, or cancel it.
// Each change is one transaction that holds the session's row lock, like
// every other seat decision, and is audited.

// adminTx locks the session and checks that it can still be changed.
func (s *Service) adminTx(ctx context.Context, id int64, allowStarted bool, fn func(tx *sql.Tx, l *lockedSession) error) (Session, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return Session{}, err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, err := s.lockSession(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case l.status != "scheduled":
			return errs.New(errs.Conflict, "learn.session_cancelled")
		case !allowStarted && !s.Now().Before(l.starts):
			return errs.New(errs.Conflict, "staff.session_started")
		}
		return fn(tx, &l)
	})
	if err != nil {
		return Session{}, err
	}
	return s.Session(ctx, id)
}

// SetCapacity changes how many seats a session has. It never goes below the
// seats already confirmed; seats added go at once to the waitlist in order.
func (s *Service) SetCapacity(ctx context.Context, id int64, capacity int) (Session, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return Session{}, err
	}
	if capacity < 1 || capacity > 1000 {
		return Session{}, errs.Field("capacity", "learn.capacity_invalid")
	}
	return s.adminTx(ctx, id, false, func(tx *sql.Tx, l *lockedSession) error {
		if capacity < l.Taken {
			return errs.Field("capacity", "learn.capacity_below_taken", l.Taken)
		}
		if capacity == l.Capacity {
			return errs.Field("capacity", "staff.capacity_unchanged")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET capacity = $1 WHERE id = $2`, capacity, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "session.capacity", SubjectType: "session", SubjectID: id,
			Detail: fmt.Sprintf("%d->%d", l.Capacity, capacity)}); err != nil {
			return err
		}
		grew := capacity > l.Capacity
		l.Capacity = capacity
		if !grew {
			return nil
		}
		return s.promote(ctx, tx, *l, 0)
	})
}

// SetTutor assigns a session to a tutor (a user with the tutor role), or to
// no one with id 0. The tutor is who may check its learners in.
func (s *Service) SetTutor(ctx context.Context, id, tutorID int64) (Session, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return Session{}, err
	}
	if tutorID < 0 {
		return Session{}, errs.Field("tutor_id", "staff.tutor_invalid")
	}
	if tutorID != 0 {
		u, err := s.people.Get(ctx, tutorID)
		if errs.CodeOf(err) == errs.NotFound || (err == nil && u.Role != actor.Tutor) {
			return Session{}, errs.Field("tutor_id", "staff.tutor_invalid")
		}
		if err != nil {
			return Session{}, err
		}
	}
	return s.adminTx(ctx, id, true, func(tx *sql.Tx, l *lockedSession) error {
		var current sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT tutor_id FROM class_sessions WHERE id = $1`, id).Scan(&current); err != nil {
			return err
		}
		if current.Int64 == tutorID {
			return errs.Field("tutor_id", "staff.tutor_unchanged")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET tutor_id = $1 WHERE id = $2`,
			sql.NullInt64{Int64: tutorID, Valid: tutorID != 0}, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "session.tutor", SubjectType: "session", SubjectID: id,
			Detail: fmt.Sprintf("%d->%d", current.Int64, tutorID)})
	})
}

// SetAllocation switches how a session's seats are handed out, before it
// starts.
//
// To a lottery (or to move a lottery's closing time): only while no one
// holds or awaits a seat under first come, first served, because a lottery
// cannot take back seats already given; the closing time must be in the
// future and before the start.
//
// Back to first come, first served: only before the draw. The applicants
// keep their order of application: they become the waitlist in that order,
// and the seats go to its head at once. Everyone is told where they stand.
func (s *Service) SetAllocation(ctx context.Context, id int64, allocation string, closes time.Time) (Session, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return Session{}, err
	}
	if allocation != FirstCome && allocation != Lottery {
		return Session{}, errs.Field("allocation", "learn.allocation_invalid")
	}
	return s.adminTx(ctx, id, false, func(tx *sql.Tx, l *lockedSession) error {
		now := s.Now()
		if l.allocation == Lottery && l.drawn.Valid {
			return errs.New(errs.Conflict, "learn.lottery_already_drawn")
		}
		if allocation == Lottery {
			if closes.IsZero() || !closes.After(now) || !closes.Before(l.starts) {
				return errs.Field("lottery_closes_at", "staff.lottery_close_invalid")
			}
			if l.allocation == FirstCome {
				var active int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status IN ('confirmed', 'waitlisted', 'applied')`,
					id).Scan(&active); err != nil {
					return err
				}
				if active > 0 {
					return errs.New(errs.Conflict, "staff.allocation_has_registrations", active)
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET allocation = 'lottery', lottery_closes_at = $1, lottery_drawn_at = NULL, lottery_seed = ''
				WHERE id = $2`, db.Time(closes), id); err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Entry{Action: "session.allocation", SubjectType: "session", SubjectID: id,
				Detail: l.allocation + "->" + Lottery})
		}
		if l.allocation == FirstCome {
			return errs.Field("allocation", "staff.allocation_unchanged")
		}
		applicants, err := queue(ctx, tx, id, Applied)
		if err != nil {
			return err
		}
		nowT := db.Time(now)
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = 'waitlisted', updated_at = $1 WHERE session_id = $2 AND status = 'applied'`, nowT, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET allocation = 'first_come', lottery_closes_at = NULL WHERE id = $1`, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "session.allocation", SubjectType: "session", SubjectID: id,
			Detail: fmt.Sprintf("lottery->first_come applicants=%d", len(applicants))}); err != nil {
			return err
		}
		l.allocation = FirstCome
		if err := s.promote(ctx, tx, *l, 0); err != nil {
			return err
		}
		// promote told those who got a seat; tell the others their place.
		waiting, err := queue(ctx, tx, id, Waitlisted)
		if err != nil {
			return err
		}
		was := make(map[int64]bool, len(applicants))
		for _, a := range applicants {
			was[a.ID] = true
		}
		for _, w := range waiting {
			if was[w.ID] {
				if err := s.notifyStatus(ctx, tx, w); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// CloseApplications ends a lottery's application period now, so that it
// can be drawn at once.
func (s *Service) CloseApplications(ctx context.Context, id int64) (Session, error) {
	return s.adminTx(ctx, id, false, func(tx *sql.Tx, l *lockedSession) error {
		now := db.Time(s.Now())
		switch {
		case l.allocation != Lottery:
			return errs.New(errs.Conflict, "learn.not_a_lottery")
		case l.drawn.Valid:
			return errs.New(errs.Conflict, "learn.lottery_already_drawn")
		case !now.Before(l.closes.Time):
			return errs.New(errs.Conflict, "staff.lottery_already_closed")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET lottery_closes_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "lottery.close", SubjectType: "session", SubjectID: id})
	})
}

// DrawNow draws a lottery whose applications have closed, for a centre
// admin who does not want to wait for the scheduled draw.
func (s *Service) DrawNow(ctx context.Context, id int64) (confirmed, waitlisted int, err error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return 0, 0, err
	}
	sess, err := s.Session(ctx, id)
	if err != nil {
		return 0, 0, err
	}
	if sess.Status != "scheduled" {
		return 0, 0, errs.New(errs.Conflict, "learn.session_cancelled")
	}
	return s.DrawLottery(ctx, id)
}

// CancelSessionByAdmin cancels a session that has not started; everyone
// registered is told.
func (s *Service) CancelSessionByAdmin(ctx context.Context, id int64) error {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return err
	}
	sess, err := s.Session(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case sess.Status != "scheduled":
		return errs.New(errs.Conflict, "learn.session_cancelled")
	case sess.Past(s.Now()):
		return errs.New(errs.Conflict, "staff.session_started")
	}
	return s.CancelSession(ctx, id)
}

// Tutor is a choice of tutor on the session admin page.
type Tutor struct {
	ID   int64
	Name string
}

// Tutors lists the accounts with the tutor role, when the accounts store
// can list them (auth.Users can); otherwise the page asks for an id.
func (s *Service) Tutors(ctx context.Context) ([]Tutor, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return nil, err
	}
	users, err := s.people.List(ctx, auth.ListFilter{Role: actor.Tutor, Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := make([]Tutor, len(users))
	for i, u := range users {
		out[i] = Tutor{ID: u.ID, Name: u.Name}
	}
	return out, nil
}

// TutorName returns the name of a session's tutor, "" for none.
func (s *Service) TutorName(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	names, err := s.people.Names(ctx, []int64{id})
	return names[id], err
}
