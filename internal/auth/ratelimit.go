package auth

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// limiter counts attempts per bucket in the database, so that a limit holds
// across every instance behind the load balancer.
type limiter struct {
	db  *db.DB
	now func() time.Time
}

// allow records one attempt in bucket and reports an error when more than
// limit attempts were made within window.
func (l limiter) allow(ctx context.Context, bucket string, limit int, window time.Duration) error {
	now := l.now()
	return l.db.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at > $2`,
			bucket, db.Time(now.Add(-window))).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return errs.New(errs.TooMany, "auth.too_many_attempts", int(window.Minutes()))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO rate_events (bucket, at) VALUES ($1, $2)`, bucket, db.Time(now))
		return err
	})
}

// reset forgets a bucket after a success, so a person who finally got it
// right is not held back by earlier typos.
func (l limiter) reset(ctx context.Context, bucket string) error {
	_, err := l.db.Exec(ctx, `DELETE FROM rate_events WHERE bucket = $1`, bucket)
	return err
}

// prune removes events older than a day; run from the maintenance loop.
func (l limiter) prune(ctx context.Context) error {
	_, err := l.db.Exec(ctx, `DELETE FROM rate_events WHERE at < $1`, db.Time(l.now().Add(-24*time.Hour)))
	return err
}
