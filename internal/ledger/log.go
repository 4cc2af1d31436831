package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// Pseudonym is how the ledger names a merchant (kind "merchant") with the
// platform's id for it, the same in every entry; "" without the platform's
// secret, when nothing can be appended anyway. Version 1 entries named
// people ("resident") so too; version 2 entries name them only by a
// commitment to their Owner.
func (l *Log) Pseudonym(kind, id string) string {
	if l.keys == nil {
		return ""
	}
	return l.keys.pseudonym(kind, id)
}

// Owner is how the ledger names a person (kind "resident") with the
// platform's id for them in an entry to append (Entry.Owner) and in the
// opening their receipt carries; "" without the platform's secret. No
// published entry holds it.
func (l *Log) Owner(kind, id string) string {
	if l.keys == nil {
		return ""
	}
	return l.keys.owner(kind, id)
}

// AppendTx writes entries inside the caller's transaction, so that they
// exist exactly when the change they record does, and returns their
// sequence numbers, by which receipts are found. It writes them in format
// version 2 (see seal): an entry about a person gives its Owner, and the
// ledger seals it with a fresh commitment, keeping the opening privately
// for the person's receipt (beside the entry in ledger_pending, then in
// ledger_openings). It is one insert per db.RowsPerInsert entries and
// locks nothing shared: the integrator gives entries their index in the
// order it finds them committed.
func (l *Log) AppendTx(ctx context.Context, tx *sql.Tx, entries ...Entry) ([]int64, error) {
	if l.keys == nil {
		return nil, ErrNoSecret
	}
	if len(entries) == 0 {
		return nil, errors.New("ledger: nothing to append")
	}
	now := l.Now().Unix()
	data := make([][]byte, len(entries))
	openings := make([]*Opening, len(entries))
	for i, e := range entries {
		sealed, o, err := seal(e, now)
		if err != nil {
			return nil, err
		}
		if data[i], err = sealed.Marshal(); err != nil {
			return nil, err
		}
		openings[i] = o
	}
	seqs := make([]int64, 0, len(entries))
	for start := 0; start < len(data); start += db.RowsPerInsert {
		end := min(start+db.RowsPerInsert, len(data))
		got, err := l.insertPending(ctx, tx, data[start:end], openings[start:end])
		if err != nil {
			return nil, err
		}
		seqs = append(seqs, got...)
	}
	return seqs, nil
}

// insertPending inserts entries with their openings (nil for an entry
// about nobody) in one statement and returns their sequence numbers in the
// order given. A statement's RETURNING rows come in no promised order, so
// each is matched to its entry by its bytes; entries with the same bytes
// are the same entry (about nobody: an entry about a person has a subject
// of its own), and may take either.
func (l *Log) insertPending(ctx context.Context, tx *sql.Tx, data [][]byte, openings []*Opening) ([]int64, error) {
	st, err := l.db.TxStmt(ctx, tx, `INSERT INTO ledger_pending (data, owner, salt) VALUES `+db.Values(len(data), 3)+` RETURNING id, data`)
	if err != nil {
		return nil, err
	}
	args := make([]any, 0, 3*len(data))
	for i, d := range data {
		if o := openings[i]; o != nil {
			args = append(args, d, o.Owner, o.Salt)
		} else {
			args = append(args, d, nil, nil)
		}
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[string][]int64, len(data))
	for rows.Next() {
		var id int64
		var d []byte
		if err := rows.Scan(&id, &d); err != nil {
			return nil, err
		}
		ids[string(d)] = append(ids[string(d)], id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	seqs := make([]int64, len(data))
	for i, d := range data {
		q := ids[string(d)]
		if len(q) == 0 {
			return nil, errors.New("ledger: an appended entry came back without its sequence number")
		}
		seqs[i], ids[string(d)] = q[0], q[1:]
	}
	return seqs, nil
}

// Append appends entries in a transaction of their own.
func (l *Log) Append(ctx context.Context, entries ...Entry) ([]int64, error) {
	return db.TxValue(ctx, l.db, func(tx *sql.Tx) ([]int64, error) { return l.AppendTx(ctx, tx, entries...) })
}

// Appended is the number of entries written and committed: those in the
// tree and those waiting to be integrated.
func (l *Log) Appended(ctx context.Context) (uint64, error) {
	var n int64
	err := l.db.QueryRow(ctx, `SELECT (SELECT size FROM ledger_tree WHERE id = 1) + (SELECT COUNT(*) FROM ledger_pending)`).Scan(&n)
	return uint64(n), err
}

// Entries integrates what was appended, then calls fn with every entry of
// the tree from index from on, in order: the ledger as an auditor replays
// it, read from the database, for reconciliations and checks.
func (l *Log) Entries(ctx context.Context, from uint64, fn func(index uint64, e Entry) error) error {
	if _, err := l.Integrate(ctx); err != nil {
		return err
	}
	for {
		// Pages, so that no read holds a snapshot of a million rows.
		rows, err := l.db.Query(ctx, `SELECT idx, data FROM ledger_entries WHERE idx >= $1 ORDER BY idx LIMIT $2`, int64(from), entriesPage)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var idx int64
			var data []byte
			if err := rows.Scan(&idx, &data); err != nil {
				rows.Close()
				return err
			}
			if uint64(idx) != from {
				rows.Close()
				return fmt.Errorf("ledger: entry %d is missing from the database", from)
			}
			e, err := ParseEntry(data)
			if err != nil {
				rows.Close()
				return fmt.Errorf("ledger: entry %d: %w", idx, err)
			}
			if err := fn(uint64(idx), e); err != nil {
				rows.Close()
				return err
			}
			from++
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil || n < entriesPage {
			return err
		}
	}
}

const entriesPage = 10_000
