package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT next_index FROM ledger_sequence WHERE id = 1`).Scan(&next); err != nil {
			return err
		}
		end := min(uint64(next), size+integrateBatch)
		more = end < uint64(next)
		if end == size {
			return l.checkpointIfNone(ctx, tx, size, packed)
		}
		r, err := ranges.NewRange(0, size, split(packed))
		if err != nil {
			return fmt.Errorf("ledger: stored tree state: %w", err)
		}
		tiles := newTileWriter(tx)
		rows, err := tx.QueryContext(ctx, `SELECT idx, data FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, int64(size), int64(end))
		if err != nil {
			return err
		}
		want := size
		for rows.Next() {
			var idx int64
			var data []byte
			if err := rows.Scan(&idx, &data); err != nil {
				rows.Close()
				return err
			}
			if uint64(idx) != want {
				rows.Close()
				return fmt.Errorf("ledger: entry %d missing", want)
			}
			want++
			if err := r.Append(hasher.HashLeaf(data), tiles.visit); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if want != end {
			return fmt.Errorf("ledger: entry %d missing", want)
		}
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
