package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

const testOrigin = "maeul.example/ledger"

var testSecret = []byte("maeul ledger test secret, 32 by.")

func newTestLog(t testing.TB, d *db.DB) *Log {
	t.Helper()
	l, err := New(d, testOrigin, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	l.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	return l
}

// t0 is a whole hour: 2025-12-01 09:00 UTC.
const t0 = 1764579600

// testOwner is person i as Log.Owner names people.
func testOwner(i int) string {
	return ownerPrefix + base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%016d", i))
}

// entry is a payment as a part hands it to AppendTx: by one of seven
// people, at a second of the first hours from t0.
func entry(i int) Entry {
	return Entry{Kind: PointsSpent, At: t0 + int64(i), Owner: testOwner(i % 7), Merchant: "m-1", Amount: int64(1000 + i), Programme: "culture-pass"}
}

// entryV1 is a payment as the ledger wrote it in format version 1: the
// person's stable pseudonym, the exact second.
func entryV1(i int) Entry {
	return Entry{Kind: PointsSpent, At: t0 + int64(i), Subject: fmt.Sprintf("r-%06d", i), Merchant: "m-1", Amount: int64(1000 + i), Programme: "culture-pass"}
}

// sealedAs reports whether got is want as AppendTx writes it: format 2,
// the hour, and for an entry about a person a commitment and a random ref
// in place of its owner.
func sealedAs(got, want Entry) bool {
	if AboutAPerson(want.Kind) {
		if !isCommitment(got.Subject) || !isRef(got.Ref) {
			return false
		}
		got.Subject, got.Ref = "", ""
	}
	want.Version, want.At, want.Owner = V2, want.At-want.At%Hour, ""
	return got == want
}

// memHashes is x/mod's sumdb/tlog, an independent RFC 6962 implementation,
// fed the same entries: the oracle for our tree, tiles and proofs.
type memHashes []tlog.Hash

func (m memHashes) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m[x]
	}
	return out, nil
}

func oracle(t testing.TB, data [][]byte) memHashes {
	var m memHashes
	for i, d := range data {
		hs, err := tlog.StoredHashes(int64(i), d, m)
		if err != nil {
			t.Fatal(err)
		}
		m = append(m, hs...)
	}
	return m
}

func TestTreeTilesAndProofsAgreeWithSumdb(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		l := newTestLog(t, d)
		ctx := context.Background()
		var data [][]byte
		// Sizes that end inside a tile, on a tile's edge and across levels.
		for _, n := range []int{1, 3, 255, 256, 257, 1000, 65536 + 300} {
			var batch []Entry
			for i := len(data); i < n; i++ {
				batch = append(batch, entryV1(i))
				b, _ := entryV1(i).Marshal()
				data = append(data, b)
			}
			bulkAppend(t, d, batch)
			err := l.Update(ctx)
			size, _ := l.Size(ctx)
			if err != nil || size != uint64(n) {
				t.Fatalf("integrated %d of %d: %v", size, n, err)
			}
			m := oracle(t, data)
			want, _ := tlog.TreeHash(int64(n), m)
			cp := checkpointOf(t, l)
			if cp.Size != uint64(n) || !bytes.Equal(cp.Hash, want[:]) {
				t.Fatalf("size %d: checkpoint %d %x, sumdb root %x", n, cp.Size, cp.Hash, want)
			}
			for _, tile := range tlog.NewTiles(8, 0, int64(n)) {
				wantTile, err := tlog.ReadTileData(tile, m)
				if err != nil {
					t.Fatal(err)
				}
				if tile.L < 0 {
					continue
				}
				got, err := l.ReadTile(ctx, tile.L, uint64(tile.N), tile.W)
				if err != nil || !bytes.Equal(got, wantTile) {
					t.Fatalf("size %d: tile %s differs: %v", n, tile.Path(), err)
				}
			}
			for _, i := range []uint64{0, uint64(n) / 2, uint64(n) - 1} {
				r, err := l.Receipt(ctx, i)
				if err != nil {
					t.Fatal(err)
				}
				e, err := VerifyReceipt(r, testOrigin, l.VerifierKey())
				if err != nil || e.Subject != entryV1(int(i)).Subject {
					t.Fatalf("size %d, receipt %d: %+v %v", n, i, e, err)
				}
			}
		}
		// Consistency between every pair of sizes seen.
		sizes := []uint64{1, 3, 255, 256, 257, 1000, 65536 + 300}
		m := oracle(t, data)
		for i, a := range sizes {
			for _, b := range sizes[i:] {
				p, err := ConsistencyProof(ctx, l.ReadTile, a, b)
				if err != nil {
					t.Fatal(err)
				}
				ra, _ := tlog.TreeHash(int64(a), m)
				rb, _ := tlog.TreeHash(int64(b), m)
				if err := proof.VerifyConsistency(hasher, a, b, p, ra[:], rb[:]); err != nil {
					t.Fatalf("consistency %d→%d: %v", a, b, err)
				}
			}
		}
		// Entry bundles hold the entries as appended.
		b, err := l.ReadTile(ctx, -1, 1, TileWidth)
		if err != nil {
			t.Fatal(err)
		}
		es, err := BundleEntries(b)
		if err != nil || len(es) != TileWidth || !bytes.Equal(es[0], data[256]) {
			t.Fatalf("bundle 1: %d entries, %v", len(es), err)
		}
		if _, err := l.ReadTile(ctx, 0, 0, 256); err != nil {
			t.Fatal(err)
		}
		if _, err := l.ReadTile(ctx, -1, uint64(len(data))/256+1, 1); err == nil {
			t.Fatal("a bundle beyond the tree was served")
		}
	})
}

