package learn

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/reserve"
)

// SeedData is a bulk load of the learning centre: the demo city, or data
// carried over from a previous system. Sessions name their course and venue
// by code and slug; registrations name their session by code.
type SeedData struct {
	Venues        []Venue
	Courses       []Course
	Sessions      []SeedSession
	Registrations []SeedRegistration
}

// SeedSession is a session with its course and venue named by key.
type SeedSession struct {
	NewSession
	CourseCode string
	VenueSlug  string
}

// SeedRegistration is a registration as it stands, already decided.
type SeedRegistration struct {
	SessionCode string
	UserID      int64
	Status      string
	Channel     string
	CreatedAt   time.Time
	AttendedAt  time.Time
	District    string
	AgeGroup    string
	Disability  bool
	Rating      int // 0: no feedback
	Comment     string
}

// Seed writes data inside tx. Registrations are inserted in bulk and the
// sessions' seat counts and the learners' completions follow from them.
func (s *Service) Seed(ctx context.Context, tx *sql.Tx, data SeedData) error {
	venueIDs := map[string]int64{}
	for _, v := range data.Venues {
		if err := v.validate(); err != nil {
			return err
		}
		out, err := saveVenue(ctx, tx, v)
		if err != nil {
			return err
		}
		venueIDs[v.Slug] = out.ID
	}
	courses := map[string]Course{}
	for _, c := range data.Courses {
		if err := c.validate(); err != nil {
			return err
		}
		out, err := saveCourse(ctx, tx, c)
		if err != nil {
			return err
		}
		courses[c.Code] = out
	}
	type sessInfo struct {
		id     int64
		course int64
	}
	sessions := map[string]sessInfo{}
	// Each statement is parsed once for the whole load: a demo city's
	// thousands of rows would otherwise each pay SQLite's parser.
	schedule, err := tx.PrepareContext(ctx, scheduleSQL)
	if err != nil {
		return err
	}
	defer schedule.Close()
	for _, ss := range data.Sessions {
		n := ss.NewSession
		n.CourseID, n.VenueID = courses[ss.CourseCode].ID, venueIDs[ss.VenueSlug]
		if err := n.validate(); err != nil {
			return err
		}
		var id int64
		err := schedule.QueryRowContext(ctx, scheduleArgs(n)...).Scan(&id)
		if id, err = scheduled(ctx, tx, n, id, err); err != nil {
			return err
		}
		sessions[n.Code] = sessInfo{id, n.CourseID}
	}
	// SQLite looks $N placeholders up by name, in time that grows with their
	// number: small batches keep a statement's cost linear.
	const cols, seedBatch = 14, 24
	rows := make([]string, 0, seedBatch)
	args := make([]any, 0, seedBatch*cols)
	const insertRegs = `INSERT INTO registrations (session_id, user_id, status, seats, queue_pos, channel, registered_by,
			learner_district, learner_age_group, learner_disability, ticket, created_at, updated_at, attended_at) VALUES `
	var full *sql.Stmt // a whole batch, prepared the first time one is written
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		var err error
		switch {
		case len(rows) < seedBatch:
			_, err = tx.ExecContext(ctx, insertRegs+strings.Join(rows, ","), args...)
		case full == nil:
			if full, err = tx.PrepareContext(ctx, insertRegs+strings.Join(rows, ",")); err == nil {
				_, err = full.ExecContext(ctx, args...)
			}
		default:
			_, err = full.ExecContext(ctx, args...)
		}
		rows, args = rows[:0], args[:0]
		return err
	}
	pos := map[int64]int{}
	type rated struct {
		session, user int64
		rating        int
		comment       string
		at            time.Time
	}
	var ratings []rated
	for _, r := range data.Registrations {
		si := sessions[r.SessionCode]
		pos[si.id]++
		ph := make([]string, cols)
		for i := range ph {
			ph[i] = "$" + strconv.Itoa(len(args)+i+1)
		}
		rows = append(rows, "("+strings.Join(ph, ",")+")")
		args = append(args, si.id, r.UserID, r.Status, 1, pos[si.id], r.Channel, r.UserID, r.District, r.AgeGroup, r.Disability,
			reserve.NewTicket(), db.Time(r.CreatedAt), db.Time(r.CreatedAt), nullTime(r.AttendedAt))
		if r.Rating > 0 {
			ratings = append(ratings, rated{si.id, r.UserID, r.Rating, r.Comment, r.AttendedAt.Add(3 * time.Hour)})
		}
		if len(rows) == seedBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	feedback, err := tx.PrepareContext(ctx, `INSERT INTO feedback (session_id, user_id, rating, comment, created_at) VALUES ($1, $2, $3, $4, $5)`)
	if err != nil {
		return err
	}
	defer feedback.Close()
	for _, f := range ratings {
		if _, err := feedback.ExecContext(ctx, f.session, f.user, f.rating, f.comment, db.Time(f.at)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE class_sessions SET
			seats_taken = (SELECT COALESCE(SUM(r.seats), 0) FROM registrations r WHERE r.session_id = class_sessions.id AND r.status = 'confirmed'),
			queue_seq = (SELECT COUNT(*) FROM registrations r WHERE r.session_id = class_sessions.id)`); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO completions (user_id, course_id, completed_at)
		SELECT r.user_id, s.course_id, MAX(r.attended_at) FROM registrations r JOIN class_sessions s ON s.id = r.session_id JOIN courses c ON c.id = s.course_id
		WHERE r.attended_at IS NOT NULL GROUP BY r.user_id, s.course_id, c.sessions_to_complete
		HAVING COUNT(DISTINCT r.session_id) >= c.sessions_to_complete
		ON CONFLICT (user_id, course_id) DO NOTHING`)
	return err
}
