package learn

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/notify"
)

// Mobile classes: a senior or welfare centre asks for a class at its own
// site; a centre admin schedules it (a venue of kind "mobile" and a session
// sized for the centre's learners) or declines it with a reason. A request
// is decided once.

// CentreKinds are the kinds of centre that may ask for a mobile class.
var CentreKinds = []string{"senior", "welfare"}

// Mobile-class request statuses.
const (
	MobileRequested = "requested"
	MobileScheduled = "scheduled"
	MobileDeclined  = "declined"
)

// MobileStatuses in the order the queue offers them as filters.
var MobileStatuses = []string{MobileRequested, MobileScheduled, MobileDeclined}

// MobileRequest is a centre's request for a class at its own site.
type MobileRequest struct {
	ID             int64
	CentreName     string
	CentreKind     string // senior or welfare
	District       string // KOSTAT code, see city.Districts
	Address        string
	ContactName    string
	ContactPhone   string // E.164
	Theme          string
	PreferredDates string // free text: "Tuesday mornings in April"
	Learners       int
	Notes          string
	Status         string
	DeclineReason  string
	SessionID      int64 // set once scheduled
	RequestedBy    int64
	DecidedBy      int64
	CreatedAt      time.Time
	DecidedAt      time.Time
}

// Decided reports whether the request has been scheduled or declined.
func (m MobileRequest) Decided() bool { return m.Status != MobileRequested }

const mobileCols = `id, centre_name, centre_kind, district, address, contact_name, contact_phone, theme, preferred_dates, learners, notes,
	status, decline_reason, COALESCE(session_id, 0), COALESCE(requested_by, 0), COALESCE(decided_by, 0), created_at, decided_at`

func scanMobile(row interface{ Scan(...any) error }) (MobileRequest, error) {
	var m MobileRequest
	var decided sql.NullTime
	err := row.Scan(&m.ID, &m.CentreName, &m.CentreKind, &m.District, &m.Address, &m.ContactName, &m.ContactPhone, &m.Theme,
		&m.PreferredDates, &m.Learners, &m.Notes, &m.Status, &m.DeclineReason, &m.SessionID, &m.RequestedBy, &m.DecidedBy, &m.CreatedAt, &decided)
	if errors.Is(err, sql.ErrNoRows) {
		return m, errs.New(errs.NotFound, "mobile.not_found")
	}
	m.DecidedAt = decided.Time
	return m, err
}

func (m *MobileRequest) validate() error {
	for _, p := range []*string{&m.CentreName, &m.Address, &m.ContactName, &m.ContactPhone, &m.PreferredDates, &m.Notes} {
		*p = strings.TrimSpace(*p)
	}
	runes := utf8.RuneCountInString
	switch {
	case m.CentreName == "" || runes(m.CentreName) > 100:
		return errs.Field("centre_name", "mobile.centre_name_invalid")
	case !oneOf(m.CentreKind, CentreKinds):
		return errs.Field("centre_kind", "mobile.centre_kind_invalid")
	}
	if _, ok := city.DistrictByCode(m.District); !ok {
		return errs.Field("district", "mobile.district_invalid")
	}
	switch {
	case m.Address == "" || runes(m.Address) > 200:
		return errs.Field("address", "mobile.address_invalid")
	case m.ContactName == "" || runes(m.ContactName) > 60:
		return errs.Field("contact_name", "mobile.contact_name_invalid")
	}
	phone, err := auth.NormalizeContactPhone(m.ContactPhone)
	if err != nil {
		return errs.Field("contact_phone", "mobile.contact_phone_invalid")
	}
	m.ContactPhone = phone
	switch {
	case !oneOf(m.Theme, Themes):
		return errs.Field("theme", "mobile.theme_invalid")
	case m.PreferredDates == "" || runes(m.PreferredDates) > 300:
		return errs.Field("preferred_dates", "mobile.preferred_dates_invalid")
	case m.Learners < 1 || m.Learners > 100:
		return errs.Field("learners", "mobile.learners_invalid")
	case runes(m.Notes) > 1000:
		return errs.Field("notes", "mobile.notes_too_long")
	}
	return nil
}

