package learn

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/reserve"
)

// Registration is one person's (or one group's) place in a session.
type Registration struct {
	ID           int64
	SessionID    int64
	UserID       int64
	Status       string
	Seats        int
	QueuePos     int
	GroupName    string
	GroupContact string
	Channel      string
	RegisteredBy int64
	Ticket       string
	CreatedAt    time.Time
	AttendedAt   time.Time

	Session Session // filled by listings that show it
}

// Active reports whether the registration still holds or awaits a seat.
func (r Registration) Active() bool {
	return r.Status == Confirmed || r.Status == Waitlisted || r.Status == Applied
}

const regCols = `id, session_id, user_id, status, seats, queue_pos, group_name, group_contact, channel, registered_by, ticket, created_at, attended_at`

func scanReg(row interface{ Scan(...any) error }) (Registration, error) {
	var r Registration
	var att sql.NullTime
	err := row.Scan(&r.ID, &r.SessionID, &r.UserID, &r.Status, &r.Seats, &r.QueuePos, &r.GroupName, &r.GroupContact,
		&r.Channel, &r.RegisteredBy, &r.Ticket, &r.CreatedAt, &att)
	r.AttendedAt = att.Time
	return r, db.NotFound(err, "learn.registration_not_found")
}

// Request is what a registration asks for.
type Request struct {
	SessionID    int64
	Seats        int    // 1 for a person; more for a group
	GroupName    string // required for a group
	GroupContact string // required for a group: who to call
}

// lockedSession is the state of a session read while its row is locked.
type lockedSession struct {
	reserve.Pool
	allocation, status string
	starts             time.Time
	closes, drawn      sql.NullTime
	courseID           int64
}

const lockedCols = `allocation, status, starts_at, lottery_closes_at, lottery_drawn_at, course_id`

func (l *lockedSession) dest() []any {
	return []any{&l.allocation, &l.status, &l.starts, &l.closes, &l.drawn, &l.courseID}
}

// lockSession takes the session's row lock and bumps its queue counter, so
// that every seat decision on one session is serialized.
func (s *Service) lockSession(ctx context.Context, tx *sql.Tx, id int64) (l lockedSession, err error) {
	l.Pool, err = s.seats.Lock(ctx, tx, "id = $1", []any{id}, lockedCols, l.dest()...)
	return l, err
}

// drawState is where the session's lottery stands at now, if it has one.
func (l lockedSession) drawState(now time.Time) reserve.DrawState {
	switch {
	case l.allocation != Lottery || l.drawn.Valid:
		return reserve.NoDraw
	case now.Before(l.closes.Time):
		return reserve.DrawOpen
	}
	return reserve.DrawClosed
}

func (r *Request) validate() error {
	if r.Seats == 0 {
		r.Seats = 1
	}
	r.GroupName = strings.TrimSpace(r.GroupName)
	r.GroupContact = strings.TrimSpace(r.GroupContact)
	switch {
	case r.Seats < 1 || r.Seats > 100:
		return errs.Field("seats", "learn.seats_invalid")
	case r.Seats > 1 && (r.GroupName == "" || r.GroupContact == ""):
		return errs.Field("group_name", "learn.group_details_required")
	case utf8.RuneCountInString(r.GroupName) > 100 || utf8.RuneCountInString(r.GroupContact) > 100:
		return errs.Field("group_name", "learn.group_details_too_long")
	}
	return nil
}

