package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// ErrBackupElsewhere is BackupTo's answer on PostgreSQL, whose own tool,
// pg_dump, makes a consistent copy of a running database.
var ErrBackupElsewhere = errors.New("db: PostgreSQL is backed up with pg_dump")

// BackupTo writes a consistent copy of a SQLite database, taken while it is
// in use (VACUUM INTO: one read transaction, so writers carry on), to a new
// file at path, readable by its owner only, and checks that the copy opens
// and is whole. A file already at path is never overwritten.
func (d *DB) BackupTo(ctx context.Context, path string) error {
	if d.Dialect != SQLite {
		return ErrBackupElsewhere
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("db: backup: %s already exists", path)
	}
	// Written beside its final name, then renamed: a backup that stops
	// half-way never looks like a whole one.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	tmp.Close() // an empty file, mode 0600: VACUUM INTO fills it
	defer os.Remove(tmp.Name())
	if _, err := d.read.ExecContext(ctx, `VACUUM INTO $1`, tmp.Name()); err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	if err := checkSQLite(ctx, tmp.Name()); err != nil {
		return fmt.Errorf("db: backup: the copy is not whole: %w", err)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("db: backup: %s already exists", path)
	}
	return os.Rename(tmp.Name(), path)
}

// checkSQLite opens the SQLite file at path read-only and runs SQLite's
// integrity check.
func checkSQLite(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	var result string
	if err := c.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return errors.New(result)
	}
	return nil
}
