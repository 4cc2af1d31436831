package practice

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Attempt is one task finished in guided or challenge mode.
type Attempt struct {
	Scenario, Task, Mode string
	Mistakes, Seconds    int
	Started, Finished    time.Time
}

// Recorded is what recording attempts changed beyond the attempts.
type Recorded struct {
	SetsDone  []Set    // sets this finished
	Completed []string // codes of the courses this completed
}

// Record keeps a learner's finished tasks, and for each set they now have
// every challenge of, marks it done and credits its course: one
// transaction. An attempt already kept (same task and start) is kept once.
func (s *Service) Record(ctx context.Context, userID int64, attempts []Attempt) (Recorded, error) {
	var out Recorded
	for _, a := range attempts {
		if !s.known(a) {
			return out, errs.New(errs.Invalid, "practice.not_found")
		}
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		out = Recorded{}
		now := db.Time(s.Now())
		// The learner's row first: a second recording waits here and then
		// sees this one's attempts when it checks the sets.
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_learners (user_id, updated_at) VALUES ($1, $2)
			ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at`, userID, now); err != nil {
			return err
		}
		for _, a := range attempts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO practice_attempts (user_id, scenario, task, mode, mistakes, seconds, started_at, finished_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
				userID, a.Scenario, a.Task, a.Mode, a.Mistakes, a.Seconds, db.Time(a.Started), db.Time(a.Finished)); err != nil {
				return err
			}
		}
		done, err := challengesDone(ctx, tx, userID)
		if err != nil {
			return err
		}
		for _, st := range s.sets {
			if !setComplete(st, done) {
				continue
			}
			r, err := tx.ExecContext(ctx, `INSERT INTO practice_sets_done (user_id, set_id, finished_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
				userID, st.ID, now)
			if err != nil {
				return err
			}
			if n, err := r.RowsAffected(); err != nil || n == 0 {
				if err != nil {
					return err
				}
				continue
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "practice.set_done", SubjectType: "user", SubjectID: userID}); err != nil {
				return err
			}
			out.SetsDone = append(out.SetsDone, st)
			if st.Course == "" || s.learning == nil {
				continue
			}
			_, completed, err := s.learning.CreditTx(ctx, tx, userID, st.Course, "practice:"+st.ID)
			if err != nil {
				return err
			}
			if completed {
				out.Completed = append(out.Completed, st.Course)
			}
		}
		return nil
	})
	return out, err
}

func (s *Service) known(a Attempt) bool {
	sc, ok := s.Scenario(a.Scenario)
	if !ok {
		return false
	}
	_, ok = sc.task(a.Task)
	return ok && (a.Mode == Guided || a.Mode == Challenge)
}

// challengesDone are the "scenario/task" a learner has finished on their own.
func challengesDone(ctx context.Context, tx *sql.Tx, userID int64) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT scenario, task FROM practice_attempts WHERE user_id = $1 AND mode = 'challenge'`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var sc, t string
		if err := rows.Scan(&sc, &t); err != nil {
			return nil, err
		}
		done[sc+"/"+t] = true
	}
	return done, rows.Err()
}

func setComplete(st Set, done map[string]bool) bool {
	return !slices.ContainsFunc(st.Tasks, func(t string) bool { return !done[t] })
}

const attemptCols = `user_id, scenario, task, mode, mistakes, seconds, started_at, finished_at`

type userAttempt struct {
	UserID int64
	Attempt
}

func scanAttempt(row db.Scanner) (userAttempt, error) {
	var a userAttempt
	err := row.Scan(&a.UserID, &a.Scenario, &a.Task, &a.Mode, &a.Mistakes, &a.Seconds, &a.Started, &a.Finished)
	return a, err
}

// Attempts are a learner's finished tasks, the latest first.
func (s *Service) Attempts(ctx context.Context, userID int64) ([]Attempt, error) {
	rows, err := s.db.Query(ctx, `SELECT `+attemptCols+` FROM practice_attempts WHERE user_id = $1 ORDER BY finished_at DESC, id DESC`, userID)
	list, err := db.Collect(rows, err, scanAttempt)
	out := make([]Attempt, len(list))
	for i, a := range list {
		out[i] = a.Attempt
	}
	return out, err
}

// SetsDone are the sets a learner finished, by id, with when.
func (s *Service) SetsDone(ctx context.Context, userID int64) (map[string]time.Time, error) {
	rows, err := s.db.Query(ctx, `SELECT set_id, finished_at FROM practice_sets_done WHERE user_id = $1`, userID)
	return db.CollectMap(rows, err, map[string]time.Time{})
}

// Minutes and Secs say how long the attempt took, as pages write it.
func (a Attempt) Minutes() int { return a.Seconds / 60 }

// Secs is the seconds past the minutes.
func (a Attempt) Secs() int { return a.Seconds % 60 }
