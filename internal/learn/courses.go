package learn

import (
	"context"
	"database/sql"
	"strings"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Course is a catalogue entry; people register for its dated sessions.
type Course struct {
	ID                 int64
	Code               string
	Theme              string
	Level              string
	TitleKo            string
	TitleEn            string
	SummaryKo          string
	SummaryEn          string
	SessionsToComplete int
	Demo               bool
}

const courseCols = `id, code, theme, level, title_ko, title_en, summary_ko, summary_en, sessions_to_complete, demo`

func scanCourse(row interface{ Scan(...any) error }) (Course, error) {
	var c Course
	err := row.Scan(&c.ID, &c.Code, &c.Theme, &c.Level, &c.TitleKo, &c.TitleEn, &c.SummaryKo, &c.SummaryEn, &c.SessionsToComplete, &c.Demo)
	return c, db.NotFound(err, "learn.course_not_found")
}

func (c *Course) validate() error {
	c.Code = strings.TrimSpace(c.Code)
	c.TitleKo = strings.TrimSpace(c.TitleKo)
	c.TitleEn = strings.TrimSpace(c.TitleEn)
	switch {
	case c.Code == "" || len(c.Code) > 40 || strings.ContainsAny(c.Code, " /?#"):
		return errs.Field("code", "learn.code_invalid")
	case !oneOf(c.Theme, Themes):
		return errs.Field("theme", "learn.theme_invalid")
	case !oneOf(c.Level, Levels):
		return errs.Field("level", "learn.level_invalid")
	case c.TitleKo == "" || utf8.RuneCountInString(c.TitleKo) > 120:
		return errs.Field("title_ko", "learn.title_invalid")
	case c.SessionsToComplete < 1 || c.SessionsToComplete > 50:
		return errs.Field("sessions_to_complete", "learn.sessions_to_complete_invalid")
	}
	if c.TitleEn == "" {
		c.TitleEn = c.TitleKo
	}
	return nil
}

// SaveCourse creates a course or updates the one with the same code.
func (s *Service) SaveCourse(ctx context.Context, c Course) (Course, error) {
	if err := c.validate(); err != nil {
		return c, err
	}
	return db.TxValue(ctx, s.db, func(tx *sql.Tx) (Course, error) { return saveCourse(ctx, tx, c) })
}

func saveCourse(ctx context.Context, q db.Querier, c Course) (Course, error) {
	return scanCourse(q.QueryRowContext(ctx, `INSERT INTO courses (code, theme, level, title_ko, title_en, summary_ko, summary_en, sessions_to_complete, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (code) DO UPDATE SET theme = excluded.theme, level = excluded.level, title_ko = excluded.title_ko, title_en = excluded.title_en,
			summary_ko = excluded.summary_ko, summary_en = excluded.summary_en, sessions_to_complete = excluded.sessions_to_complete
		RETURNING `+courseCols,
		c.Code, c.Theme, c.Level, c.TitleKo, c.TitleEn, c.SummaryKo, c.SummaryEn, c.SessionsToComplete, c.Demo))
}

// Course returns the course with id.
func (s *Service) Course(ctx context.Context, id int64) (Course, error) {
	return scanCourse(s.db.QueryRow(ctx, `SELECT `+courseCols+` FROM courses WHERE id = $1`, id))
}

// CourseByCode returns the course with code.
func (s *Service) CourseByCode(ctx context.Context, code string) (Course, error) {
	return scanCourse(s.db.QueryRow(ctx, `SELECT `+courseCols+` FROM courses WHERE code = $1`, code))
}

// Courses lists courses of a theme ("" for all), by title.
func (s *Service) Courses(ctx context.Context, theme string) ([]Course, error) {
	rows, err := s.db.Query(ctx, `SELECT `+courseCols+` FROM courses WHERE ($1 = '' OR theme = $1) ORDER BY theme, title_ko`, theme)
	return db.Collect(rows, err, scanCourse)
}
