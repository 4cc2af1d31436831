package identity

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Proofing methods.
const (
	ProofInPerson  = "in_person"  // staff saw the person and a document
	ProofPhoneCode = "phone_code" // the person confirmed a code on the registry's phone
)

// DocumentTypes staff may record when they check a person.
var DocumentTypes = []string{"resident_card", "driver_licence", "passport", "mobile_id", "disability_card", "other"}

// ProofValidity is how long a proofing allows issuance: a new phone months
// later needs a new check.
const ProofValidity = 30 * 24 * time.Hour

// Proof is one recorded identity check.
type Proof struct {
	ID           int64
	ResidentID   int64
	Method       string
	DocumentType string
	StaffID      int64
	At           time.Time
}

// RecordInPerson records that a staff member checked the resident in
// person, and with which document.
func (g *Registry) RecordInPerson(ctx context.Context, residentID int64, documentType string) (Proof, error) {
	a, err := actor.Require(ctx, actor.Operator, actor.Guide, actor.CentreAdmin)
	if err != nil {
		return Proof{}, err
	}
	ok := false
	for _, d := range DocumentTypes {
		ok = ok || d == documentType
	}
	if !ok {
		return Proof{}, errs.Field("document_type", "identity.document_invalid")
	}
	return g.record(ctx, Proof{ResidentID: residentID, Method: ProofInPerson, DocumentType: documentType, StaffID: a.ID})
}

// ProofBySignIn proofs a signed-in citizen against the registry: the name
// and birth date they give must match a resident whose registry phone is
// the phone they signed in with, a number whose one-time code they have
// just confirmed. It returns the resident.
func (g *Registry) ProofBySignIn(ctx context.Context, name string, birthDate time.Time) (Resident, error) {
	a, err := actor.Require(ctx, actor.Citizen)
	if err != nil {
		return Resident{}, err
	}
	if a.Phone == "" {
		return Resident{}, errs.New(errs.Conflict, "identity.no_match")
	}
	r, err := scanResident(g.db.QueryRow(ctx, `SELECT `+residentCols+` FROM residents WHERE phone = $1 AND birth_date = $2 ORDER BY id LIMIT 1`,
		a.Phone, birthDate.Format(time.DateOnly)))
	if errs.CodeOf(err) == errs.NotFound || (err == nil && !sameName(r.Name, name)) {
		// One answer for every mismatch, so the check reveals nothing.
		return Resident{}, errs.New(errs.Conflict, "identity.no_match")
	}
	if err != nil {
		return Resident{}, err
	}
	_, err = g.record(ctx, Proof{ResidentID: r.ID, Method: ProofPhoneCode})
	return r, err
}

func sameName(a, b string) bool {
	return strings.Join(strings.Fields(a), "") == strings.Join(strings.Fields(b), "")
}

func (g *Registry) record(ctx context.Context, p Proof) (Proof, error) {
	p.At = db.Time(g.Now())
	var userID sql.NullInt64
	if a := actor.From(ctx); a != nil && a.ID != 0 && p.Method == ProofPhoneCode {
		userID = sql.NullInt64{Int64: a.ID, Valid: true}
	}
	err := g.db.Tx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM residents WHERE id = $1`, p.ResidentID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return errs.New(errs.NotFound, "identity.resident_not_found")
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO proofings (resident_id, method, document_type, staff_id, user_id, channel, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, p.ResidentID, p.Method, p.DocumentType,
			sql.NullInt64{Int64: p.StaffID, Valid: p.StaffID != 0}, userID, actor.ChannelOf(ctx), p.At).Scan(&p.ID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "identity.proof", SubjectType: "resident", SubjectID: p.ResidentID, Detail: p.Method})
	})
	return p, err
}

// LatestProof returns the resident's most recent identity check.
func (g *Registry) LatestProof(ctx context.Context, residentID int64) (Proof, error) {
	var p Proof
	var staff sql.NullInt64
	err := g.db.QueryRow(ctx, `SELECT id, resident_id, method, document_type, staff_id, at FROM proofings WHERE resident_id = $1 ORDER BY at DESC, id DESC LIMIT 1`,
		residentID).Scan(&p.ID, &p.ResidentID, &p.Method, &p.DocumentType, &staff, &p.At)
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.New(errs.Conflict, "identity.not_proofed")
	}
	p.StaffID = staff.Int64
	return p, err
}

// ResidentOf returns the resident a signed-in citizen proved to be, by
// matching the registry with their phone.
func (g *Registry) ResidentOf(ctx context.Context, userID int64) (Resident, error) {
	return scanResident(g.db.QueryRow(ctx, `SELECT `+prefixed("r.", residentCols)+` FROM proofings p JOIN residents r ON r.id = p.resident_id
		WHERE p.user_id = $1 AND p.method = $2 ORDER BY p.at DESC, p.id DESC LIMIT 1`, userID, ProofPhoneCode))
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}
