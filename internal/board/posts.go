package board

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// PageSize is how many posts a page of the board lists.
const PageSize = 20

// Post is a citizen's post on a zone's board.
type Post struct {
	ID        int64
	Zone      string
	AuthorID  int64
	Author    string // the masked display name
	Title     string
	Body      string
	Status    string
	Reports   int
	Comments  int // visible comments
	CreatedAt time.Time
	EditedAt  time.Time
	Mine      bool // the viewer wrote it
	CanChange bool // the viewer may still edit or delete it
	// Channel is how staff acting for the author wrote it (actor.Phone,
	// actor.InPerson …), "" when the author wrote it themselves.
	Channel string
}

// Paragraphs is the body as paragraphs of lines.
func (p Post) Paragraphs() [][]string { return Paragraphs(p.Body) }

// ChangeableUntil is when its author's edit window closes.
func (p Post) ChangeableUntil() time.Time { return p.CreatedAt.Add(EditWindow) }

// PostInput is what the author sends.
type PostInput struct {
	Title string
	Body  string
}

func (in *PostInput) validate() error {
	if err := checkText("title", &in.Title, MaxTitle, true); err != nil {
		return err
	}
	return checkText("body", &in.Body, MaxBody, true)
}

const postCols = `p.id, p.zone_code, p.author_id, p.title, p.body, p.status, p.reports,
	(SELECT COUNT(*) FROM board_comments c WHERE c.post_id = p.id AND c.status = 'visible'), p.created_at, p.edited_at, p.acting_channel`

func scanPost(row db.Scanner) (Post, error) {
	var p Post
	var edited sql.NullTime
	err := row.Scan(&p.ID, &p.Zone, &p.AuthorID, &p.Title, &p.Body, &p.Status, &p.Reports, &p.Comments, &p.CreatedAt, &edited, &p.Channel)
	p.EditedAt = edited.Time
	return p, err
}

func (s *Service) findPost(ctx context.Context, q db.Querier, id int64) (Post, error) {
	p, err := scanPost(q.QueryRowContext(ctx, `SELECT `+postCols+` FROM board_posts p WHERE p.id = $1`, id))
	return p, db.NotFound(err, "board.post_not_found")
}

// CreatePost puts a signed-in citizen's post on a zone's board, within
// the hourly limit and unless they posted the same text a moment ago.
func (s *Service) CreatePost(ctx context.Context, zone string, in PostInput) (Post, error) {
	uid, err := writer(ctx)
	if err != nil {
		return Post{}, err
	}
	if _, err := s.opts.Zones.Zone(ctx, zone); err != nil {
		return Post{}, err
	}
	if err := in.validate(); err != nil {
		return Post{}, err
	}
	p := Post{Zone: zone, AuthorID: uid, Title: in.Title, Body: in.Body, Status: Visible, CreatedAt: db.Time(s.Now()), Channel: actingChannel(ctx)}
	p.ID, err = db.TxValue(ctx, s.db, func(tx *sql.Tx) (int64, error) {
		return insertWritten(ctx, tx, uid, kindPost, in.Body, p.CreatedAt, `INSERT INTO board_posts (zone_code, author_id, title, body, status, created_at, acting_channel)
			VALUES ($1, $2, $3, $4, 'visible', $5, $6) RETURNING id`, zone, uid, p.Title, p.Body, p.CreatedAt, p.Channel)
	})
	if err != nil {
		return Post{}, err
	}
	p.Mine, p.CanChange = true, true
	return p, nil
}

// EditPost changes the title and body of the viewer's own visible post
// within a day of writing it.
func (s *Service) EditPost(ctx context.Context, id int64, in PostInput) (Post, error) {
	uid, err := writer(ctx)
	if err != nil {
		return Post{}, err
	}
	if err := in.validate(); err != nil {
		return Post{}, err
	}
	var p Post
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if p, err = s.findPost(ctx, tx, id); err != nil {
			return err
		}
		if p.Status == Deleted {
			return errs.New(errs.NotFound, "board.post_not_found")
		}
		if err := s.mayChange(uid, p.AuthorID, p.CreatedAt); err != nil {
			return err
		}
		p.Title, p.Body, p.EditedAt = in.Title, in.Body, db.Time(s.Now())
		return editVisible(ctx, tx, `UPDATE board_posts SET title = $2, body = $3, edited_at = $4 WHERE id = $1 AND status = 'visible'`,
			id, p.Title, p.Body, p.EditedAt)
	})
	if err != nil {
		return Post{}, err
	}
	return p, nil
}

