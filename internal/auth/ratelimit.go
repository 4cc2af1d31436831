package auth

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// Limits count attempts per bucket in the database, so that a limit holds
// across every instance behind the load balancer. Other parts use them for
// their anonymous writes (a wallet's nonce, a guide request), with a bucket
// per client address (ClientBucket).
//
// A limit is exact under concurrency on both databases: an attempt is
// counted and recorded in one transaction that holds the bucket's lock
// (db.LockTx), so attempts made at once take turns and no more than the
// limit get through.
type Limits struct {
	db  *db.DB
	Now func() time.Time
}

// NewLimits returns the limits kept in d.
func NewLimits(d *db.DB) *Limits { return &Limits{db: d, Now: time.Now} }

// Limit is at most Max attempts per Per in a bucket. A refusal is a TooMany
// error saying when the oldest attempt leaves the window (its Retry-After),
// with the message Key ("error.too_many_wait" if empty), whose one argument
// is that wait (i18n.Wait).
type Limit struct {
	Max int
	Per time.Duration
	Key string
}

// Ticket is one attempt taken from a bucket, to be given back when it
// turns out not to count (see Return).
type Ticket struct {
	l  *Limits
	id int64
}

// Return gives the attempt back: a later check refused the request, or it
// is not one the limit counts (a right password, say).
func (t Ticket) Return(ctx context.Context) error {
	if t.id == 0 {
		return nil
	}
	_, err := t.l.db.Exec(ctx, `DELETE FROM rate_events WHERE id = $1`, t.id)
	return err
}

// ClientBucket is a bucket per client address for what (web.ClientKey: the
// address the trusted proxies forwarded, never the proxy's own).
func ClientBucket(what string, r *http.Request) string { return what + "@" + web.ClientKey(r) }

// Allow is Take when the attempt is never given back.
func (l *Limits) Allow(ctx context.Context, bucket string, lim Limit) error {
	_, err := l.Take(ctx, bucket, lim)
	return err
}

// Take records one attempt in bucket, or refuses it when lim.Max attempts
// were already made within lim.Per; a refused attempt is not counted.
func (l *Limits) Take(ctx context.Context, bucket string, lim Limit) (Ticket, error) {
	now := db.Time(l.Now())
	since := now.Add(-lim.Per)
	t := Ticket{l: l}
	var oldest time.Time
	err := l.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := l.lockCount(ctx, tx, bucket, since)
		if err != nil {
			return err
		}
		if n >= lim.Max {
			return tx.QueryRowContext(ctx, `SELECT at FROM rate_events WHERE bucket = $1 AND at > $2 ORDER BY at LIMIT 1`, bucket, since).Scan(&oldest)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO rate_events (bucket, at) VALUES ($1, $2) RETURNING id`, bucket, now).Scan(&t.id)
	})
	switch {
	case errors.Is(err, sql.ErrNoRows): // Max is 0
		return Ticket{}, tooMany(lim.Key, lim.Per)
	case err != nil:
		return Ticket{}, err
	case t.id == 0:
		return Ticket{}, tooMany(lim.Key, oldest.Add(lim.Per).Sub(now))
	}
	return t, nil
}

// turn is Take for a wait that grows with each attempt: it records one
// attempt in bucket unless wait, given how many attempts bucket holds
// within window and when the latest was made, says to wait longer; it
// returns how much longer.
func (l *Limits) turn(ctx context.Context, bucket string, window time.Duration, wait func(n int, latest time.Time) time.Duration) (Ticket, time.Duration, error) {
	now := db.Time(l.Now())
	t := Ticket{l: l}
	var left time.Duration
	err := l.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := l.lockCount(ctx, tx, bucket, now.Add(-window))
		if err != nil {
			return err
		}
		var latest time.Time
		if n > 0 {
			if err := tx.QueryRowContext(ctx, `SELECT at FROM rate_events WHERE bucket = $1 ORDER BY at DESC LIMIT 1`, bucket).Scan(&latest); err != nil {
				return err
			}
		}
		if left = wait(n, latest); left > 0 {
			return nil
		}
		return tx.QueryRowContext(ctx, `INSERT INTO rate_events (bucket, at) VALUES ($1, $2) RETURNING id`, bucket, now).Scan(&t.id)
	})
	if err != nil || left > 0 {
		return Ticket{}, left, err
	}
	return t, 0, nil
}

// lockCount takes bucket's turn for the rest of tx (LockTx) and counts the
// attempts it holds since since.
func (l *Limits) lockCount(ctx context.Context, tx *sql.Tx, bucket string, since time.Time) (int, error) {
	if err := l.db.LockTx(ctx, tx, "rate:"+bucket); err != nil {
		return 0, err
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at > $2`, bucket, since).Scan(&n)
	return n, err
}

// record adds one event to bucket, counted by no limit of its own.
func (l *Limits) record(ctx context.Context, bucket string, at time.Time) error {
	_, err := l.db.Exec(ctx, `INSERT INTO rate_events (bucket, at) VALUES ($1, $2)`, bucket, at)
	return err
}

// tooMany is the refusal of an attempt that may come back after wait.
func tooMany(key string, wait time.Duration) error {
	if key == "" {
		key = "error.too_many_wait"
	}
	wait = max(wait, time.Second)
	return errs.New(errs.TooMany, key, i18n.Wait(wait)).After(wait)
}

// Reset forgets a bucket after a success, so a person who finally got it
// right is not held back by earlier typos.
func (l *Limits) Reset(ctx context.Context, bucket string) error {
	_, err := l.db.Exec(ctx, `DELETE FROM rate_events WHERE bucket = $1`, bucket)
	return err
}

// count is how many events bucket holds within window.
func (l *Limits) count(ctx context.Context, bucket string, window time.Duration) (int, error) {
	var n int
	err := l.db.Write().QueryRowContext(ctx, `SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at > $2`,
		bucket, db.Time(l.Now()).Add(-window)).Scan(&n)
	return n, err
}

// prune removes events older than a day; run from the maintenance loop.
func (l *Limits) prune(ctx context.Context) error {
	_, err := l.db.Exec(ctx, `DELETE FROM rate_events WHERE at < $1`, db.Time(l.Now().Add(-24*time.Hour)))
	return err
}
