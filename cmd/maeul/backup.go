package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/maeul/maeul/internal/db"
)

func runBackup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("backup", "backup --out FILE [--db DSN]")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	out := fs.String("out", "", "the backup file to write (never overwritten); SQLite: a database file, PostgreSQL: pg_dump's custom format")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE is required")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s already exists: give a new file", *out)
	}
	if path, ok := strings.CutPrefix(*dsn, "sqlite:"); ok {
		// Opening would create a database that is not there.
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no database to back up: %w", err)
		}
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	err = d.BackupTo(ctx, *out)
	if errors.Is(err, db.ErrBackupElsewhere) {
		d.Close()
		return pgDump(ctx, *dsn, *out, stdout)
	}
	if err != nil {
		return err
	}
	fi, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up the database to %s (%d bytes, mode 0600; checked whole). It holds personal data: keep it like the database.\n", *out, fi.Size())
	if path, ok := strings.CutPrefix(*dsn, "sqlite:"); ok {
		fmt.Fprintf(stdout, "The issuer secret is not in it: keep a copy of %s.issuer-secret (or MAEUL_ISSUER_SECRET) apart from it;\n"+
			"without that secret the city's signing keys in the backup cannot be used, and the ledger cannot go on.\n", path)
	}
	return nil
}

// pgDump backs up a PostgreSQL database with pg_dump when it is installed,
// and otherwise says how.
func pgDump(ctx context.Context, dsn, out string, stdout io.Writer) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		fmt.Fprintf(stdout, "PostgreSQL is backed up with its own tool, pg_dump (package postgresql-client), of the server's major version or newer:\n\n"+
			"  pg_dump --format=custom --no-owner --file=%s --dbname=\"$MAEUL_DB\"\n\n"+
			"and restored into an empty database with:\n\n"+
			"  pg_restore --no-owner --dbname=postgres://…/maeul %s\n\n"+
			"It takes a consistent snapshot while Maeul keeps running. MAEUL_ISSUER_SECRET is not in the database: keep it apart.\n", out, out)
		return errors.New("pg_dump is not installed, so no backup was made")
	}
	args := []string{"--format=custom", "--no-owner", "--file=" + out}
	var env []string
	if u, err := url.Parse(dsn); err == nil {
		// A password goes by the environment, not by the command line
		// that any user of the machine can list.
		if pw, ok := u.User.Password(); ok {
			u.User = url.User(u.User.Username())
			env = append(os.Environ(), "PGPASSWORD="+pw)
		}
		// search_path is the driver's (pgx), for Maeul in a schema of its
		// own; pg_dump takes it as --schema.
		q := u.Query()
		if sp := q.Get("search_path"); sp != "" {
			q.Del("search_path")
			u.RawQuery = q.Encode()
			args = append(args, "--schema="+sp)
		}
		dsn = u.String()
	}
	args = append(args, "--dbname="+dsn)
	// Made first, so that pg_dump writes into a file only its owner reads.
	f, err := os.OpenFile(out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr, cmd.Env = stdout, os.Stderr, env
	if err := cmd.Run(); err != nil {
		os.Remove(out)
		return fmt.Errorf("pg_dump: %w", err)
	}
	fmt.Fprintf(stdout, "Backed up the database with pg_dump to %s (custom format, mode 0600; restore with pg_restore --no-owner --dbname=DSN %s).\n"+
		"MAEUL_ISSUER_SECRET is not in it: keep it apart.\n", out, out)
	return nil
}
