package board

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Moderators' decisions on a reported or hidden item.
const (
	Keep   = "keep"   // clears the reports and shows the item again
	Hide   = "hide"   // hides it from everyone but its author and staff
	Remove = "delete" // blanks its text for good
)

// QueueItem is a post or comment in the moderation queue.
type QueueItem struct {
	Kind      string
	ID        int64
	PostID    int64
	Zone      string
	Title     string // the post's title (of the post a comment is under)
	Text      string
	AuthorID  int64
	Author    string
	Channel   string // how staff acting for the author wrote it, or ""
	Status    string
	Reports   int
	Reasons   []ReasonCount
	CreatedAt time.Time
	Last      *Decision // the latest moderator decision, if any
}

// Paragraphs is the item's text as paragraphs of lines.
func (it QueueItem) Paragraphs() [][]string { return Paragraphs(it.Text) }

// ReasonCount is how many open reports gave one reason.
type ReasonCount struct {
	Reason string
	Count  int
}

// Decision is a moderator's recorded decision.
type Decision struct {
	Action  string
	Note    string
	Reports int
	StaffID int64
	At      time.Time
}

// Queue is what moderators see: items waiting for a decision (reported,
// or hidden by reports), and items moderators hid.
type Queue struct {
	Waiting []QueueItem
	Hidden  []QueueItem
}

func mayModerate(ctx context.Context) error {
	_, err := actor.Require(ctx, staffRoles...)
	return err
}

// Queue returns the moderation queue, most reported first.
func (s *Service) Queue(ctx context.Context) (Queue, error) {
	if err := mayModerate(ctx); err != nil {
		return Queue{}, err
	}
	var q Queue
	all, err := s.queueItems(ctx)
	if err != nil {
		return q, err
	}
	for _, it := range all {
		if it.Status == Hidden {
			q.Hidden = append(q.Hidden, it)
		} else {
			q.Waiting = append(q.Waiting, it)
		}
	}
	return q, nil
}

func (s *Service) queueItems(ctx context.Context) ([]QueueItem, error) {
	scan := func(r db.Scanner) (QueueItem, error) {
		var it QueueItem
		err := r.Scan(&it.Kind, &it.ID, &it.PostID, &it.Zone, &it.Title, &it.Text, &it.AuthorID, &it.Status, &it.Reports, &it.CreatedAt, &it.Channel)
		return it, err
	}
	rows, err := s.db.Query(ctx, `SELECT 'post', p.id, p.id, p.zone_code, p.title, p.body, p.author_id, p.status, p.reports, p.created_at, p.acting_channel
		FROM board_posts p WHERE p.reports > 0 OR p.status IN ('held', 'hidden')
		UNION ALL
		SELECT 'comment', c.id, c.post_id, p.zone_code, p.title, c.body, c.author_id, c.status, c.reports, c.created_at, c.acting_channel
		FROM board_comments c JOIN board_posts p ON p.id = c.post_id WHERE c.status <> 'deleted' AND (c.reports > 0 OR c.status IN ('held', 'hidden'))
		ORDER BY 9 DESC, 10 DESC LIMIT 500`)
	items, err := db.Collect(rows, err, scan)
	if err != nil {
		return nil, err
	}
	reasons := map[string][]ReasonCount{}
	rows, err = s.db.Query(ctx, `SELECT item_kind, item_id, reason, COUNT(*) FROM board_reports WHERE resolved_at IS NULL
		GROUP BY item_kind, item_id, reason ORDER BY item_kind, item_id, reason`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, reason string
		var id int64
		var n int
		if err := rows.Scan(&kind, &id, &reason, &n); err != nil {
			return nil, err
		}
		reasons[kind+strconv.FormatInt(id, 10)] = append(reasons[kind+strconv.FormatInt(id, 10)], ReasonCount{reason, n})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.AuthorID
	}
	names, err := s.names(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range items {
		it := &items[i]
		it.Reasons = reasons[it.Kind+strconv.FormatInt(it.ID, 10)]
		it.Author = names[it.AuthorID]
		if it.Last, err = s.lastDecision(ctx, it.Kind, it.ID); err != nil {
			return nil, err
		}
	}
	return items, nil
}

func (s *Service) lastDecision(ctx context.Context, kind string, id int64) (*Decision, error) {
	var d Decision
	err := s.db.QueryRow(ctx, `SELECT action, note, reports, staff_id, at FROM board_moderation WHERE item_kind = $1 AND item_id = $2 ORDER BY id DESC LIMIT 1`,
		kind, id).Scan(&d.Action, &d.Note, &d.Reports, &d.StaffID, &d.At)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// Moderate records a moderator's decision on a post or comment: keep
// (clears its reports and shows it again), hide, or delete (its text is
// blanked). Hiding and deleting need a note saying why. The decision,
// its open reports resolved and the audit record are one transaction.
func (s *Service) Moderate(ctx context.Context, kind string, id int64, action, note string) error {
	if err := mayModerate(ctx); err != nil {
		return err
	}
	if kind != KindPost && kind != KindComment {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	var status string
	switch action {
	case Keep:
		status = Visible
	case Hide:
		status = Hidden
	case Remove:
		status = Deleted
	default:
		return errs.Field("action", "board.action_invalid")
	}
	if err := checkText("note", &note, MaxNote, action != Keep); err != nil {
		return err
	}
	now := db.Time(s.Now())
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		set := `status = $2, reports = 0`
		if action == Remove {
			set += `, body = ''`
			if kind == KindPost {
				set += `, title = ''`
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE `+table(kind)+` SET `+set+` WHERE id = $1 AND status <> 'deleted'`, id, status)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if kind == KindComment {
				return errs.New(errs.NotFound, "board.comment_not_found")
			}
			return errs.New(errs.NotFound, "board.post_not_found")
		}
		res, err = tx.ExecContext(ctx, `UPDATE board_reports SET resolved_at = $3 WHERE item_kind = $1 AND item_id = $2 AND resolved_at IS NULL`, kind, id, now)
		if err != nil {
			return err
		}
		resolved, _ := res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `INSERT INTO board_moderation (item_kind, item_id, action, note, reports, staff_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			kind, id, action, note, resolved, actor.From(ctx).ID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "board." + kind + "." + action, SubjectType: "board_" + kind, SubjectID: id,
			Detail: "reports=" + strconv.FormatInt(resolved, 10)})
	})
}
