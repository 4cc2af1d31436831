package learn

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// MaxFeedbackComment is the longest comment a learner can leave, in characters.
const MaxFeedbackComment = 1000

// Feedback is one learner's rating of a session they attended.
type Feedback struct {
	ID        int64
	SessionID int64
	UserID    int64
	Rating    int // 1 (poor) to 5 (very good)
	Comment   string
	CreatedAt time.Time
}

// FeedbackInput is what the learner sends.
type FeedbackInput struct {
	Rating  int
	Comment string
}

func (in *FeedbackInput) validate() error {
	in.Comment = strings.TrimSpace(in.Comment)
	switch {
	case in.Rating < 1 || in.Rating > 5:
		return errs.Field("rating", "feedback.rating_invalid")
	case utf8.RuneCountInString(in.Comment) > MaxFeedbackComment:
		return errs.Field("comment", "feedback.comment_too_long", MaxFeedbackComment)
	case !utf8.ValidString(in.Comment):
		return errs.Field("comment", "feedback.comment_invalid")
	}
	return nil
}

// FeedbackState is what the feedback page of a registration shows: the
// registration, and the learner's feedback if they already gave it.
type FeedbackState struct {
	Reg     Registration
	Given   *Feedback
	Blocked string // why the learner cannot rate yet: a catalogue key, or ""
}

// mayRate checks that the registration's learner may rate its session now.
func (s *Service) mayRate(reg Registration, sess Session) error {
	switch {
	case s.Now().Before(sess.StartsAt):
		return errs.New(errs.Conflict, "feedback.not_started")
	case reg.AttendedAt.IsZero():
		return errs.New(errs.Conflict, "feedback.not_attended")
	}
	return nil
}

// myRegistration returns a registration of the actor's subject: anyone
// else's is not found, so that ids reveal nothing.
func myRegistration(ctx context.Context, q db.Querier, regID int64) (Registration, error) {
	a := actor.From(ctx)
	if a == nil {
		return Registration{}, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	reg, err := scanReg(q.QueryRowContext(ctx, `SELECT `+regCols+` FROM registrations WHERE id = $1`, regID))
	if err != nil {
		return reg, err
	}
	if reg.UserID != a.Subject().ID {
		return Registration{}, errs.New(errs.NotFound, "learn.registration_not_found")
	}
	return reg, nil
}

// FeedbackFor returns the state of the feedback form for one of the
// subject's registrations.
func (s *Service) FeedbackFor(ctx context.Context, regID int64) (FeedbackState, error) {
	reg, err := myRegistration(ctx, s.db.Read(), regID)
	if err != nil {
		return FeedbackState{}, err
	}
	if reg.Session, err = s.Session(ctx, reg.SessionID); err != nil {
		return FeedbackState{}, err
	}
	st := FeedbackState{Reg: reg}
	if e, ok := errs.As(s.mayRate(reg, reg.Session)); ok {
		st.Blocked = e.Key
	}
	f, err := scanFeedback(s.db.QueryRow(ctx, `SELECT `+feedbackCols+` FROM feedback WHERE session_id = $1 AND user_id = $2`, reg.SessionID, reg.UserID))
	switch {
	case err == nil:
		st.Given = &f
	case !errors.Is(err, sql.ErrNoRows):
		return st, err
	}
	return st, nil
}

const feedbackCols = `id, session_id, user_id, rating, comment, created_at`

func scanFeedback(row interface{ Scan(...any) error }) (Feedback, error) {
	var f Feedback
	err := row.Scan(&f.ID, &f.SessionID, &f.UserID, &f.Rating, &f.Comment, &f.CreatedAt)
	return f, err
}

// GiveFeedback records the subject's rating of the session of one of their
// registrations: once, after the session has started, and only if they
// attended it.
func (s *Service) GiveFeedback(ctx context.Context, regID int64, in FeedbackInput) (Feedback, error) {
	if actor.From(ctx) == nil {
		return Feedback{}, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	if err := in.validate(); err != nil {
		return Feedback{}, err
	}
	var f Feedback
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		reg, err := myRegistration(ctx, tx, regID)
		if err != nil {
			return err
		}
		var starts time.Time
		if err := tx.QueryRowContext(ctx, `SELECT starts_at FROM class_sessions WHERE id = $1`, reg.SessionID).Scan(&starts); err != nil {
			return err
		}
		if err := s.mayRate(reg, Session{StartsAt: starts}); err != nil {
			return err
		}
		var given int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback WHERE session_id = $1 AND user_id = $2`, reg.SessionID, reg.UserID).Scan(&given); err != nil {
			return err
		}
		if given > 0 {
			return errs.New(errs.Conflict, "feedback.already_given")
		}
		f = Feedback{SessionID: reg.SessionID, UserID: reg.UserID, Rating: in.Rating, Comment: in.Comment, CreatedAt: db.Time(s.Now())}
		err = tx.QueryRowContext(ctx, `INSERT INTO feedback (session_id, user_id, rating, comment, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			f.SessionID, f.UserID, f.Rating, f.Comment, f.CreatedAt).Scan(&f.ID)
		if db.IsUniqueViolation(err) {
			return errs.New(errs.Conflict, "feedback.already_given")
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "feedback.create", SubjectType: "session", SubjectID: f.SessionID})
	})
	if err != nil {
		return Feedback{}, err
	}
	return f, nil
}

