package db

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/maeul/maeul/internal/errs"
)

var timeNow = time.Now

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either backend, so stores can turn it into a conflict the user understands.
func IsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// NotFound is err, except that a query that found no row (sql.ErrNoRows)
// becomes the refusal errs.New(errs.NotFound, key): what a store's lookup
// of one record returns.
func NotFound(err error, key string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.New(errs.NotFound, key)
	}
	return err
}
