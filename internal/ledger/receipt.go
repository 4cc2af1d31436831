package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Receipt lets anyone check, offline, that an entry is in the ledger: the
// entry, its index, the proof of its inclusion and the signed checkpoint
// the proof leads to. The receipt of a version 2 entry about a person, as
// the platform gives it to that person, also carries the opening of its
// subject, which shows the entry is theirs: whoever holds the receipt can
// show it, nobody else can tell.
type Receipt struct {
	Index      uint64   `json:"index"`
	Entry      []byte   `json:"entry"` // the entry's bytes as hashed
	Proof      [][]byte `json:"proof"`
	Checkpoint string   `json:"checkpoint"`        // C2SP signed note
	Opening    *Opening `json:"opening,omitempty"` // private: the owner's copy only
}

// Receipt returns the receipt of entry index, integrating it first if it
// is not yet in the tree.
func (l *Log) Receipt(ctx context.Context, index uint64) (Receipt, error) {
	cp, size, err := l.latest(ctx)
	if err != nil {
		return Receipt{}, err
	}
	if index >= size {
		if err := l.Update(ctx); err != nil {
			return Receipt{}, err
		}
		if cp, size, err = l.latest(ctx); err != nil {
			return Receipt{}, err
		}
		if index >= size {
			return Receipt{}, errs.New(errs.NotFound, "ledger.entry_not_found")
		}
	}
	var data []byte
	if err := l.db.QueryRow(ctx, `SELECT data FROM ledger_entries WHERE idx = $1`, int64(index)).Scan(&data); err != nil {
		return Receipt{}, err
	}
	p, err := InclusionProof(ctx, l.ReadTile, index, size)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{Index: index, Entry: data, Proof: p, Checkpoint: cp}, nil
}

// ReceiptOf returns the receipt of the entry AppendTx numbered seq, with
// the opening of its subject if it is about a person: the owner's copy,
// which the part that appended it gives only to that person.
func (l *Log) ReceiptOf(ctx context.Context, seq int64) (Receipt, error) {
	var idx int64
	err := l.db.QueryRow(ctx, `SELECT idx FROM ledger_entries WHERE seq = $1`, seq).Scan(&idx)
	if errors.Is(err, sql.ErrNoRows) {
		if err := l.Update(ctx); err != nil {
			return Receipt{}, err
		}
		err = l.db.QueryRow(ctx, `SELECT idx FROM ledger_entries WHERE seq = $1`, seq).Scan(&idx)
	}
	if err != nil {
		return Receipt{}, db.NotFound(err, "ledger.entry_not_found")
	}
	r, err := l.Receipt(ctx, uint64(idx))
	if err != nil {
		return r, err
	}
	var o Opening
	err = l.db.QueryRow(ctx, `SELECT owner, salt FROM ledger_openings WHERE seq = $1`, seq).Scan(&o.Owner, &o.Salt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return r, nil // about nobody, or of version 1
	case err != nil:
		return Receipt{}, err
	}
	r.Opening = &o
	return r, nil
}

// latest is the newest published checkpoint and its size; "" if none.
func (l *Log) latest(ctx context.Context) (string, uint64, error) {
	var n string
	var s int64
	err := l.db.QueryRow(ctx, `SELECT note, size FROM ledger_checkpoints WHERE published = TRUE ORDER BY size DESC LIMIT 1`).Scan(&n, &s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return n, uint64(s), err
}

// VerifyReceipt checks a receipt against the log's origin and note verifier
// key, and returns the entry it proves. A receipt with an opening must open
// the entry's subject: it then proves too that the entry is its
// Opening.Owner's.
func VerifyReceipt(r Receipt, origin, vkey string) (Entry, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return Entry{}, fmt.Errorf("ledger: verifier key: %w", err)
	}
	cp, _, _, err := log.ParseCheckpoint([]byte(r.Checkpoint), origin, v)
	if err != nil {
		return Entry{}, fmt.Errorf("ledger: checkpoint: %w", err)
	}
	if r.Index >= cp.Size {
		return Entry{}, fmt.Errorf("ledger: entry %d is beyond the checkpoint's %d entries", r.Index, cp.Size)
	}
	if err := proof.VerifyInclusion(hasher, r.Index, cp.Size, hasher.HashLeaf(r.Entry), r.Proof, cp.Hash); err != nil {
		return Entry{}, fmt.Errorf("ledger: entry %d is not in the tree of the checkpoint: %w", r.Index, err)
	}
	e, err := ParseEntry(r.Entry)
	if err != nil {
		return e, err
	}
	if r.Opening != nil && !r.Opening.Opens(e.Subject) {
		return Entry{}, fmt.Errorf("ledger: the receipt's opening does not open the subject of entry %d: it does not show whose the entry is", r.Index)
	}
	return e, nil
}
