package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// TestBackupSQLite: `maeul backup` copies a SQLite database into a file
// that opens and holds its accounts, and refuses to write over a file or
// to back up a database that is not there.
func TestBackupSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "maeul.db")
	var out bytes.Buffer
	if err := runUser(ctx, []string{"create", "--db", dsn, "--role", "sysadmin", "--username", "backup-admin", "--name", "관리자", "--password", "a long password 1"}, &out); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "backup.db")
	if err := runBackup(ctx, []string{"--db", dsn, "--out", file}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Backed up the database to "+file) || !strings.Contains(out.String(), "maeul.db.issuer-secret") {
		t.Errorf("printed:\n%s", out.String())
	}
	b, err := db.Open(ctx, "sqlite:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if u, err := auth.NewUsers(b).ByUsername(ctx, "backup-admin"); err != nil || u.Name != "관리자" {
		t.Fatalf("the account in the backup: %+v %v", u, err)
	}
	if err := runBackup(ctx, []string{"--db", dsn, "--out", file}, &out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if err := runBackup(ctx, []string{"--db", "sqlite:" + filepath.Join(dir, "none.db"), "--out", filepath.Join(dir, "b2.db")}, &out); err == nil {
		t.Error("a database that is not there was backed up")
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("backing up a missing database created it")
	}
	if err := runBackup(ctx, []string{"--db", dsn}, &out); err == nil {
		t.Error("no --out accepted")
	}
}

// TestBackupPostgres runs pg_dump, when it is installed, on a migrated
// database in a schema of its own (as the DSN's search_path names it).
func TestBackupPostgres(t *testing.T) {
	t.Parallel()
	dsn := dbtest.PostgresDSN(t)
	if _, err := exec.LookPath("pg_dump"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but pg_dump is not installed (it comes with PostgreSQL's client, postgresql-client)")
		}
		t.Skip("pg_dump is not installed")
	}
	ctx := context.Background()
	d, err := openDB(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	file := filepath.Join(t.TempDir(), "maeul.pgdump")
	var out bytes.Buffer
	if err := runBackup(ctx, []string{"--db", dsn, "--out", file}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	b, err := os.ReadFile(file)
	if err != nil || !bytes.HasPrefix(b, []byte("PGDMP")) || !bytes.Contains(b, []byte("schema_migrations")) {
		t.Fatalf("not a pg_dump archive of the schema (%d bytes, %v)", len(b), err)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
}
