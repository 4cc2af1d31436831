package db_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		n, err := d.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("second migrate applied %d migrations, want 0", n)
		}
	})
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ins := `INSERT INTO users (role, name, phone, created_at) VALUES ('citizen', 'x', '+821000000000', $1)`
		if _, err := d.Exec(ctx, ins, db.Time(time.Now())); err != nil {
			t.Fatal(err)
		}
		_, err := d.Exec(ctx, ins, db.Time(time.Now()))
		if !db.IsUniqueViolation(err) {
			t.Fatalf("err = %v, want a unique violation", err)
		}
	})
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	if _, err := db.Open(context.Background(), "mysql://x"); err == nil {
		t.Fatal("want an error for an unsupported DSN")
	}
}

// The database and its WAL files are readable by their owner only, even
// under a permissive umask and for a file that was created wider.
func TestSQLiteFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "maeul.db")
	wide := filepath.Join(dir, "wide.db")
	if err := os.WriteFile(wide, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, wide} {
		d, err := db.Open(context.Background(), "sqlite:"+p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{p, p + "-wal", p + "-shm"} {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v", filepath.Base(f), st.Mode().Perm())
			}
		}
		d.Close()
	}
}

func TestColumnAndCollectMap(t *testing.T) {
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for i, phone := range []string{"+821000000001", "+821000000002"} {
			if _, err := d.Exec(ctx, `INSERT INTO users (role, name, phone, created_at) VALUES ('citizen', $1, $2, $3)`,
				string(rune('a'+i)), phone, db.Time(time.Now())); err != nil {
				t.Fatal(err)
			}
		}
		names, err := db.Column[string](d.Query(ctx, `SELECT name FROM users WHERE phone LIKE '+8210000000%' ORDER BY name`))
		if err != nil || len(names) != 2 || names[0] != "a" || names[1] != "b" {
			t.Fatalf("Column = %q, %v; want [a b]", names, err)
		}
		rows, err := d.Query(ctx, `SELECT phone, name FROM users WHERE phone LIKE '+8210000000%'`)
		byPhone, err := db.CollectMap(rows, err, map[string]string{"kept": "x"})
		if err != nil || len(byPhone) != 3 || byPhone["+821000000002"] != "b" || byPhone["kept"] != "x" {
			t.Fatalf("CollectMap = %v, %v", byPhone, err)
		}
		rows, err = d.Query(ctx, `SELECT nope FROM users`)
		if m, err := db.CollectMap(rows, err, map[string]string{}); err == nil || m != nil {
			t.Fatalf("CollectMap of a failing query = %v, %v; want nil and the error", m, err)
		}
	})
}