// Register places the request's subject — the signed-in citizen, or the
// citizen an operator acts for — in a session: confirmed while seats last,
// then waitlisted in order of arrival; for a lottery, entered into the draw.
func (s *Service) Register(ctx context.Context, req Request) (Registration, error) {
	a := actor.From(ctx)
	if a == nil {
		return Registration{}, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	if err := req.validate(); err != nil {
		return Registration{}, err
	}
	learner := a.Subject()
	if a.ActingFor == nil && a.Role != actor.Citizen {
		return Registration{}, errs.New(errs.Forbidden, "learn.staff_register_for_citizen")
	}
	u, err := s.people.Get(ctx, learner.ID)
	if err != nil {
		return Registration{}, err
	}
	channel := actor.ChannelOf(ctx)
	if req.Seats > 1 && channel == actor.Online {
		channel = GroupChannel
	}
	now := s.Now()
	var reg Registration
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, err := s.lockSession(ctx, tx, req.SessionID)
		if err != nil {
			return err
		}
		switch {
		case l.status != "scheduled":
			return errs.New(errs.Conflict, "learn.session_cancelled")
		case !now.Before(l.starts):
			return errs.New(errs.Conflict, "learn.session_past")
		case req.Seats > l.Capacity:
			return errs.Field("seats", "learn.seats_over_capacity", l.Capacity)
		}
		status, err := s.seats.Ask(ctx, tx, reserve.Request{Pool: l.ID, User: learner.ID, Size: req.Seats, Draw: l.drawState(now), Wait: true})
		if err != nil {
			return err
		}
		reg = Registration{SessionID: req.SessionID, UserID: learner.ID, Status: status, Seats: req.Seats, QueuePos: l.Seq,
			GroupName: req.GroupName, GroupContact: req.GroupContact, Channel: channel, RegisteredBy: a.ID, Ticket: reserve.NewTicket(), CreatedAt: db.Time(now)}
		err = tx.QueryRowContext(ctx, `INSERT INTO registrations (session_id, user_id, status, seats, queue_pos, group_name, group_contact, channel, registered_by,
				learner_district, learner_age_group, learner_disability, ticket, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
			reg.SessionID, reg.UserID, reg.Status, reg.Seats, reg.QueuePos, reg.GroupName, reg.GroupContact, reg.Channel, reg.RegisteredBy,
			u.District, AgeGroup(u.BirthYear, now.In(i18n.Zone).Year()), u.Disability, reg.Ticket, reg.CreatedAt).Scan(&reg.ID)
		if db.IsUniqueViolation(err) {
			return errs.New(errs.Conflict, "learn.already_registered")
		}
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "registration.create", SubjectType: "registration", SubjectID: reg.ID, Detail: status}); err != nil {
			return err
		}
		return s.notifyStatus(ctx, tx, reg)
	})
	return reg, err
}

// TicketPrefix starts the text of every ticket's QR code, so a scanner can
// tell a Maeul ticket from any other code.
const TicketPrefix = "MAEUL-TICKET:"

// TicketText is a ticket as people read it: four groups of four.
func (r Registration) TicketText() string { return reserve.TicketText(r.Ticket) }

// notifyStatus tells the learner what became of their registration.
func (s *Service) notifyStatus(ctx context.Context, tx *sql.Tx, r Registration) error {
	var title, titleEn string
	var starts time.Time
	if err := tx.QueryRowContext(ctx, `SELECT c.title_ko, c.title_en, s.starts_at FROM class_sessions s JOIN courses c ON c.id = s.course_id WHERE s.id = $1`,
		r.SessionID).Scan(&title, &titleEn, &starts); err != nil {
		return err
	}
	kind, key := "registration", "learn.msg_"+r.Status
	switch r.Status {
	case Waitlisted:
		kind = "waitlist"
	case "lottery_" + Confirmed, "lottery_" + Waitlisted:
		kind = "lottery"
	case "reminder":
		kind = "reminder"
	}
	return s.notify.Enqueue(ctx, tx, notify.Message{UserID: r.UserID, Kind: kind, Subject: "learn.msg_subject", Body: key,
		Args: []any{sessionLabel{ko: title, en: titleEn, at: starts}}})
}

// sessionLabel names a session in a message, in the recipient's language.
type sessionLabel struct {
	ko, en string
	at     time.Time
}

func (s sessionLabel) Localize(l i18n.Localizer) string {
	return l.Pick(s.ko, s.en) + " · " + l.DateTime(s.at)
}

// Cancel cancels a registration. A freed seat goes at once to the first
// waitlisted registration that fits, who is told.
func (s *Service) Cancel(ctx context.Context, regID int64) (Registration, error) {
	a := actor.From(ctx)
	if a == nil {
		return Registration{}, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	var reg Registration
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var l lockedSession
		var err error
		if l.Pool, err = s.seats.LockClaim(ctx, tx, regID, lockedCols, l.dest()...); err != nil {
			return err
		}
		reg, err = scanReg(tx.QueryRowContext(ctx, `SELECT `+regCols+` FROM registrations WHERE id = $1`, regID))
		if err != nil {
			return err
		}
		if reg.UserID != a.Subject().ID && reg.RegisteredBy != a.ID && !a.Is(actor.CentreAdmin, actor.Operator) {
			return errs.New(errs.Forbidden, "error.forbidden")
		}
		if !reg.Active() {
			return errs.New(errs.Conflict, "learn.registration_not_active")
		}
		if !s.Now().Before(l.starts) {
			return errs.New(errs.Conflict, "learn.session_past")
		}
		wasConfirmed := reg.Status == Confirmed
		reg.Status = Cancelled
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = 'cancelled', updated_at = $1 WHERE id = $2`, db.Time(s.Now()), regID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "registration.cancel", SubjectType: "registration", SubjectID: regID}); err != nil {
			return err
		}
		if !wasConfirmed {
			return nil
		}
		return s.promote(ctx, tx, l, reg.Seats)
	})
	return reg, err
}

// promote gives back freed seats, then fills free seats from the waitlist in
// queue order. A group that does not fit is passed over, not dropped: it
// keeps its place.
func (s *Service) promote(ctx context.Context, tx *sql.Tx, l lockedSession, freed int) error {
	if freed > 0 {
		if err := s.seats.Release(ctx, tx, l.ID, freed); err != nil {
			return err
		}
	}
	if l.allocation == Lottery && !l.drawn.Valid {
		return nil // seats are handed out by the draw
	}
	return s.seats.Promote(ctx, tx, l.ID, Confirmed, s.Now(), func(w reserve.Entry) error {
		reg, err := scanReg(tx.QueryRowContext(ctx, `SELECT `+regCols+` FROM registrations WHERE id = $1`, w.ID))
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "registration.promote", SubjectType: "registration", SubjectID: w.ID}); err != nil {
			return err
		}
		return s.notifyStatus(ctx, tx, reg)
	})
}

