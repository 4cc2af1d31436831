package funds

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// Cycle is one payment round of a programme paid to everyone eligible:
// its beneficiaries and their amounts are fixed when it starts.
type Cycle struct {
	ID            int64
	ProgrammeID   int64
	Programme     string // slug
	Number        int
	Beneficiaries int
	Total         int64 // KRW
	Paid          int   // beneficiaries paid so far
	StartedAt     time.Time
	FinishedAt    time.Time // zero while some are unpaid
}

// Finished reports whether every beneficiary has been paid.
func (c Cycle) Finished() bool { return !c.FinishedAt.IsZero() }

// CycleBatch is how many beneficiaries one transaction pays: large enough
// that committing is a small part of the work, small enough that an
// interruption loses little and other writers wait little.
const CycleBatch = 2000

// freezeBatch is the rows of one INSERT of beneficiaries: SQLite looks $N
// placeholders up by name, in time that grows with their number.
const freezeBatch = 50

// Cycle returns a programme's latest cycle.
func (s *Service) Cycle(ctx context.Context, slug string) (Cycle, error) {
	var c Cycle
	var finished sql.NullTime
	err := s.db.QueryRow(ctx, `SELECT c.id, c.programme_id, p.slug, c.number, c.beneficiaries, c.total, c.started_at, c.finished_at,
			(SELECT COUNT(*) FROM cycle_beneficiaries b WHERE b.cycle_id = c.id AND b.paid)
		FROM payment_cycles c JOIN programmes p ON p.id = c.programme_id WHERE p.slug = $1 ORDER BY c.number DESC LIMIT 1`, slug).
		Scan(&c.ID, &c.ProgrammeID, &c.Programme, &c.Number, &c.Beneficiaries, &c.Total, &c.StartedAt, &finished, &c.Paid)
	c.FinishedAt = finished.Time
	return c, db.NotFound(err, "funds.cycle_not_found")
}

