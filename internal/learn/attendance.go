package learn

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/reserve"
)

// CheckInOpensBefore is how long before a session starts its learners can
// be checked in: people arrive early, and a queue at the door helps nobody.
const CheckInOpensBefore = 2 * time.Hour

var checkInRule = reserve.CheckIn{OpensBefore: CheckInOpensBefore}

// CheckInWindow is when a session takes check-ins: from CheckInOpensBefore
// its start until the end of the city day on which it ends.
func CheckInWindow(s Session) (from, until time.Time) {
	return checkInRule.Window(s.StartsAt, s.EndsAt)
}

// CheckInResult is the person just checked in, with the session they came
// to, and whether that attendance completed the course for them.
type CheckInResult struct {
	RosterEntry
	Completed bool
}

// NormalizeTicket turns what a scanner read or a person typed into a stored
// ticket code: the Maeul prefix of the QR text, spaces and dashes are
// dropped and letters made capitals, so "k7qm 2xpa-…" finds K7QM2XPA….
func NormalizeTicket(text string) string { return tickets.Normalize(text) }

// CheckIn records the attendance of the ticket's holder. The ticket may be
// the bare code or the text of the ticket's QR code.
func (s *Service) CheckIn(ctx context.Context, ticket string) (CheckInResult, error) {
	if err := mayCheckIn(ctx); err != nil {
		return CheckInResult{}, err
	}
	t, err := tickets.Read(ticket)
	if err != nil {
		return CheckInResult{}, err
	}
	return s.checkIn(ctx, `r.ticket = $1`, t)
}

// CheckInRegistration records the attendance of one registration, chosen
// from a session's roster.
func (s *Service) CheckInRegistration(ctx context.Context, regID int64) (CheckInResult, error) {
	if err := mayCheckIn(ctx); err != nil {
		return CheckInResult{}, err
	}
	return s.checkIn(ctx, `r.id = $1`, regID)
}

func mayCheckIn(ctx context.Context) error {
	a := actor.From(ctx)
	switch {
	case a == nil:
		return errs.New(errs.Unauthorized, "error.unauthorized")
	case !a.Is(actor.Tutor, actor.CentreAdmin):
		return errs.New(errs.Forbidden, "error.forbidden")
	}
	return nil
}

// mayRunSession reports whether the actor runs the session: its tutor, or
// a centre admin for any session.
func mayRunSession(a *actor.Actor, sess Session) error {
	switch {
	case a == nil:
		return errs.New(errs.Unauthorized, "error.unauthorized")
	case a.Is(actor.CentreAdmin):
		return nil
	case a.Is(actor.Tutor) && sess.TutorID == a.ID:
		return nil
	case a.Is(actor.Tutor):
		return errs.New(errs.Forbidden, "staff.not_your_session")
	}
	return errs.New(errs.Forbidden, "error.forbidden")
}

