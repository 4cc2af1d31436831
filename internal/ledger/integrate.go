package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

var (
	hasher = rfc6962.DefaultHasher
	ranges = &compact.RangeFactory{Hash: hasher.HashChildren}
)

// integrateBatch bounds the entries one transaction integrates, so that a
// long backlog does not hold the tree's lock for long.
const integrateBatch = 1 << 14

// Integrate adds every sequenced entry to the tree, stores the tiles that
// changed and signs a checkpoint of the new size. It returns the tree size.
// Instances may call it at once: the tree row's lock makes them take turns.
func (l *Log) Integrate(ctx context.Context) (uint64, error) {
	if l.keys == nil {
		return 0, ErrNoSecret
	}
	for {
		size, more, err := l.integrateOnce(ctx)
		if err != nil || !more {
			return size, err
		}
	}
}

func (l *Log) integrateOnce(ctx context.Context) (uint64, bool, error) {
	var size uint64
	more := false
	err := l.db.Tx(ctx, func(tx *sql.Tx) error {
		var s int64
		var packed []byte
		if err := tx.QueryRowContext(ctx, `UPDATE ledger_tree SET size = size WHERE id = 1 RETURNING size, compact`).Scan(&s, &packed); err != nil {
			return err
		}
		size = uint64(s)
		rows, err := tx.QueryContext(ctx, `SELECT id, data FROM ledger_pending ORDER BY id LIMIT $1`, integrateBatch+1)
		if err != nil {
			return err
		}
		var seqs []int64
		var data [][]byte
		for rows.Next() {
			var id int64
			var d []byte
			if err := rows.Scan(&id, &d); err != nil {
				rows.Close()
				return err
			}
			seqs, data = append(seqs, id), append(data, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if more = len(seqs) > integrateBatch; more {
			seqs, data = seqs[:integrateBatch], data[:integrateBatch]
		}
		if len(seqs) == 0 {
			return l.checkpointIfNone(ctx, tx, size, packed)
		}
		r, err := ranges.NewRange(0, size, split(packed))
		if err != nil {
			return fmt.Errorf("ledger: stored tree state: %w", err)
		}
		tiles := newTileWriter(tx)
		for _, d := range data {
			if err := r.Append(hasher.HashLeaf(d), tiles.visit); err != nil {
				return err
			}
		}
		if err := moveEntries(ctx, tx, size, seqs, data); err != nil {
			return err
		}
		end := size + uint64(len(seqs))
		if err := tiles.flush(ctx); err != nil {
			return err
		}
		packed = join(r.Hashes())
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_tree SET size = $1, compact = $2 WHERE id = 1`, int64(end), packed); err != nil {
			return err
		}
		size = end
		return l.checkpoint(ctx, tx, r)
	})
	return size, more, err
}

// moveEntries gives pending entries their indices from first on, and
// keeps the openings that waited beside them in the private table.
func moveEntries(ctx context.Context, tx *sql.Tx, first uint64, seqs []int64, data [][]byte) error {
	for start := 0; start < len(seqs); start += insertBatch {
		end := min(start+insertBatch, len(seqs))
		var q strings.Builder
		q.WriteString(`INSERT INTO ledger_entries (idx, seq, data) VALUES `)
		args := make([]any, 0, 3*(end-start))
		for i := start; i < end; i++ {
			if i > start {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, $%d, $%d)", n+1, n+2, n+3)
			args = append(args, int64(first)+int64(i), seqs[i], data[i])
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_openings (seq, owner, salt) SELECT id, owner, salt FROM ledger_pending
		WHERE owner IS NOT NULL AND id IN (SELECT seq FROM ledger_entries WHERE idx >= $1)`, int64(first)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM ledger_pending WHERE id IN (SELECT seq FROM ledger_entries WHERE idx >= $1)`, int64(first))
	return err
}

// insertBatch bounds the rows of one INSERT: SQLite looks $N placeholders
// up by name, in time that grows with their number.
const insertBatch = 64

// checkpointIfNone signs the first checkpoint, of the empty tree, so that a
// new log has something to publish.
func (l *Log) checkpointIfNone(ctx context.Context, tx *sql.Tx, size uint64, packed []byte) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_checkpoints`).Scan(&n); err != nil || n > 0 {
		return err
	}
	r, err := ranges.NewRange(0, size, split(packed))
	if err != nil {
		return err
	}
	return l.checkpoint(ctx, tx, r)
}

func (l *Log) checkpoint(ctx context.Context, tx *sql.Tx, r *compact.Range) error {
	root, err := r.GetRootHash(nil)
	if err != nil {
		return err
	}
	if r.End() == 0 {
		root = hasher.EmptyRoot()
	}
	body := log.Checkpoint{Origin: l.origin, Size: r.End(), Hash: root}.Marshal()
	signed, err := note.Sign(&note.Note{Text: string(body)}, l.keys.signer)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO ledger_checkpoints (size, note, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (size) DO NOTHING`, int64(r.End()), string(signed), db.Time(l.Now()))
	return err
}

// Checkpoint is the newest published checkpoint, as a C2SP signed note
// with the witnesses' cosignatures.
func (l *Log) Checkpoint(ctx context.Context) ([]byte, error) {
	cp, _, err := l.latest(ctx)
	if err != nil || cp != "" {
		return []byte(cp), err
	}
	if err := l.Update(ctx); errors.Is(err, ErrNoSecret) {
		return nil, errs.New(errs.NotFound, "ledger.no_checkpoint")
	} else if err != nil {
		return nil, err
	}
	cp, _, err = l.latest(ctx)
	if err == nil && cp == "" {
		err = errs.New(errs.NotFound, "ledger.no_checkpoint")
	}
	return []byte(cp), err
}

// Update integrates what was appended and publishes the new checkpoint:
// what every instance's background job does each second.
func (l *Log) Update(ctx context.Context) error {
	if _, err := l.Integrate(ctx); err != nil {
		return err
	}
	return l.Publish(ctx)
}

// tileWriter collects the hashes the tree computes, keeps those of every
// eighth level (the levels tiles hold) and writes the tiles they change.
type tileWriter struct {
	tx      *sql.Tx
	pending map[tileKey][]nodeHash
	order   []tileKey
}

type tileKey struct {
	level int
	index uint64
}

type nodeHash struct {
	offset int
	hash   []byte
}

func newTileWriter(tx *sql.Tx) *tileWriter {
	return &tileWriter{tx: tx, pending: map[tileKey][]nodeHash{}}
}

func (w *tileWriter) visit(id compact.NodeID, hash []byte) {
	if id.Level%8 != 0 {
		return
	}
	k := tileKey{int(id.Level / 8), id.Index / TileWidth}
	if _, ok := w.pending[k]; !ok {
		w.order = append(w.order, k)
	}
	w.pending[k] = append(w.pending[k], nodeHash{int(id.Index % TileWidth), hash})
}

func (w *tileWriter) flush(ctx context.Context) error {
	for _, k := range w.order {
		var stored []byte
		err := w.tx.QueryRowContext(ctx, `SELECT hashes FROM ledger_tiles WHERE level = $1 AND idx = $2`, k.level, int64(k.index)).Scan(&stored)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		tile := append([]byte{}, stored...)
		for _, n := range w.pending[k] {
			if n.offset*HashSize != len(tile) {
				return fmt.Errorf("ledger: tile %d/%d would get hash %d after %d", k.level, k.index, n.offset, len(tile)/HashSize)
			}
			tile = append(tile, n.hash...)
		}
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO ledger_tiles (level, idx, hashes) VALUES ($1, $2, $3)
			ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes`, k.level, int64(k.index), tile); err != nil {
			return err
		}
	}
	return nil
}

func split(packed []byte) [][]byte {
	out := make([][]byte, 0, len(packed)/HashSize)
	for i := 0; i+HashSize <= len(packed); i += HashSize {
		out = append(out, packed[i:i+HashSize])
	}
	return out
}

func join(hashes [][]byte) []byte {
	out := make([]byte, 0, len(hashes)*HashSize)
	for _, h := range hashes {
		out = append(out, h...)
	}
	return out
}
