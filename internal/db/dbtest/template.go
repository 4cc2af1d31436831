package dbtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/maeul/maeul/internal/db"
)

// Template is a database built once per test binary and backend — migrated,
// then filled by Build — and copied for every test that asks for one: a file
// copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL. Tests get the
// same starting state as if each had built it, in a fraction of the time,
// and may run in parallel because each has its own copy.
//
// R is what Build returns besides the data (the demo city's staff
// passwords, say); every copy of one backend's template shares it.
type Template[R any] struct {
	// Name appears in the PostgreSQL template database's name, for people
	// looking at the server.
	Name string
	// Build fills the freshly migrated template; nil leaves it migrated
	// and empty.
	Build func(ctx context.Context, d *db.DB) (R, error)

	sqlite, postgres struct {
		once  sync.Once
		err   error
		res   R
		image []byte // SQLite: the database file
		name  string // PostgreSQL: the template database
	}
}

// SQLite returns a copy of the template in a temporary file, closed when t
// ends, and what Build returned.
func (tp *Template[R]) SQLite(t testing.TB) (*db.DB, R) {
	t.Helper()
	s := &tp.sqlite
	s.once.Do(func() { s.image, s.res, s.err = tp.buildSQLite() })
	if s.err != nil {
		t.Fatalf("dbtest: building the %s SQLite template: %v", tp.Name, s.err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, s.image, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, s.res
}

func (tp *Template[R]) buildSQLite() (image []byte, res R, err error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "maeul-template-")
	if err != nil {
		return nil, res, err
	}
	defer os.RemoveAll(dir)
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "build.db"))
	if err != nil {
		return nil, res, err
	}
	defer d.Close()
	if res, err = tp.fill(ctx, d); err != nil {
		return nil, res, err
	}
	// VACUUM INTO writes one self-contained file: no -wal to carry along.
	if err := d.BackupTo(ctx, filepath.Join(dir, "template.db")); err != nil {
		return nil, res, err
	}
	image, err = os.ReadFile(filepath.Join(dir, "template.db"))
	return image, res, err
}

func (tp *Template[R]) fill(ctx context.Context, d *db.DB) (res R, err error) {
	if _, err := d.Migrate(ctx); err != nil {
		return res, fmt.Errorf("migrate: %w", err)
	}
	if tp.Build == nil {
		return res, nil
	}
	return tp.Build(ctx, d)
}

// Postgres returns a database of its own created from the template, dropped
// when t ends, and what Build returned; it skips (fails under CI=true) when
// MAEUL_TEST_POSTGRES is not set.
func (tp *Template[R]) Postgres(t testing.TB) (*db.DB, R) {
	t.Helper()
	base := postgresBase(t)
	s := &tp.postgres
	s.once.Do(func() { s.name, s.res, s.err = tp.buildPostgres(base) })
	if s.err != nil {
		t.Fatalf("dbtest: building the %s PostgreSQL template: %v", tp.Name, s.err)
	}
	ctx := context.Background()
	name := uniqueName(dbPrefix)
	if err := adminExec(ctx, base, "CREATE DATABASE "+name+" TEMPLATE "+s.name); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, withDatabase(base, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.Close()
		dropLater(base, name)
	})
	return d, s.res
}

// dropLater drops a test's database in the background. DROP DATABASE makes
// the server checkpoint, which takes seconds on a busy machine: the next
// test need not wait for it. What is still queued when the binary exits is
// dropped by the next one's sweep.
func dropLater(base, name string) {
	dropperOnce.Do(func() {
		drops = make(chan [2]string, 256)
		go func() {
			for d := range drops {
				adminExec(context.Background(), d[0], "DROP DATABASE IF EXISTS "+d[1]+" WITH (FORCE)")
			}
		}()
	})
	drops <- [2]string{base, name}
}

// dbPrefix starts the name of every database the tests create, so that
// sweepPostgres can find those of test binaries that did not clean up.
const dbPrefix = "maeultest"

func (tp *Template[R]) buildPostgres(base string) (name string, res R, err error) {
	ctx := context.Background()
	sweepOnce.Do(func() { sweepPostgres(ctx, base) })
	name = uniqueName(dbPrefix + "_tpl_" + sanitize(tp.Name))
	if err := adminExec(ctx, base, "CREATE DATABASE "+name); err != nil {
		return "", res, err
	}
	d, err := db.Open(ctx, withDatabase(base, name))
	if err != nil {
		return "", res, err
	}
	res, err = tp.fill(ctx, d)
	// No connection may stay open to a template while it is copied.
	d.Close()
	if err != nil {
		return "", res, err
	}
	templates.Add(1)
	return name, res, nil
}

var (
	dropperOnce sync.Once
	drops       chan [2]string
	sweepOnce   sync.Once
	templates   atomic.Int64
	seq         atomic.Int64
)

// sweepPostgres drops the test databases of test binaries that are no longer
// running (killed, or ended before their cleanups ran: templates live as long
// as the binary, which has no hook at its end). It runs once per binary
// before its first template is built; the server is on this machine, so a
// process id that is not running means the database is abandoned.
func sweepPostgres(ctx context.Context, base string) {
	admin, err := db.Open(ctx, base)
	if err != nil {
		return
	}
	defer admin.Close()
	rows, err := admin.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE '`+dbPrefix+`\_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		if pid := ownerPID(name); pid > 0 && !running(pid) {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
}

// ownerPID reads the process id uniqueName put after the prefix (and, for a
// template, after "tpl" and its name).
func ownerPID(name string) int {
	parts := strings.Split(name, "_")
	// maeultest_PID_N_SEQ or maeultest_tpl_NAME_PID_N_SEQ
	if len(parts) < 4 {
		return 0
	}
	pid, err := strconv.Atoi(parts[len(parts)-3])
	if err != nil {
		return 0
	}
	return pid
}

func running(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	if _, err := os.Stat("/proc/self"); err != nil {
		return true // without /proc (not Linux) nothing is known: keep it
	}
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return !errors.Is(err, os.ErrNotExist)
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func adminExec(ctx context.Context, base, stmt string) error {
	admin, err := db.Open(ctx, base)
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.Exec(ctx, stmt)
	return err
}

// withDatabase replaces the database in a postgres:// URL (and drops any
// search_path, which named a schema of the old database).
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	// A test database need not survive a crash of the server: commits that
	// do not wait for the disk make the store tests several times faster
	// on a busy machine, and change nothing a test can observe.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}
