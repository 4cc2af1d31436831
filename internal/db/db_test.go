package db_test

import (
	"context"
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
