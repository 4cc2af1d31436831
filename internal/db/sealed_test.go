package db_test

import (
	"bufio"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

const golden = "testdata/migrations.sha256"

// sealed reads the golden list: file name → SHA-256, as sha256sum prints it.
func sealed(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(golden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		sum, file, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("%s:%d: want \"SHA-256  NNNN_name.sql\", as sha256sum prints it", golden, n)
		}
		out[file] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMigrationsAreSealed fails when a landed migration is edited: every
// database that applied it keeps what it said then, and a start on one of
// them would refuse. A new migration is sealed by adding its line.
func TestMigrationsAreSealed(t *testing.T) {
	want := sealed(t)
	ms, err := db.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		sum, ok := want[m.File]
		delete(want, m.File)
		switch {
		case !ok:
			t.Errorf("%s is new: seal it, once it is final, by adding its line to internal/db/%s:\n"+
				"\t(cd internal/db/migrations && sha256sum %s) >> internal/db/%s", m.File, golden, m.File, golden)
		case sum != m.Checksum:
			t.Errorf("%s was edited after it landed (SHA-256 %s, sealed as %s).\n"+
				"\tLanded migrations are never edited: restore it (git diff main -- internal/db/migrations/%s shows the edit)\n"+
				"\tand put the change in a new migration. Databases that applied it would refuse to start.",
				m.File, m.Checksum, sum, m.File)
		}
	}
	for file := range want {
		t.Errorf("%s is sealed in %s but gone: a landed migration is never removed", file, golden)
	}
}

// The checksums migrate.go pins for the migrations edited before sealing
// are the sealed ones.
func TestEditedMigrationsArePinned(t *testing.T) {
	want := sealed(t)
	ms, err := db.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	pinned := db.EditedAfterLanding()
	if len(pinned) != 5 {
		t.Errorf("%d migrations pinned as edited after landing, want 5 (0009, 0013, 0018, 0021, 0023)", len(pinned))
	}
	for _, m := range ms {
		if sum, ok := pinned[m.Version]; ok && sum != want[m.File] {
			t.Errorf("%s: pinned %s in editedAfterLanding, sealed %s", m.File, sum, want[m.File])
		}
	}
}

// editedFiles is the embedded migrations with file's text changed.
func editedFiles(t *testing.T, file string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(db.MigrationFiles(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(db.MigrationFiles(), p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := out[file]
	if !ok {
		t.Fatalf("no migration %s", file)
	}
	f.Data = append(append([]byte(nil), f.Data...), "\n-- an afterthought\nCREATE INDEX places_afterthought ON schema_migrations (name);\n"...)
	return out
}

func checksums(t *testing.T, d *db.DB) map[int]sql.NullString {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT version, checksum FROM schema_migrations`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]sql.NullString{}
	for rows.Next() {
		var v int
		var s sql.NullString
		if err := rows.Scan(&v, &s); err != nil {
			t.Fatal(err)
		}
		out[v] = s
	}
	return out
}

// A fresh database records every migration's checksum; a start after one of
// them changed refuses, naming it, and changes nothing.
func TestMigrateRefusesAnEditedMigration(t *testing.T) {
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ms, err := db.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		before := checksums(t, d)
		for _, m := range ms {
			if got := before[m.Version]; got.String != m.Checksum {
				t.Errorf("%s: checksum %v recorded, want %s", m.File, got, m.Checksum)
			}
		}
		defer db.UseMigrationFiles(editedFiles(t, "0016_places.sql"))()
		_, err = d.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), "migration 0016_places.sql was changed after this database applied it") {
			t.Fatalf("err = %v, want a refusal naming 0016_places.sql", err)
		}
		t.Log(err)
		if after := checksums(t, d); len(after) != len(before) || after[16] != before[16] {
			t.Errorf("refusing changed schema_migrations: %v", after)
		}
	})
}