// DeletePost removes the viewer's own post within a day of writing it:
// its text is blanked and it leaves every list.
func (s *Service) DeletePost(ctx context.Context, id int64) error {
	uid, err := writer(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.findPost(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Status == Deleted {
			return errs.New(errs.NotFound, "board.post_not_found")
		}
		if err := s.mayChange(uid, p.AuthorID, p.CreatedAt); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE board_posts SET status = 'deleted', title = '', body = '', edited_at = $2 WHERE id = $1`, id, db.Time(s.Now()))
		return err
	})
}

// PostPage is one page of a zone's posts.
type PostPage struct {
	Posts       []Post
	Page, Pages int
	Total       int
}

// Posts lists a zone's visible posts, newest first, page by page (from 1;
// a page past the last is the last).
func (s *Service) Posts(ctx context.Context, zone string, page int) (PostPage, error) {
	var out PostPage
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM board_posts WHERE zone_code = $1 AND status = 'visible'`, zone).Scan(&out.Total); err != nil {
		return out, err
	}
	out.Pages = max(1, (out.Total+PageSize-1)/PageSize)
	out.Page = min(max(page, 1), out.Pages)
	rows, err := s.db.Query(ctx, `SELECT `+postCols+` FROM board_posts p WHERE p.zone_code = $1 AND p.status = 'visible'
		ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3`, zone, PageSize, (out.Page-1)*PageSize)
	out.Posts, err = db.Collect(rows, err, scanPost)
	if err != nil {
		return out, err
	}
	return out, s.decoratePosts(ctx, out.Posts)
}

// MyPosts lists the viewer's own posts on every board, newest first,
// with those a moderator or the reports hid.
func (s *Service) MyPosts(ctx context.Context) ([]Post, error) {
	uid := viewerID(ctx)
	if uid == 0 {
		return nil, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	rows, err := s.db.Query(ctx, `SELECT `+postCols+` FROM board_posts p WHERE p.author_id = $1 AND p.status <> 'deleted'
		ORDER BY p.created_at DESC, p.id DESC LIMIT 500`, uid)
	posts, err := db.Collect(rows, err, scanPost)
	if err != nil {
		return nil, err
	}
	return posts, s.decoratePosts(ctx, posts)
}

// Thread is a post with its comments, as the viewer may see them.
type Thread struct {
	Post     Post
	Comments []Comment
}

// Thread returns a post of a zone and its comments. Hidden posts and
// comments are seen only by their authors and staff.
func (s *Service) Thread(ctx context.Context, zone string, id int64) (Thread, error) {
	p, err := s.findPost(ctx, s.db.Read(), id)
	if err != nil {
		return Thread{}, err
	}
	if p.Zone != zone || !seen(ctx, p.Status, p.AuthorID) {
		return Thread{}, errs.New(errs.NotFound, "board.post_not_found")
	}
	t := Thread{Post: p}
	rows, err := s.db.Query(ctx, `SELECT `+commentCols+` FROM board_comments WHERE post_id = $1 AND status <> 'deleted' ORDER BY created_at, id LIMIT 1000`, id)
	all, err := db.Collect(rows, err, scanComment)
	if err != nil {
		return Thread{}, err
	}
	for _, c := range all {
		if seen(ctx, c.Status, c.AuthorID) {
			c.ByPostAuthor = c.AuthorID == p.AuthorID
			t.Comments = append(t.Comments, c)
		}
	}
	one := []Post{t.Post}
	if err := s.decoratePosts(ctx, one); err != nil {
		return Thread{}, err
	}
	t.Post = one[0]
	return t, s.decorateComments(ctx, t.Comments)
}

// decoratePosts fills in the display names and what the viewer may do.
func (s *Service) decoratePosts(ctx context.Context, ps []Post) error {
	return s.decorate(ctx, len(ps), func(i int) byline {
		p := &ps[i]
		return byline{p.AuthorID, p.CreatedAt, &p.Author, &p.Mine, &p.CanChange}
	})
}

// byline is what a post and a comment share: who wrote it and when, and
// the fields decorate fills in.
type byline struct {
	authorID  int64
	created   time.Time
	author    *string
	mine      *bool
	canChange *bool
}

// decorate fills in the n items' display names and what the viewer may do
// with each; at gives the i-th item's byline.
func (s *Service) decorate(ctx context.Context, n int, at func(i int) byline) error {
	ids := make([]int64, n)
	for i := range n {
		ids[i] = at(i).authorID
	}
	names, err := s.names(ctx, ids)
	if err != nil {
		return err
	}
	me := viewerID(ctx)
	for i := range n {
		b := at(i)
		*b.author = names[b.authorID]
		*b.mine = me != 0 && me == b.authorID
		*b.canChange = *b.mine && s.mayChange(me, b.authorID, b.created) == nil
	}
	return nil
}

func (s *Service) names(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if s.opts.People == nil || len(ids) == 0 {
		return out, nil
	}
	full, err := s.opts.People.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, n := range full {
		out[id] = DisplayName(n)
	}
	return out, nil
}