func queue(ctx context.Context, q db.Querier, sessionID int64, status string) ([]Registration, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+regCols+` FROM registrations WHERE session_id = $1 AND status = $2 ORDER BY queue_pos, id`, sessionID, status)
	return db.Collect(rows, err, scanReg)
}

func activeRegistrations(ctx context.Context, q db.Querier, sessionID int64) ([]Registration, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+regCols+` FROM registrations WHERE session_id = $1 AND status IN ('confirmed', 'waitlisted', 'applied') ORDER BY queue_pos, id`, sessionID)
	return db.Collect(rows, err, scanReg)
}

// Registration returns one registration, if the actor may see it.
func (s *Service) Registration(ctx context.Context, id int64) (Registration, error) {
	r, err := scanReg(s.db.QueryRow(ctx, `SELECT `+regCols+` FROM registrations WHERE id = $1`, id))
	if err != nil {
		return r, err
	}
	if err := s.mayView(ctx, r); err != nil {
		return r, err
	}
	if a := actor.From(ctx); a.ID != r.UserID {
		// Staff reading someone's registration is reading personal data.
		if err := audit.Record(ctx, s.db.Write(), audit.Entry{Action: "registration.read", SubjectType: "registration", SubjectID: r.ID}); err != nil {
			return r, err
		}
	}
	r.Session, err = s.Session(ctx, r.SessionID)
	return r, err
}

// mayView lets the learner, whoever registered them, centre staff and the
// session's own tutor see a registration; to anyone else it does not exist.
func (s *Service) mayView(ctx context.Context, r Registration) error {
	a := actor.From(ctx)
	switch {
	case a == nil:
		return errs.New(errs.Unauthorized, "error.unauthorized")
	case r.UserID == a.Subject().ID, r.RegisteredBy == a.ID, a.Is(actor.CentreAdmin, actor.Operator):
		return nil
	case a.Role == actor.Tutor:
		var tutor int64
		if err := s.db.QueryRow(ctx, `SELECT COALESCE(tutor_id, 0) FROM class_sessions WHERE id = $1`, r.SessionID).Scan(&tutor); err != nil {
			return err
		}
		if tutor == a.ID {
			return nil
		}
	}
	return errs.New(errs.NotFound, "learn.registration_not_found")
}

// MyRegistrations lists the subject's registrations, upcoming first.
func (s *Service) MyRegistrations(ctx context.Context) ([]Registration, error) {
	a := actor.From(ctx)
	if a == nil {
		return nil, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	rows, err := s.db.Query(ctx, `SELECT `+regCols+` FROM registrations WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200`, a.Subject().ID)
	regs, err := db.Collect(rows, err, scanReg)
	if err != nil {
		return nil, err
	}
	for i := range regs {
		if regs[i].Session, err = s.Session(ctx, regs[i].SessionID); err != nil {
			return nil, err
		}
	}
	return regs, nil
}

// Roster lists a session's registrations with names, for its tutor and for
// staff. Reading names is audited.
type RosterEntry struct {
	Registration
	Name string
}

// Roster returns the session's active and attended registrations in queue order.
func (s *Service) Roster(ctx context.Context, sessionID int64) ([]RosterEntry, error) {
	a := actor.From(ctx)
	sess, err := s.Session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if !a.Is(actor.CentreAdmin, actor.Operator) && !(a.Is(actor.Tutor) && sess.TutorID == a.ID) {
		if a == nil {
			return nil, errs.New(errs.Unauthorized, "error.unauthorized")
		}
		return nil, errs.New(errs.Forbidden, "error.forbidden")
	}
	regs, err := activeRegistrations(ctx, s.db.Read(), sessionID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(regs))
	for i, r := range regs {
		ids[i] = r.UserID
	}
	names, err := s.people.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]RosterEntry, len(regs))
	for i, r := range regs {
		out[i] = RosterEntry{Registration: r, Name: names[r.UserID]}
	}
	return out, audit.Record(ctx, s.db.Write(), audit.Entry{Action: "roster.read", SubjectType: "session", SubjectID: sessionID})
}

// QueueLength is how many registrations wait for a seat or a draw.
func (s *Service) QueueLength(ctx context.Context, sessionID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status IN ('waitlisted', 'applied')`, sessionID).Scan(&n)
	return n, err
}

// MyRegistrationFor returns the subject's active registration for a session.
func (s *Service) MyRegistrationFor(ctx context.Context, sessionID int64) (Registration, error) {
	a := actor.From(ctx)
	if a == nil {
		return Registration{}, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	return scanReg(s.db.QueryRow(ctx, `SELECT `+regCols+` FROM registrations
		WHERE session_id = $1 AND user_id = $2 AND status IN ('confirmed', 'waitlisted', 'applied') ORDER BY id DESC LIMIT 1`, sessionID, a.Subject().ID))
}