// checkIn is one transaction: find the registration, check that the actor
// runs its session and that the session is taking check-ins, mark it
// attended unless it already is, and record a completion when this was the
// last session the course asks for.
func (s *Service) checkIn(ctx context.Context, where string, arg any) (CheckInResult, error) {
	a := actor.From(ctx)
	var res CheckInResult
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		reg, err := scanReg(tx.QueryRowContext(ctx, `SELECT `+prefixed("r.", regCols)+` FROM registrations r WHERE `+where, arg))
		if err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				if _, byTicket := arg.(string); byTicket {
					return &errs.Error{Code: errs.NotFound, Key: "staff.ticket_not_found", Field: "ticket"}
				}
			}
			return err
		}
		sess, err := scanSession(tx.QueryRowContext(ctx, `SELECT `+sessionCols+sessionFrom+`WHERE s.id = $1`, reg.SessionID))
		if err != nil {
			return err
		}
		if err := mayRunSession(a, sess); err != nil {
			return err
		}
		now := s.Now()
		from, until := CheckInWindow(sess)
		if sess.Status != "scheduled" {
			return errs.New(errs.Conflict, "learn.session_cancelled")
		}
		switch reserve.Check(now, from, until, reg.Status, reg.AttendedAt) {
		case reserve.Already:
			return errs.New(errs.Conflict, "staff.already_checked_in", i18n.At(reg.AttendedAt))
		case reserve.NotConfirmed:
			return errs.New(errs.Conflict, "staff.not_confirmed", statusLabel(reg.Status))
		case reserve.TooEarly:
			return errs.New(errs.Conflict, "staff.checkin_too_early", i18n.At(from))
		case reserve.Closed:
			return errs.New(errs.Conflict, "staff.checkin_closed")
		}
		if reg.Seats == 1 {
			// Lock the course row (before the registration: courses, then
			// what belongs to them) so that two check-ins of one learner
			// into two sessions of the course cannot both miss the other's
			// attendance when counting towards completion.
			if _, err := tx.ExecContext(ctx, `UPDATE courses SET sessions_to_complete = sessions_to_complete WHERE id = $1`, sess.CourseID); err != nil {
				return err
			}
		}
		at := db.Time(now)
		marked, first, err := s.seats.Arrive(ctx, tx, reg.ID, at)
		switch {
		case err != nil:
			return err
		case !marked && !first.IsZero():
			return errs.New(errs.Conflict, "staff.already_checked_in", i18n.At(first))
		case !marked:
			return errs.New(errs.Conflict, "learn.registration_not_active")
		}
		reg.AttendedAt = at
		reg.Session = sess
		if err := audit.Record(ctx, tx, audit.Entry{Action: "registration.checkin", SubjectType: "registration", SubjectID: reg.ID}); err != nil {
			return err
		}
		res.Registration = reg
		res.Completed, err = s.complete(ctx, tx, reg, sess)
		return err
	})
	if err != nil {
		return CheckInResult{}, err
	}
	names, err := s.people.Names(ctx, []int64{res.UserID})
	if err != nil {
		return CheckInResult{}, err
	}
	res.Name = names[res.UserID]
	return res, nil
}

// complete records that the learner completed the course once they have
// attended as many distinct sessions of it as it asks for. A group
// booking's attendance counts for no one in particular, so only a person's
// own registrations count. Recording twice changes nothing. The caller
// holds the course's row lock.
func (s *Service) complete(ctx context.Context, tx *sql.Tx, reg Registration, sess Session) (bool, error) {
	if reg.Seats != 1 {
		return false, nil
	}
	return s.completeCourse(ctx, tx, reg.UserID, sess.Course)
}

// completeCourse records the learner's completion of the course when the
// sessions they attended and the credits they earned elsewhere (a practice
// set) reach what it asks for. The caller holds the course's row lock.
func (s *Service) completeCourse(ctx context.Context, tx *sql.Tx, userID int64, c Course) (bool, error) {
	var need, attended, credits int
	if err := tx.QueryRowContext(ctx, `SELECT sessions_to_complete FROM courses WHERE id = $1`, c.ID).Scan(&need); err != nil {
		return false, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT r.session_id) FROM registrations r JOIN class_sessions s ON s.id = r.session_id
		WHERE r.user_id = $1 AND s.course_id = $2 AND r.seats = 1 AND r.attended_at IS NOT NULL`, userID, c.ID).Scan(&attended); err != nil {
		return false, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM course_credits WHERE user_id = $1 AND course_id = $2`, userID, c.ID).Scan(&credits); err != nil {
		return false, err
	}
	if attended+credits < max(need, 1) {
		return false, nil
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO completions (user_id, course_id, completed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		userID, c.ID, db.Time(s.Now()))
	if err != nil {
		return false, err
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{Action: "completion.create", SubjectType: "course", SubjectID: c.ID}); err != nil {
		return false, err
	}
	return true, s.notify.Enqueue(ctx, tx, notify.Message{UserID: userID, Kind: "registration", Subject: "learn.msg_subject",
		Body: "staff.msg_completed", Args: []any{courseLabel{ko: c.TitleKo, en: c.TitleEn}}})
}

