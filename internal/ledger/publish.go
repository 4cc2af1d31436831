package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Witness cosigns checkpoints in the C2SP tlog-witness protocol: given the
// size it last saw, a consistency proof from there and the new signed
// checkpoint, it answers its cosignature lines.
type Witness interface {
	Name() string
	AddCheckpoint(ctx context.Context, oldSize uint64, proof [][]byte, checkpoint []byte) ([]byte, error)
}

// SizeConflict is an error of a witness that holds another size than the
// log thought; the log retries once from that size.
type SizeConflict interface {
	error
	WitnessSize() uint64
}

// Policy says who must cosign a checkpoint before it is published: at least
// Quorum of Witnesses. With no witnesses, checkpoints publish at once.
type Policy struct {
	Witnesses []Witness
	Quorum    int
}

// ErrNoQuorum says too few witnesses cosigned; the error names each one's
// answer.
var ErrNoQuorum = errors.New("ledger: too few witnesses cosigned")

// Publish sends the newest unpublished checkpoint to the witnesses and
// publishes it with their cosignatures when at least the quorum signed. A
// checkpoint that cannot gather a quorum stays unpublished, and so do the
// entries it would have been the first to cover.
func (l *Log) Publish(ctx context.Context) error {
	var size int64
	var signed string
	err := l.db.QueryRow(ctx, `SELECT size, note FROM ledger_checkpoints WHERE published = FALSE
		AND size > COALESCE((SELECT MAX(size) FROM ledger_checkpoints WHERE published = TRUE), -1)
		ORDER BY size DESC LIMIT 1`).Scan(&size, &signed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(l.Policy.Witnesses) == 0 {
		return l.markPublished(ctx, uint64(size), signed, nil)
	}
	var cosigs [][]byte
	var failures []string
	seen := map[string]uint64{}
	for _, w := range l.Policy.Witnesses {
		line, err := l.cosign(ctx, w, uint64(size), []byte(signed))
		if err != nil {
			failures = append(failures, w.Name()+": "+err.Error())
			continue
		}
		cosigs = append(cosigs, line)
		seen[w.Name()] = uint64(size)
	}
	if len(cosigs) < l.Policy.Quorum {
		return fmt.Errorf("%w: %d of %d, %d needed for size %d (%s)", ErrNoQuorum, len(cosigs), len(l.Policy.Witnesses),
			l.Policy.Quorum, size, strings.Join(failures, "; "))
	}
	return l.markPublished(ctx, uint64(size), signed, seen, cosigs...)
}

// cosign asks one witness, retrying once from the size it says it holds.
func (l *Log) cosign(ctx context.Context, w Witness, size uint64, signed []byte) ([]byte, error) {
	var old int64
	err := l.db.QueryRow(ctx, `SELECT size FROM ledger_witnesses WHERE name = $1`, w.Name()).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if uint64(old) > size {
			return nil, fmt.Errorf("the witness holds size %d, beyond this checkpoint's %d", old, size)
		}
		proof, err := ConsistencyProof(ctx, l.ReadTile, uint64(old), size)
		if err != nil {
			return nil, err
		}
		line, err := w.AddCheckpoint(ctx, uint64(old), proof, signed)
		var conflict SizeConflict
		if errors.As(err, &conflict) && attempt == 0 {
			old = int64(conflict.WitnessSize())
			continue
		}
		return line, err
	}
}

func (l *Log) markPublished(ctx context.Context, size uint64, signed string, seen map[string]uint64, cosigs ...[]byte) error {
	note := []byte(signed)
	for _, c := range cosigs {
		note = append(note, bytes.TrimRight(c, "\n")...)
		note = append(note, '\n')
	}
	return l.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_checkpoints SET published = TRUE, note = $1 WHERE size = $2`, string(note), int64(size)); err != nil {
			return err
		}
		for name, s := range seen {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_witnesses (name, size) VALUES ($1, $2)
				ON CONFLICT (name) DO UPDATE SET size = excluded.size`, name, int64(s)); err != nil {
				return err
			}
		}
		return nil
	})
}
