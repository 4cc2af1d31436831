package funds

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/ledger"
)

// Kinds of point movements, each recorded by the ledger entry of the same
// meaning.
const (
	Credited = "credited"
	Spent    = "spent"
	Refunded = "refunded"
	Expired  = "expired"
)

var movementEntry = map[string]string{
	Credited: ledger.PointsCredited, Spent: ledger.PointsSpent, Refunded: ledger.PointsRefunded, Expired: ledger.PointsExpired,
}

// Account is a citizen's points of one programme.
type Account struct {
	ID        int64
	Programme Programme
	Balance   int64
	ExpiresAt time.Time
}

// Usable reports whether the points may still be spent at t.
func (a Account) Usable(t time.Time) bool { return t.Before(a.ExpiresAt) }

// Movement is one change of a balance.
type Movement struct {
	ID           int64
	Programme    string // slug
	Kind         string
	Amount       int64
	BalanceAfter int64
	Merchant     string // the merchant's name, for a payment or a refund
	PaymentID    int64
	At           time.Time
}

// creditTx adds points to a resident's account of programme p, opening
// the account if needed, with the ledger entry and the movement.
func (s *Service) creditTx(ctx context.Context, tx *sql.Tx, residentID int64, p Programme, amount int64) (int64, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO point_accounts (resident_id, programme_id, balance, expires_at) VALUES ($1, $2, 0, $3)
		ON CONFLICT (resident_id, programme_id) DO NOTHING`, residentID, p.ID, db.Time(p.PointsExpire)); err != nil {
		return 0, err
	}
	var account, balance int64
	if err := tx.QueryRowContext(ctx, `UPDATE point_accounts SET balance = balance + $1 WHERE resident_id = $2 AND programme_id = $3
		RETURNING id, balance`, amount, residentID, p.ID).Scan(&account, &balance); err != nil {
		return 0, err
	}
	return s.moveTx(ctx, tx, s.Now(), account, Credited, amount, balance, 0, "", ledger.Entry{Owner: s.owner(residentID), Programme: p.Slug})
}

// moveTx records a movement of an account at now and its ledger entry
// (whose kind, amount and time it fills in): the movement and the payment
// it belongs to fall on the same second, and the ledger's entry on its
// hour, so a day's settlement counts them on the same day. The entry names
// the resident as its Owner, which the ledger seals into a commitment of
// its own: no other entry of theirs can be told from it.
func (s *Service) moveTx(ctx context.Context, tx *sql.Tx, now time.Time, account int64, kind string, amount, balance, payment int64, key string, e ledger.Entry) (int64, error) {
	now = db.Time(now)
	e.Kind, e.Amount, e.At = movementEntry[kind], amount, now.Unix()
	seqs, err := s.ledger.AppendTx(ctx, tx, e)
	if err != nil {
		return 0, err
	}
	st, err := s.db.TxStmt(ctx, tx, `INSERT INTO point_movements (account_id, kind, amount, balance_after, payment_id, idempotency_key, ledger_seq, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`)
	if err != nil {
		return 0, err
	}
	var id int64
	var k any
	if key != "" {
		k = key
	}
	err = st.QueryRowContext(ctx, account, kind, amount, balance, nullID(payment), k, seqs[0], now).Scan(&id)
	return id, err
}

// Accounts are a resident's points, one account per programme, the
// soonest to expire first.
func (s *Service) Accounts(ctx context.Context, residentID int64) ([]Account, error) {
	type row struct {
		Account
		programme int64
	}
	rows, err := s.db.Query(ctx, `SELECT id, programme_id, balance, expires_at FROM point_accounts WHERE resident_id = $1
		ORDER BY expires_at, id`, residentID)
	list, err := db.Collect(rows, err, func(sc db.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.ID, &r.programme, &r.Balance, &r.ExpiresAt)
		return r, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Account, len(list))
	for i, r := range list {
		out[i] = r.Account
		if out[i].Programme, err = s.Programmes.byID(ctx, s.db.Read(), r.programme); err != nil {
			return nil, err
		}
	}
	return out, nil
}

const movementQuery = `SELECT m.id, p.slug, m.kind, m.amount, m.balance_after, COALESCE(me.name, ''), COALESCE(m.payment_id, 0), m.at
	FROM point_movements m JOIN point_accounts a ON a.id = m.account_id JOIN programmes p ON p.id = a.programme_id
	LEFT JOIN payments pay ON pay.id = m.payment_id LEFT JOIN merchants me ON me.id = pay.merchant_id`

func scanMovement(row db.Scanner) (Movement, error) {
	var m Movement
	err := row.Scan(&m.ID, &m.Programme, &m.Kind, &m.Amount, &m.BalanceAfter, &m.Merchant, &m.PaymentID, &m.At)
	return m, db.NotFound(err, "funds.payment_not_found")
}

// Movements are a resident's point movements, newest first.
func (s *Service) Movements(ctx context.Context, residentID int64, limit int) ([]Movement, error) {
	rows, err := s.db.Query(ctx, movementQuery+` WHERE a.resident_id = $1 ORDER BY m.id DESC LIMIT $2`, residentID, limit)
	return db.Collect(rows, err, scanMovement)
}

// Spending is the movement that took a resident's payment from their
// points: the balance it left and the receipt to show with it.
func (s *Service) Spending(ctx context.Context, residentID, paymentID int64) (Movement, error) {
	return scanMovement(s.db.QueryRow(ctx, movementQuery+` WHERE a.resident_id = $1 AND m.payment_id = $2 AND m.kind = $3`,
		residentID, paymentID, Spent))
}

// Receipt is the ledger receipt of one of a resident's movements; the
// movement of someone else is not found.
func (s *Service) Receipt(ctx context.Context, residentID, movementID int64) (ledger.Receipt, error) {
	var seq int64
	err := s.db.QueryRow(ctx, `SELECT m.ledger_seq FROM point_movements m JOIN point_accounts a ON a.id = m.account_id
		WHERE m.id = $1 AND a.resident_id = $2`, movementID, residentID).Scan(&seq)
	if err != nil {
		return ledger.Receipt{}, db.NotFound(err, "ledger.entry_not_found")
	}
	return s.ledger.ReceiptOf(ctx, seq)
}

// ExpirePoints ends the points whose validity has passed: each account's
// balance goes back to its programme's budget, with its ledger entry, one
// account per transaction. It returns the accounts expired.
func (s *Service) ExpirePoints(ctx context.Context) (int, error) {
	n := 0
	for {
		var account, residentID, programmeID, balance int64
		var slug string
		err := s.db.QueryRow(ctx, `SELECT a.id, a.resident_id, a.programme_id, a.balance, p.slug FROM point_accounts a
			JOIN programmes p ON p.id = a.programme_id WHERE a.expires_at <= $1 AND a.balance > 0 ORDER BY a.id LIMIT 1`,
			db.Time(s.Now())).Scan(&account, &residentID, &programmeID, &balance, &slug)
		if errors.Is(err, sql.ErrNoRows) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			// The balance is read again under the row's lock: a refund may
			// have just added to it.
			if err := tx.QueryRowContext(ctx, `UPDATE point_accounts SET balance = balance WHERE id = $1 RETURNING balance`,
				account).Scan(&balance); err != nil || balance == 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE point_accounts SET balance = 0 WHERE id = $1`, account); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE programmes SET committed = committed - $1 WHERE id = $2`, balance, programmeID); err != nil {
				return err
			}
			_, err := s.moveTx(ctx, tx, s.Now(), account, Expired, balance, 0, 0, "", ledger.Entry{Owner: s.owner(residentID), Programme: slug})
			return err
		})
		if err != nil {
			return n, err
		}
		n++
	}
}