// RequestMobileClass records a centre's request. Any signed-in user may ask;
// the request is theirs (the citizen's, when an operator acts for one), and
// they are told of the decision.
func (s *Service) RequestMobileClass(ctx context.Context, m MobileRequest) (MobileRequest, error) {
	a := actor.From(ctx)
	if a == nil {
		return m, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	if err := m.validate(); err != nil {
		return m, err
	}
	m.Status, m.DeclineReason, m.SessionID, m.DecidedBy, m.DecidedAt = MobileRequested, "", 0, 0, time.Time{}
	m.RequestedBy = a.Subject().ID
	m.CreatedAt = db.Time(s.Now())
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO mobile_requests (centre_name, centre_kind, district, address, contact_name, contact_phone,
				theme, preferred_dates, learners, notes, status, requested_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			m.CentreName, m.CentreKind, m.District, m.Address, m.ContactName, m.ContactPhone, m.Theme, m.PreferredDates, m.Learners, m.Notes,
			m.Status, m.RequestedBy, m.CreatedAt).Scan(&m.ID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "mobile_request.create", SubjectType: "mobile_request", SubjectID: m.ID})
	})
	return m, err
}

// MyMobileRequests lists the requests the subject made, newest first.
func (s *Service) MyMobileRequests(ctx context.Context) ([]MobileRequest, error) {
	a := actor.From(ctx)
	if a == nil {
		return nil, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	return s.listMobile(ctx, `SELECT `+mobileCols+` FROM mobile_requests WHERE requested_by = $1 ORDER BY created_at DESC, id DESC LIMIT 200`, a.Subject().ID)
}

// MobileRequests lists requests with status ("" for all) for centre admins,
// oldest waiting first. Reading the contacts is audited.
func (s *Service) MobileRequests(ctx context.Context, status string) ([]MobileRequest, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return nil, err
	}
	if status != "" && !oneOf(status, MobileStatuses) {
		status = ""
	}
	out, err := s.listMobile(ctx, `SELECT `+mobileCols+` FROM mobile_requests WHERE ($1 = '' OR status = $1)
		ORDER BY CASE WHEN status = 'requested' THEN 0 ELSE 1 END, created_at, id LIMIT 500`, status)
	if err != nil {
		return nil, err
	}
	return out, audit.Record(ctx, s.db.Write(), audit.Entry{Action: "mobile_request.list", SubjectType: "mobile_request", Detail: status})
}

func (s *Service) listMobile(ctx context.Context, q string, args ...any) ([]MobileRequest, error) {
	rows, err := s.db.Query(ctx, q, args...)
	return db.Collect(rows, err, scanMobile)
}

