package learn

import (
	"context"
	"database/sql"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// CreditTx counts something the learner finished outside a session (a set
// of practice challenges) toward the course of the code, once per source,
// and records the completion when that was what was missing. It runs in
// the caller's transaction so the credit and what earned it are one
// change. A course that does not exist (a set naming a course this city
// does not run) credits nothing and is not an error.
func (s *Service) CreditTx(ctx context.Context, tx *sql.Tx, userID int64, courseCode, source string) (credited, completed bool, err error) {
	c, err := scanCourse(tx.QueryRowContext(ctx, `SELECT `+courseCols+` FROM courses WHERE code = $1`, courseCode))
	if err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return false, false, nil
		}
		return false, false, err
	}
	// The course's row lock first, as a check-in takes it, so a credit and
	// a check-in at once both count.
	if _, err := tx.ExecContext(ctx, `UPDATE courses SET sessions_to_complete = sessions_to_complete WHERE id = $1`, c.ID); err != nil {
		return false, false, err
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO course_credits (user_id, course_id, source, credited_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		userID, c.ID, source, db.Time(s.Now()))
	if err != nil {
		return false, false, err
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return false, false, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{Action: "course_credit.create", SubjectType: "course", SubjectID: c.ID}); err != nil {
		return false, false, err
	}
	completed, err = s.completeCourse(ctx, tx, userID, c)
	return true, completed, err
}