// Ratings sums up ratings: how many, and how many of each score.
type Ratings struct {
	Count    int
	Sum      int
	ByRating [5]int // ByRating[0] counts ratings of 1
	Sessions int    // sessions rated at least once
}

// Average is the mean rating, 0 when there is none.
func (r Ratings) Average() float64 {
	if r.Count == 0 {
		return 0
	}
	return float64(r.Sum) / float64(r.Count)
}

// RatingRow is one line of a ratings table.
type RatingRow struct {
	Rating  int
	Count   int
	Percent int
}

// Rows lists the scores from 5 down to 1 with their counts.
func (r Ratings) Rows() []RatingRow {
	out := make([]RatingRow, 0, 5)
	for score := 5; score >= 1; score-- {
		row := RatingRow{Rating: score, Count: r.ByRating[score-1]}
		if r.Count > 0 {
			row.Percent = (row.Count*100 + r.Count/2) / r.Count
		}
		out = append(out, row)
	}
	return out
}

func (s *Service) ratings(ctx context.Context, where string, arg int64) (Ratings, error) {
	var r Ratings
	rows, err := s.db.Read().QueryContext(ctx, `SELECT f.rating, COUNT(*) FROM feedback f
		JOIN class_sessions s ON s.id = f.session_id WHERE `+where+` GROUP BY f.rating`, arg)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var rating, n int
		if err := rows.Scan(&rating, &n); err != nil {
			return r, err
		}
		if rating < 1 || rating > 5 {
			continue
		}
		r.ByRating[rating-1] += n
		r.Count += n
		r.Sum += rating * n
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	err = s.db.Read().QueryRowContext(ctx, `SELECT COUNT(DISTINCT f.session_id) FROM feedback f JOIN class_sessions s ON s.id = f.session_id WHERE `+where, arg).Scan(&r.Sessions)
	return r, err
}

// FeedbackComment is a comment as staff see it: without the learner's name,
// so that people say what they think.
type FeedbackComment struct {
	Rating    int
	Comment   string
	CreatedAt time.Time
}

// SessionFeedback is what a session's tutor and centre admins see.
type SessionFeedback struct {
	Session  Session
	Ratings  Ratings
	Comments []FeedbackComment
	Course   Ratings // every session of the course
}

// SessionFeedback returns the ratings and comments of a session, and the
// summary of its whole course, for the session's tutor or a centre admin.
func (s *Service) SessionFeedback(ctx context.Context, sessionID int64) (SessionFeedback, error) {
	sess, err := s.Session(ctx, sessionID)
	if err != nil {
		return SessionFeedback{}, err
	}
	if err := mayRunSession(actor.From(ctx), sess); err != nil {
		return SessionFeedback{}, err
	}
	out := SessionFeedback{Session: sess}
	if out.Ratings, err = s.ratings(ctx, `f.session_id = $1`, sessionID); err != nil {
		return out, err
	}
	if out.Course, err = s.FeedbackSummary(ctx, sess.CourseID); err != nil {
		return out, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT rating, comment, created_at FROM feedback WHERE session_id = $1 AND comment <> '' ORDER BY created_at DESC, id DESC LIMIT 500`, sessionID)
	out.Comments, err = db.Collect(rows, err, func(sc db.Scanner) (FeedbackComment, error) {
		var c FeedbackComment
		err := sc.Scan(&c.Rating, &c.Comment, &c.CreatedAt)
		return c, err
	})
	return out, err
}

// FeedbackSummary sums up the ratings of every session of a course, for
// tutors and centre admins.
func (s *Service) FeedbackSummary(ctx context.Context, courseID int64) (Ratings, error) {
	if err := mayCheckIn(ctx); err != nil {
		return Ratings{}, err
	}
	return s.ratings(ctx, `s.course_id = $1`, courseID)
}