// StartCycle starts a programme's next payment cycle: the rules, as they
// are now, are applied again to the whole registry, in registry order (one
// beneficiary per household for a programme paid per household, the first
// Quota for one with a quota), and the list of beneficiaries and amounts
// is frozen, so that registry edits made afterwards do not change what
// the cycle pays. A cycle that would cost more than the budget has left,
// or while the previous one is unpaid, is refused.
func (s *Service) StartCycle(ctx context.Context, slug string) (Cycle, error) {
	p, err := s.Programmes.BySlug(ctx, slug)
	if err != nil {
		return Cycle{}, err
	}
	now := s.Now()
	switch {
	case p.Mode != ToEveryone:
		return Cycle{}, errs.New(errs.Conflict, "funds.not_paid_to_everyone")
	case !p.Open(now):
		return Cycle{}, errs.New(errs.Conflict, "funds.programme_closed")
	}
	if c, err := s.Cycle(ctx, slug); err == nil && !c.Finished() {
		return c, errs.New(errs.Conflict, "funds.cycle_unfinished", c.Number)
	} else if err != nil && errs.CodeOf(err) != errs.NotFound {
		return Cycle{}, err
	}
	rules, err := p.rules()
	if err != nil {
		return Cycle{}, err
	}
	type beneficiary struct{ resident, amount int64 }
	var list []beneficiary
	var total int64
	households := map[string]bool{}
	err = s.registry.Each(ctx, func(r identity.Resident) error {
		if p.Quota > 0 && len(list) >= p.Quota {
			return nil
		}
		ok, amount, err := rules.Decide(FactsOf(r, now))
		if err != nil || !ok {
			// A rule that cannot be evaluated on a record pays nobody: the
			// dry run counts such records for staff to look at.
			return nil
		}
		if p.Unit == PerHousehold {
			if households[r.HouseholdID] {
				return nil
			}
			households[r.HouseholdID] = true
		}
		list = append(list, beneficiary{r.ID, amount})
		total += amount
		return nil
	})
	if err != nil {
		return Cycle{}, err
	}
	if len(list) == 0 {
		return Cycle{}, errs.New(errs.Conflict, "funds.cycle_nobody")
	}
	var id int64
	ctx = context.WithoutCancel(ctx) // as in PayCycle: a goroutine per statement otherwise
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var budget, committed int64
		var number int
		if err := tx.QueryRowContext(ctx, `UPDATE programmes SET budget = budget WHERE id = $1 RETURNING budget, committed,
			(SELECT COALESCE(MAX(number), 0) + 1 FROM payment_cycles WHERE programme_id = $1)`, p.ID).Scan(&budget, &committed, &number); err != nil {
			return err
		}
		if total > budget-committed {
			return errs.New(errs.Conflict, "funds.cycle_over_budget", won(total), len(list), won(budget-committed))
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO payment_cycles (programme_id, number, rule_id, beneficiaries, total, started_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, p.ID, number, nullID(p.RuleID), len(list), total, db.Time(now)).Scan(&id); err != nil {
			return err
		}
		var full *sql.Stmt
		for start := 0; start < len(list); start += freezeBatch {
			chunk := list[start:min(start+freezeBatch, len(list))]
			st := full
			if st == nil || len(chunk) < freezeBatch {
				var q strings.Builder
				q.WriteString(`INSERT INTO cycle_beneficiaries (cycle_id, resident_id, amount) VALUES `)
				for i := range chunk {
					if i > 0 {
						q.WriteString(", ")
					}
					fmt.Fprintf(&q, "($1, $%d, $%d)", 2*i+2, 2*i+3)
				}
				var err error
				if st, err = tx.PrepareContext(ctx, q.String()); err != nil {
					return err
				}
				defer st.Close()
				if len(chunk) == freezeBatch {
					full = st
				}
			}
			args := make([]any, 0, 1+2*len(chunk))
			args = append(args, id)
			for _, b := range chunk {
				args = append(args, b.resident, b.amount)
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Cycle{}, err
	}
	return s.Cycle(ctx, slug)
}

// PayCycle pays what a cycle still owes, CycleBatch beneficiaries per
// transaction: each is credited (account, movement, ledger entry), the
// programme's committed figure grows, and each is marked paid, all in the
// transaction, so that a cycle interrupted at any point is resumed by
// calling PayCycle again and pays nobody twice. progress is told how many
// beneficiaries are paid after each transaction.
func (s *Service) PayCycle(ctx context.Context, slug string, progress func(paid int)) (Cycle, error) {
	c, err := s.Cycle(ctx, slug)
	if err != nil || c.Finished() {
		return c, err
	}
	p, err := s.Programmes.byID(ctx, s.db.Read(), c.ProgrammeID)
	if err != nil {
		return c, err
	}
	expires := db.Time(p.PointsExpire)
	after := int64(0)
	// The batches run on a context that is not cancelled, and the caller's
	// is checked between them: the SQLite driver watches a cancellable
	// context with a goroutine per statement, which costs more than the
	// statement, and an interruption then ends a batch cleanly instead.
	batchCtx := context.WithoutCancel(ctx)
	for {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		var n int
		err := s.db.Tx(batchCtx, func(tx *sql.Tx) error {
			var err error
			n, after, err = s.payBatchTx(batchCtx, tx, c, p, after, expires)
			return err
		})
		if err != nil {
			return c, err
		}
		if n == 0 {
			break
		}
		c.Paid += n
		if progress != nil {
			progress(c.Paid)
		}
	}
	now := db.Time(s.Now())
	if _, err := s.db.Exec(ctx, `UPDATE payment_cycles SET finished_at = $1 WHERE id = $2 AND finished_at IS NULL`, now, c.ID); err != nil {
		return c, err
	}
	return s.Cycle(ctx, slug)
}

// creditAccountsTx adds amounts to the residents' accounts of a programme,
// opening those that do not exist, db.RowsPerInsert residents a statement,
// and returns each one's account and new balance, in the order given. The
// RETURNING rows are matched by resident, since no order is promised.
func (s *Service) creditAccountsTx(ctx context.Context, tx *sql.Tx, programme int64, residents, amounts []int64, expires time.Time) ([]int64, []int64, error) {
	accounts, balances := make([]int64, len(residents)), make([]int64, len(residents))
	for start := 0; start < len(residents); start += db.RowsPerInsert {
		end := min(start+db.RowsPerInsert, len(residents))
		upsert, err := s.db.TxStmt(ctx, tx, `INSERT INTO point_accounts (resident_id, programme_id, balance, expires_at) VALUES `+
			db.Values(end-start, 4)+` ON CONFLICT (resident_id, programme_id) DO UPDATE SET balance = point_accounts.balance + excluded.balance
			RETURNING resident_id, id, balance`)
		if err != nil {
			return nil, nil, err
		}
		args := make([]any, 0, 4*(end-start))
		at := make(map[int64]int, end-start)
		for i := start; i < end; i++ {
			args = append(args, residents[i], programme, amounts[i], expires)
			at[residents[i]] = i
		}
		rows, err := upsert.QueryContext(ctx, args...)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var r, id, balance int64
			if err := rows.Scan(&r, &id, &balance); err != nil {
				rows.Close()
				return nil, nil, err
			}
			accounts[at[r]], balances[at[r]] = id, balance
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return accounts, balances, nil
}

// payBatchTx pays the next unpaid beneficiaries after resident id after,
// and returns how many it paid and the last one's id.
func (s *Service) payBatchTx(ctx context.Context, tx *sql.Tx, c Cycle, p Programme, after int64, expires time.Time) (int, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT resident_id, amount FROM cycle_beneficiaries WHERE cycle_id = $1 AND paid = FALSE AND resident_id > $2
		ORDER BY resident_id LIMIT $3`, c.ID, after, CycleBatch)
	if err != nil {
		return 0, after, err
	}
	var residents, amounts []int64
	var sum int64
	for rows.Next() {
		var r, a int64
		if err := rows.Scan(&r, &a); err != nil {
			rows.Close()
			return 0, after, err
		}
		residents, amounts, sum = append(residents, r), append(amounts, a), sum+a
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(residents) == 0 {
		return 0, after, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE programmes SET committed = committed + $1, approved = approved + $2
		WHERE id = $3 AND committed + $1 <= budget`, sum, len(residents), p.ID)
	if err != nil {
		return 0, after, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// The budget was lowered or spent since the cycle started.
		return 0, after, errs.New(errs.Conflict, "funds.cycle_budget_spent", c.Number)
	}
	now := db.Time(s.Now())
	accounts, balances, err := s.creditAccountsTx(ctx, tx, p.ID, residents, amounts, expires)
	if err != nil {
		return 0, after, err
	}
	entries := make([]ledger.Entry, len(residents))
	for i, r := range residents {
		entries[i] = ledger.Entry{Kind: ledger.PointsCredited, At: now.Unix(), Owner: s.owner(r), Programme: p.Slug, Amount: amounts[i]}
	}
	seqs, err := s.ledger.AppendTx(ctx, tx, entries...)
	if err != nil {
		return 0, after, err
	}
	for start := 0; start < len(residents); start += db.RowsPerInsert {
		end := min(start+db.RowsPerInsert, len(residents))
		move, err := s.db.TxStmt(ctx, tx, `INSERT INTO point_movements (account_id, kind, amount, balance_after, ledger_seq, at) VALUES `+
			db.Values(end-start, 6))
		if err != nil {
			return 0, after, err
		}
		args := make([]any, 0, 6*(end-start))
		for i := start; i < end; i++ {
			args = append(args, accounts[i], Credited, amounts[i], balances[i], seqs[i], now)
		}
		if _, err := move.ExecContext(ctx, args...); err != nil {
			return 0, after, err
		}
	}
	last := residents[len(residents)-1]
	if _, err := tx.ExecContext(ctx, `UPDATE cycle_beneficiaries SET paid = TRUE WHERE cycle_id = $1 AND resident_id > $2 AND resident_id <= $3`,
		c.ID, after, last); err != nil {
		return 0, after, err
	}
	return len(residents), last, nil
}
