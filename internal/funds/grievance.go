package funds

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Sides of a grievance: who filed it, who wrote a message, who reads it.
const (
	SideCitizen  = "citizen"
	SideMerchant = "merchant"
	SideStaff    = "staff"
)

// Statuses of a grievance.
const (
	GrievanceOpen   = "open"
	GrievanceClosed = "closed"
)

// Side is who files, reads or answers a grievance: a citizen as the
// resident they proved to be, a merchant as the account that runs it, or
// staff.
type Side struct {
	Kind     string
	UserID   int64
	Resident int64
	Merchant int64
}

// AsCitizen is a signed-in citizen, userID, who proved to be residentID.
func AsCitizen(userID, residentID int64) Side {
	return Side{Kind: SideCitizen, UserID: userID, Resident: residentID}
}

// AsMerchant is merchantID as the account ownerID that runs it.
func AsMerchant(ownerID, merchantID int64) Side {
	return Side{Kind: SideMerchant, UserID: ownerID, Merchant: merchantID}
}

// AsStaff is a member of the funds staff.
func AsStaff(userID int64) Side { return Side{Kind: SideStaff, UserID: userID} }

// Grievance is a complaint about one decision or one payment, and what was
// said about it since.
type Grievance struct {
	ID            int64
	ApplicationID int64 // the decision it is about, or
	PaymentID     int64 // the payment
	ResidentID    int64
	MerchantID    int64
	FiledBy       string // a side
	Status        string
	CreatedAt     time.Time
	ClosedAt      time.Time
	// What it is about, for the pages.
	ProgrammeKo string
	ProgrammeEn string
	Merchant    string
	Amount      int64
	Messages    []GrievanceMessage
}

// GrievanceMessage is one message of a grievance's history.
type GrievanceMessage struct {
	Side string
	Body string
	At   time.Time
}

// Who is the catalogue key naming the message's writer to a reader on
// side viewer: "you" for their own side.
func (m GrievanceMessage) Who(viewer string) string {
	if m.Side == viewer && viewer != SideStaff {
		return "grievance.who.you"
	}
	return "grievance.who." + m.Side
}

const grievanceQuery = `SELECT g.id, COALESCE(g.application_id, 0), COALESCE(g.payment_id, 0), g.resident_id, COALESCE(g.merchant_id, 0),
		g.filed_by, g.status, g.created_at, g.closed_at, COALESCE(pa.name_ko, pp.name_ko, ''), COALESCE(pa.name_en, pp.name_en, ''),
		COALESCE(me.name, ''), COALESCE(pay.amount, a.amount, 0)
	FROM grievances g
	LEFT JOIN applications a ON a.id = g.application_id LEFT JOIN programmes pa ON pa.id = a.programme_id
	LEFT JOIN payments pay ON pay.id = g.payment_id LEFT JOIN point_accounts acc ON acc.id = pay.account_id
	LEFT JOIN programmes pp ON pp.id = acc.programme_id LEFT JOIN merchants me ON me.id = g.merchant_id`

func scanGrievance(row db.Scanner) (Grievance, error) {
	var g Grievance
	var closed sql.NullTime
	err := row.Scan(&g.ID, &g.ApplicationID, &g.PaymentID, &g.ResidentID, &g.MerchantID, &g.FiledBy, &g.Status, &g.CreatedAt, &closed,
		&g.ProgrammeKo, &g.ProgrammeEn, &g.Merchant, &g.Amount)
	g.ClosedAt = closed.Time
	return g, db.NotFound(err, "grievance.not_found")
}

// check refuses a merchant side whose account does not run the merchant.
func (s *Service) check(ctx context.Context, as Side) error {
	switch as.Kind {
	case SideCitizen, SideStaff:
		return nil
	case SideMerchant:
		_, err := s.OwnedMerchant(ctx, as.UserID, as.Merchant)
		return err
	}
	return errs.New(errs.Forbidden, "error.forbidden")
}

// sees reports whether side as may see g: its citizen, the merchant of its
// payment, and staff.
func (g Grievance) sees(as Side) bool {
	switch as.Kind {
	case SideStaff:
		return true
	case SideCitizen:
		return g.ResidentID == as.Resident
	case SideMerchant:
		return g.MerchantID != 0 && g.MerchantID == as.Merchant
	}
	return false
}

// FileGrievance records a complaint about exactly one of an application
// (a citizen's own decision) or a payment (the citizen's, or the
// merchant's), with its first message. Someone else's decision or payment
// is not found.
func (s *Service) FileGrievance(ctx context.Context, by Side, applicationID, paymentID int64, body string) (Grievance, error) {
	body, err := text("text", body)
	if err != nil {
		return Grievance{}, err
	}
	if (applicationID == 0) == (paymentID == 0) {
		return Grievance{}, errs.Field("about", "grievance.about_missing")
	}
	if err := s.check(ctx, by); err != nil {
		return Grievance{}, err
	}
	g := Grievance{ApplicationID: applicationID, PaymentID: paymentID, FiledBy: by.Kind, Status: GrievanceOpen}
	switch {
	case by.Kind == SideStaff:
		return Grievance{}, errs.New(errs.Forbidden, "error.forbidden")
	case applicationID != 0:
		a, err := s.Application(ctx, applicationID)
		if err != nil || by.Kind != SideCitizen || a.ResidentID != by.Resident {
			return Grievance{}, errs.New(errs.NotFound, "funds.application_not_found")
		}
		g.ResidentID = a.ResidentID
	default:
		p, err := scanPayment(s.db.QueryRow(ctx, paymentQuery+` WHERE pay.id = $1`, paymentID))
		if err != nil || (by.Kind == SideCitizen && p.ResidentID != by.Resident) || (by.Kind == SideMerchant && p.MerchantID != by.Merchant) {
			return Grievance{}, errs.New(errs.NotFound, "funds.payment_not_found")
		}
		g.ResidentID, g.MerchantID = p.ResidentID, p.MerchantID
	}
	now := db.Time(s.Now())
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO grievances (application_id, payment_id, resident_id, merchant_id, filed_by, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, nullID(applicationID), nullID(paymentID), g.ResidentID, nullID(g.MerchantID),
			g.FiledBy, g.Status, now).Scan(&g.ID); err != nil {
			return err
		}
		return addMessage(ctx, tx, g.ID, by, body, now)
	})
	if err != nil {
		return Grievance{}, err
	}
	return s.Grievance(ctx, by, g.ID)
}