func checkpointOf(t testing.TB, l *Log) *log.Checkpoint {
	t.Helper()
	raw, err := l.Checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v, _ := note.NewVerifier(l.VerifierKey())
	cp, _, _, err := log.ParseCheckpoint(raw, testOrigin, v)
	if err != nil {
		t.Fatalf("checkpoint %q: %v", raw, err)
	}
	return cp
}

// bulkAppend writes entries as AppendTx did before format version 2 (as
// they are, with no opening), many to a statement: version 1 entries, and
// quick tests of big trees under the race detector.
func bulkAppend(t testing.TB, d *db.DB, es []Entry) {
	t.Helper()
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		for start := 0; start < len(es); start += insertBatch {
			var q strings.Builder
			q.WriteString(`INSERT INTO ledger_pending (data) VALUES `)
			var args []any
			for i, e := range es[start:min(start+insertBatch, len(es))] {
				if i > 0 {
					q.WriteString(", ")
				}
				fmt.Fprintf(&q, "($%d)", i+1)
				b, err := e.Marshal()
				if err != nil {
					return err
				}
				args = append(args, b)
			}
			if _, err := tx.ExecContext(context.Background(), q.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEmptyLogHasACheckpoint(t *testing.T) {
	t.Parallel()
	l := newTestLog(t, dbtest.SQLite(t))
	cp := checkpointOf(t, l)
	if cp.Size != 0 || !bytes.Equal(cp.Hash, hasher.EmptyRoot()) {
		t.Fatalf("%+v", cp)
	}
}

// TestAppendLivesAndDiesWithItsTransaction: a rolled-back change leaves no
// entry; entries appended concurrently, while the integrator runs, all land
// in the tree exactly once, each at the index its receipt names.
func TestAppendLivesAndDiesWithItsTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		l := newTestLog(t, d)
		ctx := context.Background()
		boom := errors.New("the business change failed")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := l.AppendTx(ctx, tx, entry(0)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if n, _ := l.Appended(ctx); n != 0 {
			t.Fatalf("a rolled-back entry was kept: %d", n)
		}
		var mu sync.Mutex
		seqs := map[int64]Entry{}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		integrated := make(chan error, 1)
		go func() {
			for {
				select {
				case <-stop:
					integrated <- nil
					return
				default:
				}
				if err := l.Update(ctx); err != nil {
					integrated <- err
					return
				}
			}
		}()
		for i := range 40 {
			wg.Go(func() {
				got, err := l.Append(ctx, entry(2*i), entry(2*i+1))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seqs[got[0]], seqs[got[1]] = entry(2*i), entry(2*i+1)
				mu.Unlock()
			})
		}
		wg.Wait()
		close(stop)
		if err := <-integrated; err != nil {
			t.Fatal(err)
		}
		if err := l.Update(ctx); err != nil {
			t.Fatal(err)
		}
		if size, _ := l.Size(ctx); size != 80 || len(seqs) != 80 {
			t.Fatalf("tree of %d from %d appended", size, len(seqs))
		}
		indices := map[uint64]bool{}
		for seq, want := range seqs {
			r, err := l.ReceiptOf(ctx, seq)
			if err != nil {
				t.Fatal(err)
			}
			e, err := VerifyReceipt(r, testOrigin, l.VerifierKey())
			if err != nil || !sealedAs(e, want) || indices[r.Index] || r.Opening == nil || r.Opening.Owner != want.Owner {
				t.Fatalf("seq %d: entry %d %+v %v", seq, r.Index, e, err)
			}
			indices[r.Index] = true
		}
	})
}

func TestEntriesAreCanonical(t *testing.T) {
	t.Parallel()
	for _, e := range []Entry{entryV1(1), sealed(entry(1)), sealed(Entry{Kind: BudgetSet, At: t0, Programme: "culture-pass", Amount: 1})} {
		b, err := e.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if again, err := ParseEntry(b); err != nil || again != e {
			t.Fatalf("%s: %+v %v", b, again, err)
		}
	}
	v2 := sealed(entry(1))
	for name, bad := range map[string]string{
		"spaces":                   `{"kind": "points.spent","at":1}`,
		"unknown field":            `{"kind":"points.spent","at":1,"name":"김영희"}`,
		"unknown kind":             `{"kind":"points.minted","at":1}`,
		"field order":              `{"at":1,"kind":"points.spent"}`,
		"negative":                 `{"kind":"points.spent","at":1,"amount":-5}`,
		"v1 written":               `{"v":1,"kind":"points.spent","at":1}`,
		"v0 written":               `{"v":0,"kind":"points.spent","at":1}`,
		"v3":                       `{"v":3,"kind":"programme.budget","at":3600}`,
		"v2 late order":            `{"kind":"programme.budget","v":2,"at":3600}`,
		"v2 second":                `{"v":2,"kind":"programme.budget","at":3601}`,
		"v2 budget with a subject": `{"v":2,"kind":"programme.budget","at":3600,"subject":"` + v2.Subject + `"}`,
		"v2 pseudonym":             `{"v":2,"kind":"points.spent","at":3600,"subject":"r-Qhkw2r38HOwv_rqKXgaWmg","ref":"` + v2.Ref + `"}`,
		"v2 till ref":              `{"v":2,"kind":"points.spent","at":3600,"subject":"` + v2.Subject + `","ref":"payment:41"}`,
		"v2 no ref":                `{"v":2,"kind":"points.spent","at":3600,"subject":"` + v2.Subject + `"}`,
		"v2 nobody":                `{"v":2,"kind":"points.credited","at":3600,"amount":5,"ref":"` + v2.Ref + `"}`,
		"v2 padded":                `{"v":2,"kind":"points.spent","at":3600,"subject":"` + v2.Subject + `=","ref":"` + v2.Ref + `"}`,
		"owner":                    `{"v":2,"kind":"points.spent","at":3600,"subject":"` + v2.Subject + `","ref":"` + v2.Ref + `","Owner":"o-x"}`,
	} {
		if _, err := ParseEntry([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := (Entry{Kind: "points.minted", At: 1}).Marshal(); err == nil {
		t.Error("an unknown kind was written")
	}
	if _, err := entry(1).Marshal(); err == nil {
		t.Error("an entry with its owner in clear was written")
	}
}

func TestTilePaths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		level int
		index uint64
		width int
		path  string
	}{
		{0, 0, 256, "tile/0/000"}, {1, 1234067, 256, "tile/1/x001/x234/067"}, {-1, 5, 17, "tile/entries/005.p/17"},
		{2, 1000, 3, "tile/2/x001/000.p/3"},
	} {
		if p := TilePath(c.level, c.index, c.width); p != c.path {
			t.Errorf("TilePath(%d, %d, %d) = %s, want %s", c.level, c.index, c.width, p, c.path)
		}
		l, i, w, err := ParseTilePath(c.path)
		if err != nil || l != c.level || i != c.index || w != c.width {
			t.Errorf("ParseTilePath(%s) = %d %d %d %v", c.path, l, i, w, err)
		}
	}
	for _, bad := range []string{"tile/0/0", "tile/0/x000/001", "tile/00/000", "tile/0/000.p/256", "tile/0/000.p/0",
		"tile/0/001/002", "tile/64/000", "tile/0/000.p/07", "tile/data/000", "tile/0/x001"} {
		if _, _, _, err := ParseTilePath(bad); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}

func FuzzParseTilePath(f *testing.F) {
	for _, s := range []string{"tile/0/000", "tile/1/x001/x234/067", "tile/entries/005.p/17", "tile/0/x000/001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		l, i, w, err := ParseTilePath(p)
		if err == nil && TilePath(l, i, w) != p {
			t.Fatalf("%q parsed as %d/%d/%d, which is written %q", p, l, i, w, TilePath(l, i, w))
		}
	})
}

func FuzzParseEntry(f *testing.F) {
	b, _ := entryV1(7).Marshal()
	f.Add(b)
	b, _ = sealed(entry(7)).Marshal()
	f.Add(b)
	f.Add([]byte(`{"kind":"card.issued","at":1,"subject":"r-x","count":5}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ParseEntry(data)
		if err != nil {
			return
		}
		again, err := e.Marshal()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("%q accepted but written %q", data, again)
		}
	})
}

func FuzzBundleEntries(f *testing.F) {
	f.Add(appendBundleEntry(appendBundleEntry(nil, []byte("a")), []byte("bc")))
	f.Add([]byte{0, 5, 'x'})
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := BundleEntries(b)
		if err != nil {
			return
		}
		var again []byte
		for _, e := range es {
			again = appendBundleEntry(again, e)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("bundle %x read as %d entries, written %x", b, len(es), again)
		}
	})
}

// FuzzVerifyReceipt: a receipt is outside input (a file someone brings);
// whatever it holds, checking it returns an entry only if it is really in
// the signed tree.
func FuzzVerifyReceipt(f *testing.F) {
	l := newTestLog(f, dbtest.SQLite(f))
	ctx := context.Background()
	if _, err := l.Append(ctx, entry(0), entry(1), entry(2)); err != nil {
		f.Fatal(err)
	}
	if err := l.Update(ctx); err != nil {
		f.Fatal(err)
	}
	r, err := l.Receipt(ctx, 1)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(r.Index, r.Entry, bytes.Join(r.Proof, nil), r.Checkpoint)
	f.Add(uint64(0), []byte("{}"), []byte{}, "maeul.example/ledger\n1\nAA==\n\n— x AAAA\n")
	good := r
	f.Fuzz(func(t *testing.T, index uint64, entry, proof []byte, checkpoint string) {
		r := Receipt{Index: index, Entry: entry, Checkpoint: checkpoint}
		for len(proof) >= HashSize {
			r.Proof, proof = append(r.Proof, proof[:HashSize]), proof[HashSize:]
		}
		e, err := VerifyReceipt(r, testOrigin, l.VerifierKey())
		if err == nil && (index != good.Index || !bytes.Equal(entry, good.Entry)) {
			t.Fatalf("accepted entry %d %q as %+v", index, entry, e)
		}
	})
}

// sealed is e as AppendTx writes it.
func sealed(e Entry) Entry {
	s, _, err := seal(e, 0)
	if err != nil {
		panic(err)
	}
	return s
}
