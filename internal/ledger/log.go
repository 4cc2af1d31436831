package ledger

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/db"
)

// Log is the platform's ledger on its database.
type Log struct {
	db     *db.DB
	keys   *keys
	origin string
	Policy Policy // who must cosign before a checkpoint is published
	Now    func() time.Time
}

// New returns the ledger of d. origin names the log in its checkpoints
// (e.g. "maeul.busan.go.kr/ledger") and must never change; secret is the
// platform's secret, from which the signing and pseudonym keys derive.
// Without a secret the log serves what it holds but records nothing new,
// as the issuer then publishes its keys but signs nothing.
func New(d *db.DB, origin string, secret []byte) (*Log, error) {
	l := &Log{db: d, origin: origin, Now: time.Now}
	if secret == nil {
		return l, nil
	}
	k, err := deriveKeys(secret, origin)
	if err != nil {
		return nil, err
	}
	l.keys = k
	return l, nil
}

// ErrNoSecret is returned for what needs the platform's secret.
var ErrNoSecret = errors.New("ledger: no platform secret is configured, so nothing can be recorded or signed")

// Origin is the log's name in its checkpoints.
func (l *Log) Origin() string { return l.origin }

// VerifierKey is the note verifier key of the log's checkpoints.
func (l *Log) VerifierKey() string {
	if l.keys == nil {
		return ""
	}
	return l.keys.vkey
}

// Pseudonym is how the ledger names a person (kind "resident") or a
// merchant ("merchant") with the platform's id for them; "" without the
// platform's secret, when nothing can be appended anyway.
func (l *Log) Pseudonym(kind, id string) string {
	if l.keys == nil {
		return ""
	}
	return l.keys.pseudonym(kind, id)
}

// appendBatch bounds the rows of one INSERT: SQLite looks $N placeholders
// up by name, in time that grows with their number.
const appendBatch = 64

// AppendTx sequences entries inside the caller's transaction and returns
// the index of the first. The sequence row is locked until the transaction
// ends, so indices are given in commit order with no gaps: a rolled-back
// change leaves no entry and no hole.
func (l *Log) AppendTx(ctx context.Context, tx *sql.Tx, entries ...Entry) (uint64, error) {
	if l.keys == nil {
		return 0, ErrNoSecret
	}
	if len(entries) == 0 {
		return 0, errors.New("ledger: nothing to append")
	}
	data := make([][]byte, len(entries))
	for i, e := range entries {
		if e.At == 0 {
			e.At = l.Now().Unix()
		}
		b, err := e.Marshal()
		if err != nil {
			return 0, err
		}
		data[i] = b
	}
	var next int64
	if err := tx.QueryRowContext(ctx, `UPDATE ledger_sequence SET next_index = next_index + $1 WHERE id = 1 RETURNING next_index`,
		len(data)).Scan(&next); err != nil {
		return 0, err
	}
	first := next - int64(len(data))
	for start := 0; start < len(data); start += appendBatch {
		end := min(start+appendBatch, len(data))
		var q strings.Builder
		q.WriteString(`INSERT INTO ledger_entries (idx, data) VALUES `)
		args := make([]any, 0, 2*(end-start))
		for i := start; i < end; i++ {
			if i > start {
				q.WriteString(", ")
			}
			n := len(args)
			q.WriteString("($" + strconv.Itoa(n+1) + ", $" + strconv.Itoa(n+2) + ")")
			args = append(args, first+int64(i), data[i])
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return 0, err
		}
	}
	return uint64(first), nil
}

// Append appends entries in a transaction of their own.
func (l *Log) Append(ctx context.Context, entries ...Entry) (uint64, error) {
	var first uint64
	err := l.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		first, err = l.AppendTx(ctx, tx, entries...)
		return err
	})
	return first, err
}

// Sequenced is the number of entries appended and committed.
func (l *Log) Sequenced(ctx context.Context) (uint64, error) {
	var n int64
	err := l.db.QueryRow(ctx, `SELECT next_index FROM ledger_sequence WHERE id = 1`).Scan(&n)
	return uint64(n), err
}