// courseLabel names a course in a message, in the recipient's language.
type courseLabel struct{ ko, en string }

func (c courseLabel) Localize(l i18n.Localizer) string { return l.Pick(c.ko, c.en) }

// statusLabel names a registration status in the reader's language.
type statusLabel string

func (s statusLabel) Localize(l i18n.Localizer) string { return l.T("status." + string(s)) }

// prefixed qualifies a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// Completed reports whether a learner has completed a course.
func (s *Service) Completed(ctx context.Context, userID, courseID int64) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM completions WHERE user_id = $1 AND course_id = $2`, userID, courseID).Scan(&n)
	return n > 0, err
}

// attendee returns a registration already checked in, with its learner's
// name and session, for the page that confirms a check-in.
func (s *Service) attendee(ctx context.Context, regID int64) (RosterEntry, error) {
	reg, err := scanReg(s.db.QueryRow(ctx, `SELECT `+regCols+` FROM registrations WHERE id = $1`, regID))
	if err != nil {
		return RosterEntry{}, err
	}
	if reg.Session, err = s.Session(ctx, reg.SessionID); err != nil {
		return RosterEntry{}, err
	}
	if err := mayRunSession(actor.From(ctx), reg.Session); err != nil {
		return RosterEntry{}, err
	}
	if reg.AttendedAt.IsZero() {
		return RosterEntry{}, errs.New(errs.NotFound, "learn.registration_not_found")
	}
	names, err := s.people.Names(ctx, []int64{reg.UserID})
	if err != nil {
		return RosterEntry{}, err
	}
	return RosterEntry{Registration: reg, Name: names[reg.UserID]}, nil
}

// StaffSession is a session on a staff member's list, with its head count.
type StaffSession struct {
	Session
	Confirmed int // seats confirmed
	Attended  int // of those, seats checked in
}

// StaffSessions lists the sessions the actor checks people in for: a
// tutor's own sessions from today on; for a centre admin, today's sessions
// everywhere.
func (s *Service) StaffSessions(ctx context.Context) ([]StaffSession, error) {
	a := actor.From(ctx)
	if err := mayCheckIn(ctx); err != nil {
		return nil, err
	}
	y, m, d := s.Now().In(i18n.Zone).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, i18n.Zone)
	f := Filter{From: today, Past: true, Limit: 100}
	if a.Is(actor.CentreAdmin) {
		f.To, f.Limit = today.AddDate(0, 0, 1), 500
	} else {
		f.TutorID = a.ID
	}
	sessions, _, err := s.Search(ctx, f)
	if err != nil || len(sessions) == 0 {
		return nil, err
	}
	ph := make([]string, len(sessions))
	args := make([]any, len(sessions))
	byID := make(map[int64]int, len(sessions))
	out := make([]StaffSession, len(sessions))
	for i, x := range sessions {
		ph[i], args[i], byID[x.ID] = "$"+strconv.Itoa(i+1), x.ID, i
		out[i].Session = x
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT session_id, COALESCE(SUM(seats), 0), COALESCE(SUM(CASE WHEN attended_at IS NULL THEN 0 ELSE seats END), 0)
		FROM registrations WHERE status = 'confirmed' AND session_id IN (`+strings.Join(ph, ",")+`) GROUP BY session_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c, at int
		if err := rows.Scan(&id, &c, &at); err != nil {
			return nil, err
		}
		out[byID[id]].Confirmed, out[byID[id]].Attended = c, at
	}
	return out, rows.Err()
}

// StaffSession returns one session for its roster page, if the actor runs it.
func (s *Service) StaffSession(ctx context.Context, id int64) (Session, error) {
	sess, err := s.Session(ctx, id)
	if err != nil {
		return sess, err
	}
	return sess, mayRunSession(actor.From(ctx), sess)
}
