package board

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Reasons a post or comment may be reported for.
var Reasons = []string{"spam", "insult", "personal_data", "other"}

// HideAfter is how many different users' reports hide an item until a
// moderator reviews it.
const HideAfter = 3

// Kinds of reported items.
const (
	KindPost    = "post"
	KindComment = "comment"
)

// table is the table of a kind of item; kinds come from this package only.
func table(kind string) string {
	if kind == KindComment {
		return "board_comments"
	}
	return "board_posts"
}

// Report records the viewer's report of a post or comment on zone's
// board. Reports from HideAfter different users hide the item pending a
// moderator's review; a user reports an item once.
func (s *Service) Report(ctx context.Context, zone, kind string, id int64, reason string) error {
	uid := viewerID(ctx)
	if uid == 0 {
		return errs.New(errs.Unauthorized, "error.unauthorized")
	}
	if !slices.Contains(Reasons, reason) {
		return errs.Field("reason", "board.reason_required")
	}
	if kind != KindPost && kind != KindComment {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		author, err := reportable(ctx, tx, zone, kind, id)
		if err != nil {
			return err
		}
		if author == uid {
			return errs.New(errs.Conflict, "board.report_own")
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM board_reports WHERE item_kind = $1 AND item_id = $2 AND reporter_id = $3 AND resolved_at IS NULL`,
			kind, id, uid).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return errs.New(errs.Conflict, "board.already_reported")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO board_reports (item_kind, item_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)`,
			kind, id, uid, reason, db.Time(s.Now()))
		if db.IsUniqueViolation(err) {
			return errs.New(errs.Conflict, "board.already_reported")
		}
		if err != nil {
			return err
		}
		// Counted under the item's row lock, so concurrent reports all count.
		_, err = tx.ExecContext(ctx, `UPDATE `+table(kind)+` SET reports = reports + 1,
			status = CASE WHEN status = 'visible' AND reports + 1 >= $2 THEN 'held' ELSE status END WHERE id = $1`, id, HideAfter)
		return err
	})
}

// reportable returns the author of an item the reporter can see on
// zone's board: visible, or already held.
func reportable(ctx context.Context, q db.Querier, zone, kind string, id int64) (int64, error) {
	query := `SELECT author_id, status, zone_code FROM board_posts WHERE id = $1`
	notFound := errs.New(errs.NotFound, "board.post_not_found")
	if kind == KindComment {
		query = `SELECT c.author_id, CASE WHEN p.status = 'visible' THEN c.status ELSE p.status END, p.zone_code
			FROM board_comments c JOIN board_posts p ON p.id = c.post_id WHERE c.id = $1`
		notFound = errs.New(errs.NotFound, "board.comment_not_found")
	}
	var author int64
	var status, z string
	err := q.QueryRowContext(ctx, query, id).Scan(&author, &status, &z)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, notFound
	case err != nil:
		return 0, err
	case z != zone || (status != Visible && status != Held):
		return 0, notFound
	}
	return author, nil
}
