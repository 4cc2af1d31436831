package ledger

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/db/dbtest"
)

// fakeWitness checks consistency as a real witness does and signs with a
// note key of its own; down makes it fail like an unreachable one.
type fakeWitness struct {
	name   string
	signer note.Signer
	log    note.Verifier
	size   uint64
	root   []byte
	down   bool
}

type conflict uint64

func (c conflict) Error() string       { return fmt.Sprintf("witness holds size %d", uint64(c)) }
func (c conflict) WitnessSize() uint64 { return uint64(c) }

func newFakeWitness(t *testing.T, name string, l *Log) *fakeWitness {
	skey, _, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := note.NewSigner(skey)
	v, _ := note.NewVerifier(l.VerifierKey())
	return &fakeWitness{name: name, signer: s, log: v, root: hasher.EmptyRoot()}
}

func (w *fakeWitness) Name() string { return w.name }

func (w *fakeWitness) AddCheckpoint(_ context.Context, old uint64, p [][]byte, signed []byte) ([]byte, error) {
	if w.down {
		return nil, errors.New("connection refused")
	}
	if old != w.size {
		return nil, conflict(w.size)
	}
	cp, _, _, err := log.ParseCheckpoint(signed, testOrigin, w.log)
	if err != nil {
		return nil, err
	}
	if err := proof.VerifyConsistency(hasher, old, cp.Size, p, w.root, cp.Hash); err != nil && old > 0 {
		return nil, err
	}
	w.size, w.root = cp.Size, cp.Hash
	n, err := note.Sign(&note.Note{Text: string(cp.Marshal())}, w.signer)
	if err != nil {
		return nil, err
	}
	return n[bytes.Index(n, []byte("\n\n"))+2:], nil
}

// TestQuorumOfWitnesses: with 2 of 3 required, one witness down still
// publishes; two down does not, says why, and leaves the last published
// checkpoint in place.
func TestQuorumOfWitnesses(t *testing.T) {
	t.Parallel()
	l := newTestLog(t, dbtest.SQLite(t))
	ctx := context.Background()
	ws := []*fakeWitness{newFakeWitness(t, "bank", l), newFakeWitness(t, "ministry", l), newFakeWitness(t, "university", l)}
	l.Policy = Policy{Witnesses: []Witness{ws[0], ws[1], ws[2]}, Quorum: 2}
	grow := func(n int) error {
		t.Helper()
		for i := range n {
			if _, err := l.Append(ctx, entry(i)); err != nil {
				t.Fatal(err)
			}
		}
		return l.Update(ctx)
	}
	cosigners := func() int {
		raw, err := l.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(raw), "\n— ") - 1
	}
	if err := grow(10); err != nil || cosigners() != 3 {
		t.Fatalf("all up: %v, %d cosigners", err, cosigners())
	}
	ws[2].down = true
	if err := grow(5); err != nil || cosigners() != 2 || checkpointOf(t, l).Size != 15 {
		t.Fatalf("one down: %v, %d cosigners", err, cosigners())
	}
	ws[1].down = true
	err := grow(5)
	if !errors.Is(err, ErrNoQuorum) || !strings.Contains(err.Error(), "ministry: connection refused") || !strings.Contains(err.Error(), "1 of 3, 2 needed") {
		t.Fatalf("two down: %v", err)
	}
	if cp := checkpointOf(t, l); cp.Size != 15 {
		t.Fatalf("published size %d without a quorum", cp.Size)
	}
	if _, err := l.Receipt(ctx, 17); err == nil {
		t.Fatal("a receipt was given for an entry no quorum has cosigned")
	}
	// The witnesses come back, one of them behind: the log catches it up from
	// the size it says it holds.
	ws[1].down, ws[2].down = false, false
	if err := l.Publish(ctx); err != nil || checkpointOf(t, l).Size != 20 || cosigners() != 3 {
		t.Fatalf("back: %v", err)
	}
}
