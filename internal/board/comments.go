package board

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Comment is a reply under a post.
type Comment struct {
	ID           int64
	PostID       int64
	AuthorID     int64
	Author       string
	Body         string
	Status       string
	Reports      int
	CreatedAt    time.Time
	EditedAt     time.Time
	Mine         bool
	CanChange    bool
	ByPostAuthor bool // written by the post's author
	// Channel is how staff acting for the author wrote it, as Post's.
	Channel string
}

// Paragraphs is the comment as paragraphs of lines.
func (c Comment) Paragraphs() [][]string { return Paragraphs(c.Body) }

const commentCols = `id, post_id, author_id, body, status, reports, created_at, edited_at, acting_channel`

func scanComment(row db.Scanner) (Comment, error) {
	var c Comment
	var edited sql.NullTime
	err := row.Scan(&c.ID, &c.PostID, &c.AuthorID, &c.Body, &c.Status, &c.Reports, &c.CreatedAt, &edited, &c.Channel)
	c.EditedAt = edited.Time
	return c, err
}

func findComment(ctx context.Context, q db.Querier, id int64) (Comment, error) {
	c, err := scanComment(q.QueryRowContext(ctx, `SELECT `+commentCols+` FROM board_comments WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || c.Status == Deleted {
		return c, errs.New(errs.NotFound, "board.comment_not_found")
	}
	return c, err
}

// openPost checks that post id is on zone's board and open to comments.
func openPost(ctx context.Context, q db.Querier, zone string, id int64) error {
	var z, status string
	err := q.QueryRowContext(ctx, `SELECT zone_code, status FROM board_posts WHERE id = $1`, id).Scan(&z, &status)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (z != zone || status != Visible)) {
		return errs.New(errs.NotFound, "board.post_not_found")
	}
	return err
}

// AddComment puts a signed-in citizen's comment under a visible post,
// within the hourly limit and unless they wrote the same text a moment ago.
func (s *Service) AddComment(ctx context.Context, zone string, postID int64, body string) (Comment, error) {
	uid, err := writer(ctx)
	if err != nil {
		return Comment{}, err
	}
	if err := checkText("comment", &body, MaxComment, true); err != nil {
		return Comment{}, err
	}
	c := Comment{PostID: postID, AuthorID: uid, Body: body, Status: Visible, CreatedAt: db.Time(s.Now()), Channel: actingChannel(ctx)}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := openPost(ctx, tx, zone, postID); err != nil {
			return err
		}
		var err error
		c.ID, err = insertWritten(ctx, tx, uid, kindComment, body, c.CreatedAt, `INSERT INTO board_comments (post_id, author_id, body, status, created_at, acting_channel)
			VALUES ($1, $2, $3, 'visible', $4, $5) RETURNING id`, postID, uid, body, c.CreatedAt, c.Channel)
		return err
	})
	if err != nil {
		return Comment{}, err
	}
	c.Mine, c.CanChange = true, true
	return c, nil
}

// Comment returns one of the viewer's own comments under post postID,
// for its edit page.
func (s *Service) Comment(ctx context.Context, postID, id int64) (Comment, error) {
	c, err := findComment(ctx, s.db.Read(), id)
	if err != nil {
		return c, err
	}
	if c.PostID != postID || !seen(ctx, c.Status, c.AuthorID) {
		return Comment{}, errs.New(errs.NotFound, "board.comment_not_found")
	}
	one := []Comment{c}
	err = s.decorateComments(ctx, one)
	return one[0], err
}

// EditComment changes the viewer's own visible comment within a day.
func (s *Service) EditComment(ctx context.Context, postID, id int64, body string) (Comment, error) {
	uid, err := writer(ctx)
	if err != nil {
		return Comment{}, err
	}
	if err := checkText("comment", &body, MaxComment, true); err != nil {
		return Comment{}, err
	}
	var c Comment
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if c, err = findComment(ctx, tx, id); err != nil {
			return err
		}
		if c.PostID != postID {
			return errs.New(errs.NotFound, "board.comment_not_found")
		}
		if err := s.mayChange(uid, c.AuthorID, c.CreatedAt); err != nil {
			return err
		}
		c.Body, c.EditedAt = body, db.Time(s.Now())
		return editVisible(ctx, tx, `UPDATE board_comments SET body = $2, edited_at = $3 WHERE id = $1 AND status = 'visible'`, id, body, c.EditedAt)
	})
	if err != nil {
		return Comment{}, err
	}
	return c, nil
}

// DeleteComment removes the viewer's own comment within a day.
func (s *Service) DeleteComment(ctx context.Context, postID, id int64) error {
	uid, err := writer(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := findComment(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.PostID != postID {
			return errs.New(errs.NotFound, "board.comment_not_found")
		}
		if err := s.mayChange(uid, c.AuthorID, c.CreatedAt); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE board_comments SET status = 'deleted', body = '', edited_at = $2 WHERE id = $1`, id, db.Time(s.Now()))
		return err
	})
}

func (s *Service) decorateComments(ctx context.Context, cs []Comment) error {
	return s.decorate(ctx, len(cs), func(i int) byline {
		c := &cs[i]
		return byline{c.AuthorID, c.CreatedAt, &c.Author, &c.Mine, &c.CanChange}
	})
}
