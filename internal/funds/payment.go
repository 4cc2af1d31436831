package funds

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/ledger"
)

// PaymentRequestLifetime is how long a payment QR may be paid. It is long
// enough that nobody is hurried at the counter.
const PaymentRequestLifetime = time.Hour

// MaxPayment bounds one payment, against a slip of the finger.
const MaxPayment = 10_000_000

// PaymentRequest is what a merchant's payment QR carries.
type PaymentRequest struct {
	ID         string
	MerchantID int64
	Amount     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// Payment is points spent at a merchant.
type Payment struct {
	ID         int64
	RequestID  string
	MerchantID int64
	Merchant   string
	Programme  string // slug
	ResidentID int64
	Amount     int64
	Refunded   int64
	PaidAt     time.Time
	Replayed   bool // Pay answered with a payment an earlier call with the same key made
}

// NewKey returns a fresh idempotency key, for a form to send once.
func NewKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RequestPayment is a merchant's request for amount, shown as a QR code.
func (s *Service) RequestPayment(ctx context.Context, ownerID, merchantID, amount int64) (PaymentRequest, error) {
	m, err := s.OwnedMerchant(ctx, ownerID, merchantID)
	if err != nil {
		return PaymentRequest{}, err
	}
	switch {
	case m.Status != MerchantApproved:
		return PaymentRequest{}, errs.New(errs.Conflict, "funds.merchant_not_approved")
	case amount <= 0 || amount > MaxPayment:
		return PaymentRequest{}, errs.Field("amount", "funds.payment_amount_invalid", won(MaxPayment))
	}
	now := db.Time(s.Now())
	r := PaymentRequest{ID: NewKey(), MerchantID: m.ID, Amount: amount, CreatedAt: now, ExpiresAt: now.Add(PaymentRequestLifetime)}
	_, err = s.db.Exec(ctx, `INSERT INTO payment_requests (id, merchant_id, amount, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		r.ID, r.MerchantID, r.Amount, r.CreatedAt, r.ExpiresAt)
	return r, err
}

// PaymentRequest returns a request and the merchant it is for, and its
// payment if it has been paid.
func (s *Service) PaymentRequest(ctx context.Context, id string) (PaymentRequest, Merchant, *Payment, error) {
	var r PaymentRequest
	err := s.db.QueryRow(ctx, `SELECT id, merchant_id, amount, created_at, expires_at FROM payment_requests WHERE id = $1`, id).
		Scan(&r.ID, &r.MerchantID, &r.Amount, &r.CreatedAt, &r.ExpiresAt)
	if err != nil {
		return r, Merchant{}, nil, db.NotFound(err, "funds.payment_request_not_found")
	}
	m, err := s.Merchant(ctx, r.MerchantID)
	if err != nil {
		return r, m, nil, err
	}
	p, err := scanPayment(s.db.QueryRow(ctx, paymentQuery+` WHERE pay.request_id = $1`, id))
	if errs.CodeOf(err) == errs.NotFound {
		return r, m, nil, nil
	}
	return r, m, &p, err
}

const paymentQuery = `SELECT pay.id, pay.request_id, pay.merchant_id, me.name, p.slug, a.resident_id, pay.amount, pay.refunded, pay.paid_at
	FROM payments pay JOIN merchants me ON me.id = pay.merchant_id JOIN point_accounts a ON a.id = pay.account_id
	JOIN programmes p ON p.id = a.programme_id`

func scanPayment(row db.Scanner) (Payment, error) {
	var p Payment
	err := row.Scan(&p.ID, &p.RequestID, &p.MerchantID, &p.Merchant, &p.Programme, &p.ResidentID, &p.Amount, &p.Refunded, &p.PaidAt)
	return p, db.NotFound(err, "funds.payment_not_found")
}

// Pay spends a resident's points on a payment request, from the account
// that expires soonest among those the merchant's category may take. The
// key makes the call idempotent: repeating it answers with the payment
// already made and moves nothing. In one transaction the balance is taken
// under its row's lock only if it suffices, so no balance goes below zero
// however many payments race.
func (s *Service) Pay(ctx context.Context, residentID int64, requestID, key string) (Payment, error) {
	if err := payingInPerson(ctx); err != nil {
		return Payment{}, err
	}
	if key == "" || len(key) > 100 {
		return Payment{}, errs.New(errs.Invalid, "funds.idempotency_key_missing")
	}
	if err := s.notOwnShop(ctx, residentID, requestID); err != nil {
		return Payment{}, err
	}
	p, err := db.TxValue(ctx, s.db, func(tx *sql.Tx) (Payment, error) {
		return s.payTx(ctx, tx, residentID, requestID, key)
	})
	if db.IsUniqueViolation(err) {
		// Another call with the same key, or for the same request, won.
		if p, err := s.paymentByKey(ctx, residentID, requestID, key); errs.CodeOf(err) != errs.NotFound {
			p.Replayed = true
			return p, err
		}
		return Payment{}, errs.New(errs.Conflict, "funds.request_paid")
	}
	if err == nil && p.ResidentID != residentID {
		return Payment{}, errs.New(errs.Conflict, "funds.idempotency_key_reused")
	}
	return p, err
}

// notOwnShop refuses a payment to a shop whose owner is the paying
// resident (the person, whichever of their accounts owns it): public money
// pays other people's shops. It reads before the payment's transaction
// (a shop's owner does not change), so the transaction holds no second
// connection while it waits for the registry.
func (s *Service) notOwnShop(ctx context.Context, residentID int64, requestID string) error {
	var owner int64
	err := s.db.QueryRow(ctx, `SELECT m.owner_id FROM payment_requests r JOIN merchants m ON m.id = r.merchant_id WHERE r.id = $1`, requestID).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // payTx says the request does not exist
	}
	if err != nil {
		return err
	}
	res, err := s.registry.ResidentOf(ctx, owner)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		return nil
	case err != nil:
		return err
	case res.ID == residentID:
		return errs.New(errs.Forbidden, "funds.own_shop")
	}
	return nil
}

// payingInPerson refuses staff acting for a citizen: nobody pays for
// someone else, on any route. Pay asks it, where every route comes; a route
// asks it first too, so that the refusal says why before any other.
func payingInPerson(ctx context.Context) error {
	if a := actor.From(ctx); a != nil && a.ActingFor != nil {
		return errs.New(errs.Forbidden, "funds.citizen.pay_yourself")
	}
	return nil
}

func (s *Service) paymentByKey(ctx context.Context, residentID int64, requestID, key string) (Payment, error) {
	p, err := scanPayment(s.db.QueryRow(ctx, paymentQuery+` WHERE pay.idempotency_key = $1`, key))
	if err == nil && (p.ResidentID != residentID || p.RequestID != requestID) {
		return Payment{}, errs.New(errs.Conflict, "funds.idempotency_key_reused")
	}
	return p, err
}

// payTx pays inside tx, or answers with the payment a call with the same
// key already made. Every statement is prepared once: this is the path
// every till's every sale takes.
func (s *Service) payTx(ctx context.Context, tx *sql.Tx, residentID int64, requestID, key string) (Payment, error) {
	now := db.Time(s.Now())
	st, err := s.db.TxStmt(ctx, tx, `SELECT r.merchant_id, m.name, r.amount, r.expires_at, m.status, m.category, COALESCE(pay.id, 0),
			COALESCE(pay.idempotency_key, '')
		FROM payment_requests r JOIN merchants m ON m.id = r.merchant_id LEFT JOIN payments pay ON pay.request_id = r.id WHERE r.id = $1`)
	if err != nil {
		return Payment{}, err
	}
	p := Payment{RequestID: requestID, ResidentID: residentID, PaidAt: now}
	var paid int64
	var expires time.Time
	var status, category, paidKey string
	err = st.QueryRowContext(ctx, requestID).Scan(&p.MerchantID, &p.Merchant, &p.Amount, &expires, &status, &category, &paid, &paidKey)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return p, errs.New(errs.NotFound, "funds.payment_request_not_found")
	case err != nil:
		return p, err
	case paid != 0 && paidKey == key:
		// The same call again: its answer, whoever asks (Pay checks).
		again, err := s.db.TxStmt(ctx, tx, paymentQuery+` WHERE pay.id = $1`)
		if err != nil {
			return p, err
		}
		p, err := scanPayment(again.QueryRowContext(ctx, paid))
		p.Replayed = true
		return p, err
	case paid != 0:
		return p, errs.New(errs.Conflict, "funds.request_paid")
	case !now.Before(expires):
		return p, errs.New(errs.Conflict, "funds.payment_request_expired")
	case status != MerchantApproved:
		return p, errs.New(errs.Conflict, "funds.merchant_not_approved")
	}
	choose, err := s.db.TxStmt(ctx, tx, accountsToPayFrom)
	if err != nil {
		return p, err
	}
	rows, err := choose.QueryContext(ctx, residentID)
	account, slug, err := chooseAccount(rows, err, category, p.Amount, now)
	if err != nil {
		return p, err
	}
	p.Programme = slug
	take, err := s.db.TxStmt(ctx, tx, `UPDATE point_accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1 AND expires_at > $3
		RETURNING balance`)
	if err != nil {
		return p, err
	}
	var balance int64
	if err := take.QueryRowContext(ctx, p.Amount, account, now).Scan(&balance); errors.Is(err, sql.ErrNoRows) {
		return p, errs.New(errs.Conflict, "funds.insufficient_points")
	} else if err != nil {
		return p, err
	}
	ins, err := s.db.TxStmt(ctx, tx, `INSERT INTO payments (request_id, idempotency_key, merchant_id, account_id, amount, paid_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`)
	if err != nil {
		return p, err
	}
	if err := ins.QueryRowContext(ctx, requestID, key, p.MerchantID, account, p.Amount, now).Scan(&p.ID); err != nil {
		return p, err
	}
	_, err = s.moveTx(ctx, tx, now, account, Spent, p.Amount, balance, p.ID, "", ledger.Entry{Owner: s.owner(residentID), Programme: slug,
		Merchant: s.merchantName(p.MerchantID)})
	return p, err
}

// accountsToPayFrom are a resident's accounts in the order a payment
// tries them: the soonest to expire first.
const accountsToPayFrom = `SELECT a.id, a.balance, a.expires_at, p.slug, p.categories FROM point_accounts a
	JOIN programmes p ON p.id = a.programme_id WHERE a.resident_id = $1 ORDER BY a.expires_at, a.id`

// chooseAccount picks, from the rows of accountsToPayFrom, the account to
// pay from, or says in words why none will do: no points for this kind of
// shop, points expired, or too few. Pay and Quote both choose with it, so
// what the citizen is shown before paying is what paying does.
func chooseAccount(rows *sql.Rows, err error, category string, amount int64, now time.Time) (int64, string, error) {
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	reason := "funds.no_points_here"
	for rows.Next() {
		var id, balance int64
		var expires time.Time
		var slug, cats string
		if err := rows.Scan(&id, &balance, &expires, &slug, &cats); err != nil {
			return 0, "", err
		}
		var categories []string
		if err := json.Unmarshal([]byte(cats), &categories); err != nil {
			return 0, "", err
		}
		switch {
		case !slices.Contains(categories, category):
		case !now.Before(expires):
			if reason == "funds.no_points_here" {
				reason = "funds.points_expired"
			}
		case balance < amount:
			reason = "funds.insufficient_points"
		default:
			return id, slug, rows.Close()
		}
	}
	if err := rows.Err(); err != nil {
		return 0, "", err
	}
	return 0, "", errs.New(errs.Conflict, reason)
}

// Quote is what paying a request would do, for the page a citizen sees
// before they pay.
type Quote struct {
	Request  PaymentRequest
	Merchant Merchant
	Paid     *Payment // the payment already made for the request, if any
	Account  Account  // the points that would pay, unless Refusal
	Refusal  error    // why Pay would refuse now, in words
}

// Quote answers, without moving anything, whether Pay would pay a request
// for the resident and from which of their points; the payment may still
// be refused later if the balance changes in between.
func (s *Service) Quote(ctx context.Context, residentID int64, requestID string) (Quote, error) {
	r, m, paid, err := s.PaymentRequest(ctx, requestID)
	if err != nil {
		return Quote{}, err
	}
	q := Quote{Request: r, Merchant: m, Paid: paid}
	now := db.Time(s.Now())
	switch {
	case paid != nil:
		q.Refusal = errs.New(errs.Conflict, "funds.request_paid")
	case !now.Before(r.ExpiresAt):
		q.Refusal = errs.New(errs.Conflict, "funds.payment_request_expired")
	case m.Status != MerchantApproved:
		q.Refusal = errs.New(errs.Conflict, "funds.merchant_not_approved")
	default:
		if owner, err := s.registry.ResidentOf(ctx, m.OwnerID); err == nil && owner.ID == residentID {
			q.Refusal = errs.New(errs.Forbidden, "funds.own_shop")
		}
	}
	if q.Refusal != nil {
		return q, nil
	}
	rows, err := s.db.Query(ctx, accountsToPayFrom, residentID)
	id, _, err := chooseAccount(rows, err, m.Category, r.Amount, now)
	if _, ok := errs.As(err); ok {
		q.Refusal = err
		return q, nil
	}
	if err != nil {
		return q, err
	}
	accounts, err := s.Accounts(ctx, residentID)
	for _, a := range accounts {
		if a.ID == id {
			q.Account = a
		}
	}
	return q, err
}

// Refund gives back part or all of a payment to the points it came from.
// The key makes it idempotent; the refunds of a payment never exceed it.
func (s *Service) Refund(ctx context.Context, ownerID, merchantID, paymentID, amount int64, key string) (Payment, error) {
	if _, err := s.OwnedMerchant(ctx, ownerID, merchantID); err != nil {
		return Payment{}, err
	}
	if key == "" || len(key) > 100 {
		return Payment{}, errs.New(errs.Invalid, "funds.idempotency_key_missing")
	}
	if amount <= 0 {
		return Payment{}, errs.Field("amount", "funds.refund_amount_invalid")
	}
	done := func(q db.Querier) (bool, error) {
		var pay int64
		err := q.QueryRowContext(ctx, `SELECT payment_id FROM point_movements WHERE idempotency_key = $1`, "refund:"+key).Scan(&pay)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err == nil && pay != paymentID {
			err = errs.New(errs.Conflict, "funds.idempotency_key_reused")
		}
		return err == nil, err
	}
	if ok, err := done(s.db.Write()); ok || err != nil {
		return s.payment(ctx, merchantID, paymentID, err)
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var account, residentID, balance int64
		var slug string
		err := tx.QueryRowContext(ctx, `UPDATE payments SET refunded = refunded + $1 WHERE id = $2 AND merchant_id = $3 AND refunded + $1 <= amount
			RETURNING account_id`, amount, paymentID, merchantID).Scan(&account)
		if errors.Is(err, sql.ErrNoRows) {
			var exists bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM payments WHERE id = $1 AND merchant_id = $2)`,
				paymentID, merchantID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return errs.New(errs.NotFound, "funds.payment_not_found")
			}
			return errs.Field("amount", "funds.refund_too_much")
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `UPDATE point_accounts SET balance = balance + $1 WHERE id = $2 RETURNING balance, resident_id,
				(SELECT slug FROM programmes WHERE id = point_accounts.programme_id)`, amount, account).Scan(&balance, &residentID, &slug); err != nil {
			return err
		}
		_, err = s.moveTx(ctx, tx, s.Now(), account, Refunded, amount, balance, paymentID, "refund:"+key, ledger.Entry{Owner: s.owner(residentID),
			Programme: slug, Merchant: s.merchantName(merchantID)})
		return err
	})
	if db.IsUniqueViolation(err) {
		_, err = done(s.db.Write())
	}
	return s.payment(ctx, merchantID, paymentID, err)
}

func (s *Service) payment(ctx context.Context, merchantID, id int64, err error) (Payment, error) {
	if err != nil {
		return Payment{}, err
	}
	p, err := scanPayment(s.db.Write().QueryRowContext(ctx, paymentQuery+` WHERE pay.id = $1`, id))
	if err == nil && p.MerchantID != merchantID {
		return Payment{}, errs.New(errs.NotFound, "funds.payment_not_found")
	}
	return p, err
}

// Payments are a merchant's payments from day's start to its end (UTC
// dates as the settlement uses them), newest first.
func (s *Service) Payments(ctx context.Context, merchantID int64, from, to time.Time) ([]Payment, error) {
	rows, err := s.db.Query(ctx, paymentQuery+` WHERE pay.merchant_id = $1 AND pay.paid_at >= $2 AND pay.paid_at < $3 ORDER BY pay.id DESC`,
		merchantID, db.Time(from), db.Time(to))
	return db.Collect(rows, err, scanPayment)
}