// MobileRequest returns one request to a centre admin or to its requester.
func (s *Service) MobileRequest(ctx context.Context, id int64) (MobileRequest, error) {
	a := actor.From(ctx)
	if a == nil {
		return MobileRequest{}, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	m, err := scanMobile(s.db.QueryRow(ctx, `SELECT `+mobileCols+` FROM mobile_requests WHERE id = $1`, id))
	if err != nil {
		return m, err
	}
	if !a.Is(actor.CentreAdmin) {
		if m.RequestedBy != a.Subject().ID {
			return MobileRequest{}, errs.New(errs.NotFound, "mobile.not_found")
		}
		return m, nil
	}
	return m, audit.Record(ctx, s.db.Write(), audit.Entry{Action: "mobile_request.read", SubjectType: "mobile_request", SubjectID: id})
}

// MobileSchedule is a centre admin's decision to hold a requested class.
type MobileSchedule struct {
	CourseID      int64
	StartsAt      time.Time
	EndsAt        time.Time
	TutorUsername string // optional
}

// lockMobile takes the request's row lock and reads it, so that two admins
// deciding at once are serialized and the second sees the first's decision.
func lockMobile(ctx context.Context, tx *sql.Tx, id int64) (MobileRequest, error) {
	return scanMobile(tx.QueryRowContext(ctx, `UPDATE mobile_requests SET status = status WHERE id = $1 RETURNING `+mobileCols, id))
}

// MobileSlug is the slug of the venue, and the code of the session, that
// scheduling request id creates.
func MobileSlug(id int64) string { return "mobile-" + strconv.FormatInt(id, 10) }

// ScheduleMobileClass holds a requested class: it creates a venue of kind
// "mobile" at the centre and a session of a course of the requested theme
// there, with a seat for each of the centre's learners, and tells the
// requester. All of it happens in one transaction, or none of it.
func (s *Service) ScheduleMobileClass(ctx context.Context, id int64, in MobileSchedule) (MobileRequest, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return MobileRequest{}, err
	}
	a := actor.From(ctx)
	if in.CourseID == 0 {
		return MobileRequest{}, errs.Field("course", "mobile.course_required")
	}
	if !in.StartsAt.IsZero() && !in.StartsAt.After(s.Now()) {
		return MobileRequest{}, errs.Field("date", "mobile.date_past")
	}
	tutorID, err := s.tutorByUsername(ctx, in.TutorUsername)
	if err != nil {
		if e, ok := errs.As(err); ok {
			e.Field = "tutor"
		}
		return MobileRequest{}, err
	}
	var m MobileRequest
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = lockMobile(ctx, tx, id); err != nil {
			return err
		}
		if m.Decided() {
			return errs.New(errs.Conflict, "mobile.already_decided")
		}
		course, err := scanCourse(tx.QueryRowContext(ctx, `SELECT `+courseCols+` FROM courses WHERE id = $1`, in.CourseID))
		if err != nil {
			return errs.Field("course", "mobile.course_required")
		}
		if course.Theme != m.Theme {
			return errs.Field("course", "mobile.course_wrong_theme")
		}
		n := NewSession{Code: MobileSlug(m.ID), CourseID: course.ID, TutorID: tutorID, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
			Capacity: m.Learners, Allocation: FirstCome}
		if err := n.validate(); err != nil {
			e, _ := errs.As(err)
			switch e.Field {
			case "starts_at":
				e.Field = "date"
			case "ends_at":
				e.Field = "end"
			}
			return e
		}
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM class_sessions WHERE code = $1`, n.Code).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return errs.New(errs.Conflict, "mobile.code_taken", n.Code)
		}
		v := Venue{Slug: MobileSlug(m.ID), Kind: "mobile", District: m.District, NameKo: m.CentreName, NameEn: m.CentreName,
			AddressKo: m.Address, AddressEn: m.Address}
		if err := v.validate(); err != nil {
			return err
		}
		if v, err = saveVenue(ctx, tx, v); err != nil {
			return err
		}
		n.VenueID = v.ID
		sessionID, err := scheduleSession(ctx, tx, n)
		if err != nil {
			return err
		}
		m.Status, m.SessionID, m.DecidedBy, m.DecidedAt = MobileScheduled, sessionID, a.ID, db.Time(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE mobile_requests SET status = $1, session_id = $2, decided_by = $3, decided_at = $4 WHERE id = $5`,
			m.Status, m.SessionID, m.DecidedBy, m.DecidedAt, m.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "mobile_request.schedule", SubjectType: "mobile_request", SubjectID: m.ID,
			Detail: "session " + strconv.FormatInt(sessionID, 10)}); err != nil {
			return err
		}
		if m.RequestedBy == 0 {
			return nil
		}
		return s.notify.Enqueue(ctx, tx, notify.Message{UserID: m.RequestedBy, Kind: "mobile_class", Subject: "mobile.msg_subject",
			Body: "mobile.msg_scheduled", Args: []any{m.CentreName, sessionLabel{ko: course.TitleKo, en: course.TitleEn, at: n.StartsAt}}})
	})
	return m, err
}

// DeclineMobileClass declines a request with a reason the requester is told.
func (s *Service) DeclineMobileClass(ctx context.Context, id int64, reason string) (MobileRequest, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return MobileRequest{}, err
	}
	a := actor.From(ctx)
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return MobileRequest{}, errs.Field("reason", "mobile.reason_required")
	}
	var m MobileRequest
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = lockMobile(ctx, tx, id); err != nil {
			return err
		}
		if m.Decided() {
			return errs.New(errs.Conflict, "mobile.already_decided")
		}
		m.Status, m.DeclineReason, m.DecidedBy, m.DecidedAt = MobileDeclined, reason, a.ID, db.Time(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE mobile_requests SET status = $1, decline_reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5`,
			m.Status, m.DeclineReason, m.DecidedBy, m.DecidedAt, m.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "mobile_request.decline", SubjectType: "mobile_request", SubjectID: m.ID}); err != nil {
			return err
		}
		if m.RequestedBy == 0 {
			return nil
		}
		return s.notify.Enqueue(ctx, tx, notify.Message{UserID: m.RequestedBy, Kind: "mobile_class", Subject: "mobile.msg_subject",
			Body: "mobile.msg_declined", Args: []any{m.CentreName, m.DeclineReason}})
	})
	return m, err
}

// tutorByUsername returns the id of the tutor with username, 0 for none.
func (s *Service) tutorByUsername(ctx context.Context, username string) (int64, error) {
	username = strings.TrimSpace(username)
	if username == "" {
		return 0, nil
	}
	u, err := s.people.ByUsername(ctx, username)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		return 0, errs.New(errs.Invalid, "import.tutor_unknown", username)
	case err != nil:
		return 0, err
	case u.Role != actor.Tutor:
		return 0, errs.New(errs.Invalid, "import.tutor_not_tutor", username)
	}
	return u.ID, nil
}
