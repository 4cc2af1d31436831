package dbtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
)

// Backends runs fn once per available backend, as a subtest named after it,
// each on a freshly migrated database.
func Backends(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// migrated is the empty, migrated database every store test starts from,
// built once per test binary and copied for each test.
var migrated = &Template[struct{}]{Name: "migrated"}

// SQLite returns a migrated database in a temporary file of its own.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	d, _ := migrated.SQLite(t)
	return d
}

// Postgres returns a migrated database of its own, or skips (fails under
// CI=true) when MAEUL_TEST_POSTGRES is not set.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	d, _ := migrated.Postgres(t)
	return d
}

// postgresBase returns MAEUL_TEST_POSTGRES, or skips the test (fails it
// under CI=true) when it is not set.
func postgresBase(t testing.TB) string {
	t.Helper()
	base := os.Getenv("MAEUL_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but MAEUL_TEST_POSTGRES is not set: the PostgreSQL store tests must run in CI")
		}
		t.Skip("PostgreSQL tests skipped: set MAEUL_TEST_POSTGRES=postgres://127.0.0.1:5432/test to run them")
	}
	return base
}

// PostgresDSN returns a DSN for a fresh, empty schema, or skips the test:
// for tests that migrate (or deliberately do not migrate) a database
// themselves, such as the upgrade tests and two instances starting at once.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := postgresBase(t)
	schema := uniqueName("t")
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin, err := db.Open(context.Background(), base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// uniqueName is a name for a schema or database no other test, and no other
// test binary running at the same time, uses: prefix, this process's id, a
// sequence number. The process id also lets a later binary drop what one
// that was killed left behind (sweepPostgres).
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s_%d_%d_%d", prefix, os.Getpid(), time.Now().UnixNano()%1e6, seq.Add(1))
}
