package funds

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Statuses of a merchant.
const (
	MerchantPending  = "pending"
	MerchantApproved = "approved"
	MerchantRefused  = "refused"
)

// Merchant is a business where points may be spent: an academy, a
// bookshop, a theatre.
type Merchant struct {
	ID             int64
	BusinessNumber string // the ten digits of the business registration number
	Name           string
	Category       string
	District       string
	OwnerID        int64 // the account that runs its till
	Status         string
	DecisionNote   string
	CreatedAt      time.Time
}

// Formatted is the business number as printed on a registration
// certificate: 123-45-67890.
func (m Merchant) Formatted() string {
	n := m.BusinessNumber
	if len(n) != 10 {
		return n
	}
	return n[:3] + "-" + n[3:5] + "-" + n[5:]
}

// ParseBusinessNumber reads a Korean business registration number as
// people type it and checks its check digit, so that a typing mistake is
// caught at once rather than at the bank.
func ParseBusinessNumber(s string) (string, error) {
	n := strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s))
	if len(n) != 10 || strings.Trim(n, "0123456789") != "" {
		return "", errs.Field("business_number", "funds.business_number_invalid")
	}
	if checkDigit(n[:9]) != n[9] {
		return "", errs.Field("business_number", "funds.business_number_invalid")
	}
	return n, nil
}

// checkDigit is the tenth digit of a business number that begins with
// the nine digits of first.
func checkDigit(first string) byte {
	sum := 0
	for i, w := range []int{1, 3, 7, 1, 3, 7, 1, 3, 5} {
		sum += int(first[i]-'0') * w
	}
	sum += int(first[8]-'0') * 5 / 10
	return byte('0' + (10-sum%10)%10)
}

const merchantCols = `id, business_number, name, category, district, owner_id, status, decision_note, created_at`

func scanMerchant(row db.Scanner) (Merchant, error) {
	var m Merchant
	err := row.Scan(&m.ID, &m.BusinessNumber, &m.Name, &m.Category, &m.District, &m.OwnerID, &m.Status, &m.DecisionNote, &m.CreatedAt)
	return m, db.NotFound(err, "funds.merchant_not_found")
}

// RegisterMerchant records a business's request to accept points; staff
// approve it before it may take a payment.
func (s *Service) RegisterMerchant(ctx context.Context, ownerID int64, m Merchant) (Merchant, error) {
	var err error
	if m.BusinessNumber, err = ParseBusinessNumber(m.BusinessNumber); err != nil {
		return m, err
	}
	m.Name = strings.TrimSpace(m.Name)
	switch {
	case m.Name == "":
		return m, errs.Field("name", "funds.merchant_name_missing")
	case !slices.Contains(Categories, m.Category):
		return m, errs.Field("category", "funds.categories_invalid")
	case m.District == "":
		return m, errs.Field("district", "funds.district_missing")
	}
	m.OwnerID, m.Status, m.CreatedAt = ownerID, MerchantPending, db.Time(s.Now())
	err = s.db.QueryRow(ctx, `INSERT INTO merchants (business_number, name, category, district, owner_id, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, m.BusinessNumber, m.Name, m.Category, m.District, m.OwnerID, m.Status, m.CreatedAt).Scan(&m.ID)
	if db.IsUniqueViolation(err) {
		return m, errs.Field("business_number", "funds.business_number_taken")
	}
	return m, err
}

// DecideMerchant approves or refuses a merchant, with a note the owner
// sees. A refused merchant may be approved later, and the reverse stops
// its till.
func (s *Service) DecideMerchant(ctx context.Context, id, staffID int64, approve bool, note string) error {
	status := MerchantRefused
	if approve {
		status = MerchantApproved
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE merchants SET status = $1, decision_note = $2, decided_at = $3, decided_by = $4 WHERE id = $5`,
			status, strings.TrimSpace(note), db.Time(s.Now()), staffID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "funds.merchant_not_found")
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "merchant." + status, SubjectType: "merchant", SubjectID: id})
	})
}

// Merchant returns one merchant.
func (s *Service) Merchant(ctx context.Context, id int64) (Merchant, error) {
	return scanMerchant(s.db.QueryRow(ctx, `SELECT `+merchantCols+` FROM merchants WHERE id = $1`, id))
}

// MerchantsOf are the merchants an account runs.
func (s *Service) MerchantsOf(ctx context.Context, ownerID int64) ([]Merchant, error) {
	rows, err := s.db.Query(ctx, `SELECT `+merchantCols+` FROM merchants WHERE owner_id = $1 ORDER BY id`, ownerID)
	return db.Collect(rows, err, scanMerchant)
}

// OwnedMerchant is merchant id if the account runs it; someone else's is
// not found.
func (s *Service) OwnedMerchant(ctx context.Context, ownerID, id int64) (Merchant, error) {
	m, err := s.Merchant(ctx, id)
	if err == nil && m.OwnerID != ownerID {
		return Merchant{}, errs.New(errs.NotFound, "funds.merchant_not_found")
	}
	return m, err
}

// Merchants lists merchants in a status ("" for all), oldest first.
func (s *Service) Merchants(ctx context.Context, status string) ([]Merchant, error) {
	rows, err := s.db.Query(ctx, `SELECT `+merchantCols+` FROM merchants WHERE $1 = '' OR status = $1 ORDER BY created_at, id`, status)
	return db.Collect(rows, err, scanMerchant)
}
