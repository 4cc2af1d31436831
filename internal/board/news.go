package board

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// News is a notice staff write for a zone: a road closure, a health day.
type News struct {
	ID          int64
	Zone        string
	Title       string
	Body        string
	Published   bool
	Pinned      bool
	AuthorID    int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt time.Time // zero until first published
}

// Paragraphs is the body as paragraphs of lines.
func (n News) Paragraphs() [][]string { return Paragraphs(n.Body) }

// NewsInput is what staff send.
type NewsInput struct {
	Zone      string
	Title     string
	Body      string
	Published bool
	Pinned    bool
}

const newsCols = `id, zone_code, title, body, published, pinned, author_id, created_at, updated_at, published_at`

func scanNews(row db.Scanner) (News, error) {
	var n News
	var pub sql.NullTime
	err := row.Scan(&n.ID, &n.Zone, &n.Title, &n.Body, &n.Published, &n.Pinned, &n.AuthorID, &n.CreatedAt, &n.UpdatedAt, &pub)
	n.PublishedAt = pub.Time
	return n, err
}

func mayWriteNews(ctx context.Context) (*actor.Actor, error) {
	return actor.Require(ctx, staffRoles...)
}

// SaveNews writes a new notice (id 0) or changes one, for centre admins
// and operators. A notice gets its publication date when first published.
func (s *Service) SaveNews(ctx context.Context, id int64, in NewsInput) (News, error) {
	a, err := mayWriteNews(ctx)
	if err != nil {
		return News{}, err
	}
	if _, err := s.opts.Zones.Zone(ctx, in.Zone); err != nil {
		return News{}, errs.Field("zone", "board.zone_required")
	}
	if err := checkText("title", &in.Title, MaxNewsTitle, true); err != nil {
		return News{}, err
	}
	if err := checkText("body", &in.Body, MaxNewsBody, true); err != nil {
		return News{}, err
	}
	now := db.Time(s.Now())
	var n News
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var pub sql.NullTime
		if in.Published {
			pub = sql.NullTime{Time: now, Valid: true}
		}
		action := "board.news.update"
		if id == 0 {
			action = "board.news.create"
			n, err = scanNews(tx.QueryRowContext(ctx, `INSERT INTO board_news (zone_code, title, body, published, pinned, author_id, created_at, updated_at, published_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING `+newsCols, in.Zone, in.Title, in.Body, in.Published, in.Pinned, a.ID, now, pub))
		} else {
			n, err = scanNews(tx.QueryRowContext(ctx, `UPDATE board_news SET zone_code = $2, title = $3, body = $4, published = $5, pinned = $6,
				updated_at = $7, published_at = COALESCE(published_at, $8) WHERE id = $1 RETURNING `+newsCols,
				id, in.Zone, in.Title, in.Body, in.Published, in.Pinned, now, pub))
			if errors.Is(err, sql.ErrNoRows) {
				return errs.New(errs.NotFound, "board.news_not_found")
			}
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: action, SubjectType: "board_news", SubjectID: n.ID})
	})
	if err != nil {
		return News{}, err
	}
	return n, nil
}

// NewsItem returns one notice, for staff to edit.
func (s *Service) NewsItem(ctx context.Context, id int64) (News, error) {
	if _, err := mayWriteNews(ctx); err != nil {
		return News{}, err
	}
	n, err := scanNews(s.db.QueryRow(ctx, `SELECT `+newsCols+` FROM board_news WHERE id = $1`, id))
	return n, db.NotFound(err, "board.news_not_found")
}

// ZoneNews lists a zone's published notices: pinned first, then newest.
func (s *Service) ZoneNews(ctx context.Context, zone string, limit int) ([]News, error) {
	rows, err := s.db.Query(ctx, `SELECT `+newsCols+` FROM board_news WHERE zone_code = $1 AND published = $2
		ORDER BY pinned DESC, published_at DESC, id DESC LIMIT $3`, zone, true, limit)
	return db.Collect(rows, err, scanNews)
}

// AllNews lists every notice of a zone, drafts included, for staff.
func (s *Service) AllNews(ctx context.Context, zone string) ([]News, error) {
	if _, err := mayWriteNews(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+newsCols+` FROM board_news WHERE zone_code = $1 ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT 500`, zone)
	return db.Collect(rows, err, scanNews)
}