func addMessage(ctx context.Context, tx *sql.Tx, id int64, by Side, body string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO grievance_messages (grievance_id, side, author_id, body, at) VALUES ($1, $2, $3, $4, $5)`,
		id, by.Kind, nullID(by.UserID), body, at)
	return err
}

// Grievance returns a grievance with its whole history, oldest message
// first, if side as may see it; staff reading it is audited, for it tells
// of a citizen's affairs.
func (s *Service) Grievance(ctx context.Context, as Side, id int64) (Grievance, error) {
	g, err := s.visibleGrievance(ctx, as, id)
	if err != nil {
		return g, err
	}
	if as.Kind == SideStaff {
		if err := audit.Record(ctx, s.db.Write(), audit.Entry{Action: "grievance.read", SubjectType: "resident", SubjectID: g.ResidentID,
			Detail: "grievance=" + strconv.FormatInt(id, 10)}); err != nil {
			return g, err
		}
	}
	rows, err := s.db.Query(ctx, `SELECT side, body, at FROM grievance_messages WHERE grievance_id = $1 ORDER BY id`, id)
	g.Messages, err = db.Collect(rows, err, func(row db.Scanner) (GrievanceMessage, error) {
		var m GrievanceMessage
		err := row.Scan(&m.Side, &m.Body, &m.At)
		return m, err
	})
	return g, err
}

func (s *Service) visibleGrievance(ctx context.Context, as Side, id int64) (Grievance, error) {
	if err := s.check(ctx, as); err != nil {
		return Grievance{}, err
	}
	g, err := scanGrievance(s.db.QueryRow(ctx, grievanceQuery+` WHERE g.id = $1`, id))
	if err == nil && !g.sees(as) {
		return Grievance{}, errs.New(errs.NotFound, "grievance.not_found")
	}
	return g, err
}

// Grievances are those a citizen or a merchant may see, newest first.
func (s *Service) Grievances(ctx context.Context, as Side) ([]Grievance, error) {
	if err := s.check(ctx, as); err != nil {
		return nil, err
	}
	var rows *sql.Rows
	var err error
	switch as.Kind {
	case SideCitizen:
		rows, err = s.db.Query(ctx, grievanceQuery+` WHERE g.resident_id = $1 ORDER BY g.id DESC`, as.Resident)
	case SideMerchant:
		rows, err = s.db.Query(ctx, grievanceQuery+` WHERE g.merchant_id = $1 ORDER BY g.id DESC`, as.Merchant)
	default:
		return s.OpenGrievances(ctx)
	}
	return db.Collect(rows, err, scanGrievance)
}

// OpenGrievances are the grievances staff have still to answer and close,
// oldest first.
func (s *Service) OpenGrievances(ctx context.Context) ([]Grievance, error) {
	rows, err := s.db.Query(ctx, grievanceQuery+` WHERE g.status = $1 ORDER BY g.created_at, g.id`, GrievanceOpen)
	return db.Collect(rows, err, scanGrievance)
}

// AnswerGrievance adds a message to an open grievance from any side that
// may see it: staff answer, the citizen or the merchant say more.
func (s *Service) AnswerGrievance(ctx context.Context, as Side, id int64, body string) (Grievance, error) {
	body, err := text("text", body)
	if err != nil {
		return Grievance{}, err
	}
	g, err := s.visibleGrievance(ctx, as, id)
	if err != nil {
		return g, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		// The row is taken first, so a message never lands after the close.
		var status string
		if err := tx.QueryRowContext(ctx, `UPDATE grievances SET status = status WHERE id = $1 RETURNING status`, id).Scan(&status); err != nil {
			return err
		}
		if status != GrievanceOpen {
			return errs.New(errs.Conflict, "grievance.closed")
		}
		return addMessage(ctx, tx, id, as, body, db.Time(s.Now()))
	})
	if err != nil {
		return g, err
	}
	return s.Grievance(ctx, as, id)
}

// CloseGrievance ends a grievance; only staff may.
func (s *Service) CloseGrievance(ctx context.Context, as Side, id int64) error {
	if as.Kind != SideStaff {
		return errs.New(errs.Forbidden, "error.forbidden")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var resident int64
		err := tx.QueryRowContext(ctx, `UPDATE grievances SET status = $1, closed_at = $2, closed_by = $3 WHERE id = $4 AND status = $5
			RETURNING resident_id`, GrievanceClosed, db.Time(s.Now()), nullID(as.UserID), id, GrievanceOpen).Scan(&resident)
		if errors.Is(err, sql.ErrNoRows) {
			var exists bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM grievances WHERE id = $1)`, id).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return errs.New(errs.NotFound, "grievance.not_found")
			}
			return errs.New(errs.Conflict, "grievance.closed")
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "grievance.closed", SubjectType: "resident", SubjectID: resident,
			Detail: "grievance=" + strconv.FormatInt(id, 10)})
	})
}
