package reserve

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Statuses the engine reads and writes; the parts' claims use the same words.
const (
	Confirmed  = "confirmed"  // holds its places
	Waitlisted = "waitlisted" // waits for places to free up
	Applied    = "applied"    // entered into a draw not yet drawn
)

// Spec names a caller's tables and the columns in which they differ. The
// pool table has the columns id, capacity and queue_seq besides Taken; the
// claims table has id, user_id, status, queue_pos and updated_at besides
// PoolRef, Size and CheckedIn.
type Spec struct {
	Pool      string   // the table of pools: "class_sessions", "booking_slots"
	Taken     string   // its column of places taken: "seats_taken", "taken"
	Claims    string   // the table of claims: "registrations", "bookings"
	PoolRef   string   // the claims' column naming their pool: "session_id", "slot_id"
	Size      string   // the claims' column of places asked for: "seats", "party"
	CheckedIn string   // the claims' time of check-in, NULL before: "attended_at", "checked_in_at"
	Active    []string // the statuses of claims that hold or await places
	Keys      Keys     // the caller's words for the engine's refusals
}

// Keys are the catalogue keys of the errors the engine answers with, in the
// caller's words: errs.NotFound for the first two, errs.Conflict for the rest.
type Keys struct {
	NoPool     string // no such session or slot
	NoClaim    string // no such registration or booking
	Already    string // the user already holds an active claim on the pool
	DrawClosed string // the draw's applications have closed
	Full       string // the places do not fit and the request does not wait
}

// Engine runs a Spec's statements; make one with New and keep it.
type Engine struct {
	db   *db.DB
	spec Spec
	q    queries
}

type queries struct {
	lock, take, release, mine, waiting, arrive, arrivedAt, promote string
}

// New returns the engine of spec on d. The names in spec are the caller's
// constants, never user input: they are written into the SQL.
func New(d *db.DB, spec Spec) *Engine {
	s := spec
	active := "('" + strings.Join(s.Active, "', '") + "')"
	return &Engine{db: d, spec: spec, q: queries{
		lock:      `UPDATE ` + s.Pool + ` SET queue_seq = queue_seq + 1 WHERE `,
		take:      `UPDATE ` + s.Pool + ` SET ` + s.Taken + ` = ` + s.Taken + ` + $2 WHERE id = $1 AND ` + s.Taken + ` + $2 <= capacity RETURNING capacity - ` + s.Taken,
		release:   `UPDATE ` + s.Pool + ` SET ` + s.Taken + ` = ` + s.Taken + ` - $2 WHERE id = $1`,
		mine:      `SELECT COUNT(*) FROM ` + s.Claims + ` WHERE ` + s.PoolRef + ` = $1 AND user_id = $2 AND status IN ` + active,
		waiting:   `SELECT id, user_id, ` + s.Size + ` FROM ` + s.Claims + ` WHERE ` + s.PoolRef + ` = $1 AND status = '` + Waitlisted + `' ORDER BY queue_pos, id`,
		promote:   `UPDATE ` + s.Claims + ` SET status = $1, updated_at = $2 WHERE id = $3`,
		arrive:    `UPDATE ` + s.Claims + ` SET ` + s.CheckedIn + ` = $1, updated_at = $1 WHERE id = $2 AND status = '` + Confirmed + `' AND ` + s.CheckedIn + ` IS NULL`,
		arrivedAt: `SELECT ` + s.CheckedIn + ` FROM ` + s.Claims + ` WHERE id = $1`,
	}}
}

// Pool is a pool's state read under its row lock.
type Pool struct {
	ID       int64
	Capacity int
	Taken    int
	Seq      int // the queue counter after this lock: the next claim's queue_pos
}

// Free is how many places are left.
func (p Pool) Free() int { return max(p.Capacity-p.Taken, 0) }

// Lock takes the row lock of the pool that where selects (a condition on
// the pool table with $N arguments args, such as "id = $1"), bumping its
// queue counter, and reads it. extra lists more of the pool's columns to
// return, scanned into dest in order: the caller's own rules. Every seat
// decision on a pool is made under this lock, until tx ends. No such pool
// is errs.NotFound with Keys.NoPool.
func (e *Engine) Lock(ctx context.Context, tx *sql.Tx, where string, args []any, extra string, dest ...any) (Pool, error) {
	return e.lock(ctx, tx, e.spec.Keys.NoPool, where, args, extra, dest)
}

// LockClaim is Lock of the pool of a claim, before the claim is read: what
// changes a claim's places goes through here. No such claim is
// errs.NotFound with Keys.NoClaim.
func (e *Engine) LockClaim(ctx context.Context, tx *sql.Tx, claimID int64, extra string, dest ...any) (Pool, error) {
	where := `id = (SELECT ` + e.spec.PoolRef + ` FROM ` + e.spec.Claims + ` WHERE id = $1)`
	return e.lock(ctx, tx, e.spec.Keys.NoClaim, where, []any{claimID}, extra, dest)
}

