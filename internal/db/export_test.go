package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// MigrateTo applies the migrations up to version last, for the tests of a
// migration on the rows of an earlier schema.
func (d *DB) MigrateTo(ctx context.Context, last int) (int, error) { return d.migrateTo(ctx, last) }

// MigrationFiles is the directory of migrations Migrate reads.
func MigrationFiles() fs.FS { return migrationFiles }

// UseMigrationFiles makes Migrate read its migrations from fsys until
// restore is called: a test edits a landed migration without touching the
// real one.
func UseMigrationFiles(fsys fs.FS) (restore func()) {
	old := migrationFiles
	migrationFiles = fsys
	return func() { migrationFiles = old }
}

// EditedAfterLanding is the checksum pinned for each migration edited after
// it landed.
func EditedAfterLanding() map[int]string {
	out := map[int]string{}
	for v, e := range editedAfterLanding {
		out[v] = e.sum
	}
	return out
}

// MigrateUnsealed applies every NNNN_name.sql of fsys, in order, as the
// migrator did before migrations were sealed: schema_migrations without its
// checksum column. It makes the database an older build left behind.
func (d *DB) MigrateUnsealed(ctx context.Context, fsys fs.FS) error {
	if _, err := d.Exec(ctx, macros[d.Dialect].Replace(
		`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {{TIME}} NOT NULL)`)); err != nil {
		return err
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, file := range names {
		num, name, _ := strings.Cut(strings.TrimSuffix(file, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return err
		}
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			for _, stmt := range splitStatements(macros[d.Dialect].Replace(string(b))) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w\n%s", file, err, stmt)
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				v, name, Time(timeNow()))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
