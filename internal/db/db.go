package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL flavour behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB holds two pools. On SQLite, writes go through a single connection so
// writers queue in Go instead of failing with SQLITE_BUSY, while reads run
// concurrently under WAL. On PostgreSQL both are the same pool.
type DB struct {
	Dialect   Dialect
	read      *sql.DB
	write     *sql.DB
	stmts     sync.Map // query text -> *sql.Stmt on the read pool
	wstmts    sync.Map // query text -> *sql.Stmt on the write pool
	preparing sync.Map // query text -> true while being prepared on the write pool
}

// Open connects to a DSN of the form "sqlite:PATH", "sqlite::memory:" or a
// postgres:// (postgresql://) URL.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	default:
		return nil, fmt.Errorf("db: unsupported DSN %q: use sqlite:PATH or postgres://…", redact(dsn))
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("db: empty SQLite path")
	}
	q := url.Values{}
	// busy_timeout first so the other pragmas wait for a lock instead of failing.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	name := "file:" + path + "?" + q.Encode()
	if path == ":memory:" {
		// A shared in-memory database must be named so both pools see it.
		name = fmt.Sprintf("file:mem%d?mode=memory&cache=shared&%s", time.Now().UnixNano(), q.Encode())
	}
	if path != ":memory:" {
		if err := private(path); err != nil {
			return nil, err
		}
	}
	write, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", name)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()*2))
	read.SetMaxIdleConns(max(4, runtime.NumCPU()*2))
	d := &DB{Dialect: SQLite, read: read, write: write}
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	return d, nil
}

// private makes the database file readable by its owner only (0600),
// creating it so if it is new: it holds personal data and keyed secrets.
// SQLite gives its -wal and -shm files the database file's mode, and
// private narrows any left over from before.
func private(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("db: sqlite %s: %w", p, err)
		}
	}
	return nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(max(8, runtime.NumCPU()*4))
	p.SetMaxIdleConns(max(8, runtime.NumCPU()*4))
	p.SetConnMaxLifetime(30 * time.Minute)
	d := &DB{Dialect: Postgres, read: p, write: p}
	if err := d.Ping(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("db: connect postgres %s: %w", redact(dsn), err)
	}
	return d, nil
}

// Ping checks both pools; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.read.PingContext(ctx); err != nil {
		return err
	}
	return d.write.PingContext(ctx)
}

// Close closes both pools.
func (d *DB) Close() error {
	for _, m := range []*sync.Map{&d.stmts, &d.wstmts} {
		m.Range(func(_, st any) bool {
			st.(*sql.Stmt).Close()
			return true
		})
	}
	err := d.read.Close()
	if d.write != d.read {
		err = errors.Join(err, d.write.Close())
	}
	return err
}

// Read is the pool for queries that change nothing.
func (d *DB) Read() *sql.DB { return d.read }

// Query runs a read query through a prepared statement kept for the life
// of the pool: on hot pages, parsing the SQL again costs more than running it.
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := d.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRow is Query for a single row.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := d.stmt(ctx, q)
	if err != nil {
		return d.read.QueryRowContext(ctx, q, args...) // reports the same error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (d *DB) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := d.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := d.read.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := d.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// TxStmt is q prepared once on the write pool, for use in tx: statements
// that every business transaction runs should not be parsed every time.
// The first time, q is prepared in tx itself and on the pool once tx has
// given its connection back: on SQLite the pool has one connection, and tx
// holds it.
func (d *DB) TxStmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	if st, ok := d.wstmts.Load(q); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt)), nil
	}
	if _, busy := d.preparing.LoadOrStore(q, true); !busy {
		go func() {
			if p, err := d.write.PrepareContext(context.Background(), q); err == nil {
				if _, loaded := d.wstmts.LoadOrStore(q, p); loaded {
					p.Close()
				}
			}
			d.preparing.Delete(q)
		}()
	}
	return tx.PrepareContext(ctx, q)
}

// Tx runs fn in one write transaction, committing when fn returns nil.
func (d *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// TxValue is Tx for a transaction that makes one value: fn's, with the
// transaction's error.
func TxValue[T any](ctx context.Context, d *DB, fn func(tx *sql.Tx) (T, error)) (T, error) {
	var v T
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}

// LockTx makes the transactions that lock the same key take turns, each
// holding it until it ends: for counting what has no row to lock, such as
// the attempts of a rate limit, and then adding to it. On SQLite every write
// transaction takes its turn already; on PostgreSQL it is a transaction-level
// advisory lock on the key's hash.
func (d *DB) LockTx(ctx context.Context, tx *sql.Tx, key string) error {
	if d.Dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key)
	return err
}

// Exec runs a single write statement outside an explicit transaction.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.write.ExecContext(ctx, q, args...)
}

// Time normalises a time for storage: UTC, whole seconds. SQLite keeps times
// as text, and text compares in time order only when every value has the
// same shape.
func Time(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Querier is what both a pool and a transaction offer, so store helpers can
// run inside a caller's transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Write is the pool for statements that change data.
func (d *DB) Write() *sql.DB { return d.write }

// Scanner is a row: what *sql.Row and *sql.Rows have in common.
type Scanner = interface{ Scan(...any) error }

// Each calls fn on every row of a query, stops at its first error, and
// closes the rows: the one loop over rows that Collect and CollectMap, and
// any caller folding rows into something of its own, share.
func Each(rows *sql.Rows, err error, fn func(Scanner) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Collect scans every row of a query with scan, and closes the rows.
func Collect[T any](rows *sql.Rows, err error, scan func(Scanner) (T, error)) ([]T, error) {
	var out []T
	err = Each(rows, err, func(s Scanner) error {
		v, err := scan(s)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Column is Collect for a query of one column.
func Column[T any](rows *sql.Rows, err error) ([]T, error) {
	return Collect(rows, err, func(s Scanner) (T, error) {
		var v T
		err := s.Scan(&v)
		return v, err
	})
}

// CollectMap scans every row of a two-column query into m, the first column
// the key and the second its value, closes the rows and returns m (nil on
// an error). A caller that reads in chunks passes the same map each time.
func CollectMap[K comparable, V any](rows *sql.Rows, err error, m map[K]V) (map[K]V, error) {
	err = Each(rows, err, func(s Scanner) error {
		var k K
		var v V
		if err := s.Scan(&k, &v); err != nil {
			return err
		}
		m[k] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}