func (e *Engine) lock(ctx context.Context, tx *sql.Tx, notFound, where string, args []any, extra string, dest []any) (Pool, error) {
	q := e.q.lock + where + ` RETURNING id, capacity, ` + e.spec.Taken + `, queue_seq`
	if extra != "" {
		q += ", " + extra
	}
	st, err := e.db.TxStmt(ctx, tx, q)
	if err != nil {
		return Pool{}, err
	}
	var p Pool
	err = st.QueryRowContext(ctx, args...).Scan(append([]any{&p.ID, &p.Capacity, &p.Taken, &p.Seq}, dest...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.New(errs.NotFound, notFound)
	}
	return p, err
}

// Take adds n to the pool's places taken if they fit, and reports whether
// they did. It is the only statement that fills a pool.
func (e *Engine) Take(ctx context.Context, tx *sql.Tx, poolID int64, n int) (bool, error) {
	_, ok, err := e.take(ctx, tx, poolID, n)
	return ok, err
}

// take is Take that also says how many places are left after it.
func (e *Engine) take(ctx context.Context, tx *sql.Tx, poolID int64, n int) (free int, ok bool, err error) {
	st, err := e.db.TxStmt(ctx, tx, e.q.take)
	if err != nil {
		return 0, false, err
	}
	err = st.QueryRowContext(ctx, poolID, n).Scan(&free)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return free, err == nil, err
}

// Release gives n of the pool's places back.
func (e *Engine) Release(ctx context.Context, tx *sql.Tx, poolID int64, n int) error {
	st, err := e.db.TxStmt(ctx, tx, e.q.release)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, poolID, n)
	return err
}

// Draw states of a pool, for Ask.
type DrawState int

const (
	NoDraw     DrawState = iota // first come, first served
	DrawOpen                    // a draw takes applications
	DrawClosed                  // applications have closed, the draw is still to come
)

// Request is a new claim on a pool whose row lock the caller holds.
type Request struct {
	Pool int64
	User int64
	Size int
	Draw DrawState
	Wait bool // waitlist the claim when the places do not fit; else ErrFull
}

// Ask decides a new claim, under the pool's row lock: refused when the user
// already holds an active claim on the pool (Keys.Already), Applied while a
// draw takes applications (Keys.DrawClosed after), Confirmed when its
// places fit — they are then taken — and otherwise Waitlisted, or refused
// (Keys.Full) when the request does not wait. Refusals are errs.Conflict.
// The caller inserts the claim with that status and the pool's Seq as its
// queue_pos.
func (e *Engine) Ask(ctx context.Context, tx *sql.Tx, r Request) (string, error) {
	st, err := e.db.TxStmt(ctx, tx, e.q.mine)
	if err != nil {
		return "", err
	}
	var mine int
	if err := st.QueryRowContext(ctx, r.Pool, r.User).Scan(&mine); err != nil {
		return "", err
	}
	switch {
	case mine > 0:
		return "", errs.New(errs.Conflict, e.spec.Keys.Already)
	case r.Draw == DrawOpen:
		return Applied, nil
	case r.Draw == DrawClosed:
		return "", errs.New(errs.Conflict, e.spec.Keys.DrawClosed)
	}
	ok, err := e.Take(ctx, tx, r.Pool, r.Size)
	switch {
	case err != nil:
		return "", err
	case ok:
		return Confirmed, nil
	case r.Wait:
		return Waitlisted, nil
	}
	return "", errs.New(errs.Conflict, e.spec.Keys.Full)
}

// Entry is a claim as the engine sees it.
type Entry struct {
	ID   int64
	User int64
	Size int
}

// Promote gives the pool's free places to its waitlist in queue order: each
// waitlisted claim whose places fit takes them and becomes status (the
// caller's word for holding places: Confirmed, or awaiting staff's approval)
// at time at; one that does not fit is passed over and keeps its place.
// promoted is called for each, in order, to record and tell. The caller
// holds the pool's row lock and does not promote while a draw is to come.
func (e *Engine) Promote(ctx context.Context, tx *sql.Tx, poolID int64, status string, at time.Time, promoted func(Entry) error) error {
	rows, err := tx.QueryContext(ctx, e.q.waiting, poolID)
	waiting, err := db.Collect(rows, err, scanEntry)
	if err != nil {
		return err
	}
	for _, w := range waiting {
		free, ok, err := e.take(ctx, tx, poolID, w.Size)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if _, err := tx.ExecContext(ctx, e.q.promote, status, db.Time(at), w.ID); err != nil {
			return err
		}
		if err := promoted(w); err != nil {
			return err
		}
		if free == 0 {
			break
		}
	}
	return nil
}

func scanEntry(sc db.Scanner) (Entry, error) {
	var en Entry
	return en, sc.Scan(&en.ID, &en.User, &en.Size)
}
