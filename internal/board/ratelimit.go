package board

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// What a user may write in an hour, and how long the same text is refused.
const (
	PostsPerHour    = 5
	CommentsPerHour = 20
	DuplicateWindow = 10 * time.Minute
)

const (
	kindPost    = "post"
	kindComment = "comment"
)

// allowWrite decides, inside the transaction that writes, whether userID
// may write one more item of kind with text digest sum, and records it.
// The upsert of the user's lock row comes first: on PostgreSQL a second
// writer for the same user waits there until the first commits, and then
// counts what it wrote; on SQLite writers are already one at a time.
func allowWrite(ctx context.Context, tx *sql.Tx, userID int64, kind, sum string, now time.Time) error {
	now = db.Time(now)
	if _, err := tx.ExecContext(ctx, `INSERT INTO board_rate_locks (user_id, kind, touched_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id, kind) DO UPDATE SET touched_at = excluded.touched_at`, userID, kind, now); err != nil {
		return err
	}
	limit, key := PostsPerHour, "board.too_many_posts"
	if kind == kindComment {
		limit, key = CommentsPerHour, "board.too_many_comments"
	}
	var n, same int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN digest = $3 AND at > $5 THEN 1 ELSE 0 END), 0)
		FROM board_rate_events WHERE user_id = $1 AND kind = $2 AND at > $4`,
		userID, kind, sum, now.Add(-time.Hour), now.Add(-DuplicateWindow)).Scan(&n, &same); err != nil {
		return err
	}
	switch {
	case same > 0:
		return errs.New(errs.Conflict, "board.duplicate", int(DuplicateWindow.Minutes()))
	case n >= limit:
		return errs.New(errs.TooMany, key, limit)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO board_rate_events (user_id, kind, digest, at) VALUES ($1, $2, $3, $4)`, userID, kind, sum, now)
	return err
}

// Prune forgets the writing events older than a day, which no limit
// reads any more; the app's maintenance loop runs it.
func (s *Service) Prune(ctx context.Context) error {
	_, err := s.db.Exec(ctx, `DELETE FROM board_rate_events WHERE at < $1`, db.Time(s.Now().Add(-24*time.Hour)))
	return err
}
