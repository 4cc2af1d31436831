package db_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// TestSQLiteBackupIsConsistentAndWhole: a backup taken while another
// goroutine keeps writing opens as a database of its own, holds every row
// written before it began, is readable by its owner only, and is never
// written over.
func TestSQLiteBackupIsConsistentAndWhole(t *testing.T) {
	ctx := context.Background()
	d := dbtest.SQLite(t)
	ins := `INSERT INTO users (role, name, phone, created_at) VALUES ('citizen', $1, $2, $3)`
	for i := range 200 {
		if _, err := d.Exec(ctx, ins, "before", fmt.Sprintf("+82100%07d", i), db.Time(time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			d.Exec(ctx, ins, "during", fmt.Sprintf("+82109%07d", i), db.Time(time.Now()))
		}
	})
	out := filepath.Join(t.TempDir(), "backup.db")
	err := d.BackupTo(ctx, out)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	b, err := db.Open(ctx, "sqlite:"+out)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var before int
	if err := b.QueryRow(ctx, `SELECT count(*) FROM users WHERE name = 'before'`).Scan(&before); err != nil || before != 200 {
		t.Fatalf("rows in the backup: %d %v", before, err)
	}
	if n, err := b.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("the backup's schema is not current: %d migrations to apply, %v", n, err)
	}
	if err := d.BackupTo(ctx, out); err == nil {
		t.Fatal("a backup was written over an existing file")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".backup.db.partial-*")); len(left) != 0 {
		t.Fatalf("partial files left: %v", left)
	}
}

func TestPostgresIsBackedUpElsewhere(t *testing.T) {
	d := dbtest.Postgres(t)
	if err := d.BackupTo(context.Background(), filepath.Join(t.TempDir(), "x")); !errors.Is(err, db.ErrBackupElsewhere) {
		t.Fatalf("PostgreSQL backup: %v", err)
	}
}
