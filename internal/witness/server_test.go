package witness

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/ledger"
)

const testOrigin = "maeul.example/ledger"

// The ledger's publication policy retries from the size a ConflictError names.
var _ ledger.SizeConflict = (*ConflictError)(nil)

var testSecret = []byte("maeul ledger test secret, 32 by.")

// testLedger is a real ledger on SQLite, grown by tests.
type testLedger struct {
	t   *testing.T
	log *ledger.Log
	n   int
}

func newLedger(t *testing.T, origin string, secret []byte) *testLedger {
	l, err := ledger.New(dbtest.SQLite(t), origin, secret)
	if err != nil {
		t.Fatal(err)
	}
	l.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	return &testLedger{t: t, log: l}
}

// grow appends n entries whose owners' ids start with tag, so that two
// ledgers grown with different tags fork, and returns the new checkpoint,
// published at once since the ledger has no witness policy of its own.
func (l *testLedger) grow(n int, tag string) []byte {
	ctx := context.Background()
	es := make([]ledger.Entry, n)
	for i := range es {
		es[i] = ledger.Entry{Kind: ledger.PointsSpent, At: 1764579600 + int64(l.n), Owner: l.log.Owner("resident", fmt.Sprintf("%s%06d", tag, l.n)), Merchant: "m-1", Amount: 1000, Programme: "culture-pass"}
		l.n++
	}
	if _, err := l.log.Append(ctx, es...); err != nil {
		l.t.Fatal(err)
	}
	if err := l.log.Update(ctx); err != nil {
		l.t.Fatal(err)
	}
	cp, err := l.log.Checkpoint(ctx)
	if err != nil {
		l.t.Fatal(err)
	}
	return cp
}

func (l *testLedger) proof(from, to uint64) [][]byte {
	p, err := ledger.ConsistencyProof(context.Background(), l.log.ReadTile, from, to)
	if err != nil {
		l.t.Fatal(err)
	}
	return p
}

func (l *testLedger) verifier() note.Verifier {
	v, err := note.NewVerifier(l.log.VerifierKey())
	if err != nil {
		l.t.Fatal(err)
	}
	return v
}

// testWitness is a witness on httptest with its client and verifier.
type testWitness struct {
	client   *Client
	verifier note.Verifier
	state    string
	url      string
}

func newWitness(t *testing.T, state string, logs ...Log) *testWitness {
	t.Helper()
	skey, vkey, err := GenerateKey("witness.example/w1")
	if err != nil {
		t.Fatal(err)
	}
	return startWitness(t, skey, vkey, state, logs...)
}

func startWitness(t *testing.T, skey, vkey, state string, logs ...Log) *testWitness {
	t.Helper()
	s, err := NewCosigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewCosignatureVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(state, s, logs)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testWitness{client: &Client{URL: hs.URL, HTTP: hs.Client()}, verifier: v, state: state, url: hs.URL}
}

// cosign sends a checkpoint and checks that the cosignature verifies with
// the log's signature, as a note.
func (w *testWitness) cosign(t *testing.T, l *testLedger, old uint64, proof [][]byte, cp []byte) {
	t.Helper()
	sigs, err := w.client.AddCheckpoint(context.Background(), old, proof, cp)
	if err != nil {
		t.Fatalf("add-checkpoint from %d: %v", old, err)
	}
	n, err := note.Open(append(append([]byte{}, cp...), sigs...), note.VerifierList(l.verifier(), w.verifier))
	if err != nil || len(n.Sigs) != 2 {
		t.Fatalf("cosigned note does not verify with the log's and the witness's keys: %v", err)
	}
}

func (w *testWitness) post(t *testing.T, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(w.url+"/add-checkpoint", "text/plain", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// noteLog is a log's key without a log, to sign checkpoints that a real
// log never would.
type noteLog struct {
	origin string
	signer note.Signer
	log    Log
}

func newNoteLog(t testing.TB, origin string) *noteLog {
	skey, vkey, err := note.GenerateKey(nil, origin)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := note.NewSigner(skey)
	v, _ := note.NewVerifier(vkey)
	return &noteLog{origin, s, Log{origin, v}}
}

func (n *noteLog) sign(t testing.TB, text string) []byte {
	b, err := note.Sign(&note.Note{Text: n.origin + "\n" + text}, n.signer)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func statePath(t *testing.T) string { return filepath.Join(t.TempDir(), "witness.json") }

func TestWitnessFollowsALedgerAcrossRestarts(t *testing.T) {
	t.Parallel()
	l := newLedger(t, testOrigin, testSecret)
	state := statePath(t)
	skey, vkey, _ := GenerateKey("witness.example/w1")
	w := startWitness(t, skey, vkey, state, Log{testOrigin, l.verifier()})
	ctx := context.Background()

	cp5 := l.grow(5, "a")
	w.cosign(t, l, 0, nil, cp5)
	w.cosign(t, l, 5, nil, cp5) // the same checkpoint again: cosigned again
	cp300 := l.grow(295, "a")
	w.cosign(t, l, 5, l.proof(5, 300), cp300)

	// An old size that is not the witness's: it says its size.
	for _, old := range []uint64{0, 5, 299} {
		_, err := w.client.AddCheckpoint(ctx, old, nil, cp300)
		if c, ok := errors.AsType[*ConflictError](err); !ok || c.Size != 300 {
			t.Fatalf("old %d: %v, want a conflict at 300", old, err)
		}
	}
	// A proof that does not verify: 422, and the size stays.
	cp400 := l.grow(100, "a")
	bad := l.proof(300, 400)
	bad[1] = bytes.Repeat([]byte{7}, 32)
	if _, err := w.client.AddCheckpoint(ctx, 300, bad, cp400); err == nil || !strings.Contains(err.Error(), "422") {
		t.Fatalf("bad proof: %v", err)
	}
	if _, err := w.client.AddCheckpoint(ctx, 300, nil, cp400); err == nil || !strings.Contains(err.Error(), "422") {
		t.Fatalf("missing proof: %v", err)
	}

	// Restarted on the same state, with the same key: it goes on from 300.
	w = startWitness(t, skey, vkey, state, Log{testOrigin, l.verifier()})
	_, err := w.client.AddCheckpoint(ctx, 0, nil, cp400)
	if c, ok := errors.AsType[*ConflictError](err); !ok || c.Size != 300 {
		t.Fatalf("after restart: %v, want a conflict at 300", err)
	}
	w.cosign(t, l, 300, l.proof(300, 400), cp400)
	// A smaller tree after a larger: refused.
	if _, err := w.client.AddCheckpoint(ctx, 400, nil, cp300); err == nil {
		t.Fatal("a checkpoint smaller than the one held was cosigned")
	}
	// The state holds the latest checkpoint with its cosignature.
	b, _ := os.ReadFile(state)
	if !strings.Contains(string(b), `"size": 400`) || !strings.Contains(string(b), "— witness.example/w1 ") {
		t.Fatalf("state file:\n%s", b)
	}
}

func TestWitnessRefusesAFork(t *testing.T) {
	t.Parallel()
	a := newLedger(t, testOrigin, testSecret)
	b := newLedger(t, testOrigin, testSecret) // same key and origin, other entries
	w := newWitness(t, statePath(t), Log{testOrigin, a.verifier()})
	ctx := context.Background()
	w.cosign(t, a, 0, nil, a.grow(10, "a"))
	fork10 := b.grow(10, "b")

	status, body := w.post(t, addCheckpoint{oldSize: 10, checkpoint: fork10}.marshal())
	if status != http.StatusConflict || !strings.Contains(body, "fork") {
		t.Fatalf("fork at the same size: %d %s", status, body)
	}
	if _, err := w.client.AddCheckpoint(ctx, 10, nil, fork10); err == nil {
		t.Fatal("the client took a fork for success")
	} else if _, ok := errors.AsType[*ConflictError](err); ok {
		t.Fatal("a fork was reported as a size conflict, which would make the log retry forever")
	}
	fork20 := b.grow(10, "b")
	if _, err := w.client.AddCheckpoint(ctx, 10, b.proof(10, 20), fork20); err == nil || !strings.Contains(err.Error(), "422") {
		t.Fatalf("fork grown from another tree: %v", err)
	}
	// The forked checkpoint is kept as evidence.
	st, _ := os.ReadFile(w.state)
	if !strings.Contains(string(st), `"forks"`) || !strings.Contains(string(st), strings.ReplaceAll(string(fork10[:40]), "\n", `\n`)) {
		t.Fatalf("no evidence of the fork in the state:\n%s", st)
	}
	// The honest log still goes on.
	cp20 := a.grow(10, "a")
	w.cosign(t, a, 10, a.proof(10, 20), cp20)
}

func TestWitnessRefusesWhatItMustNotCosign(t *testing.T) {
	t.Parallel()
	l := newLedger(t, testOrigin, testSecret)
	other := newLedger(t, testOrigin, []byte("another secret, another key, 32."))
	stranger := newLedger(t, "stranger.example/log", testSecret)
	plain := newNoteLog(t, "plain.example/log")
	w := newWitness(t, statePath(t), Log{testOrigin, l.verifier()}, plain.log)
	cp := l.grow(3, "a")
	hash := base64.StdEncoding.EncodeToString(make([]byte, 32)) + "\n"
	for _, c := range []struct {
		name   string
		body   []byte
		status int
	}{
		{"signed by another key", addCheckpoint{checkpoint: other.grow(3, "a")}.marshal(), http.StatusForbidden},
		{"unknown origin", addCheckpoint{checkpoint: stranger.grow(3, "a")}.marshal(), http.StatusNotFound},
		{"old size beyond the checkpoint", addCheckpoint{oldSize: 4, checkpoint: cp}.marshal(), http.StatusBadRequest},
		{"proof from size 0", addCheckpoint{proof: [][]byte{make([]byte, 32)}, checkpoint: cp}.marshal(), http.StatusUnprocessableEntity},
		{"signature altered", addCheckpoint{checkpoint: bytes.Replace(cp, []byte("— "+testOrigin+" "), []byte("— "+testOrigin+" AAAA"), 1)}.marshal(), http.StatusForbidden},
		{"not a note", addCheckpoint{checkpoint: bytes.Replace(cp, []byte("\n\n"), []byte("\n\t\n"), 1)}.marshal(), http.StatusBadRequest},
		{"size with a leading zero", addCheckpoint{checkpoint: plain.sign(t, "03\n"+hash)}.marshal(), http.StatusBadRequest},
		{"short root hash", addCheckpoint{checkpoint: plain.sign(t, "3\nAAAA\n")}.marshal(), http.StatusBadRequest},
		{"no root hash", addCheckpoint{checkpoint: plain.sign(t, "3\n")}.marshal(), http.StatusBadRequest},
		{"no body", nil, http.StatusBadRequest},
		{"no empty line", []byte("old 0\n" + string(cp)), http.StatusBadRequest},
		{"too large", append([]byte("old 0\n\n"), bytes.Repeat([]byte("x"), maxBody)...), http.StatusRequestEntityTooLarge},
	} {
		if status, body := w.post(t, c.body); status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, status, body, c.status)
		}
	}
	tampered := bytes.Replace(cp, []byte("\n3\n"), []byte("\n4\n"), 1)
	if status, _ := w.post(t, addCheckpoint{checkpoint: tampered}.marshal()); status != http.StatusForbidden {
		t.Errorf("tampered checkpoint: %d, want 403", status)
	}
	resp, err := http.Get(w.url + "/add-checkpoint")
	if err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v %v", resp.Status, err)
	}
	resp, err = http.Post(w.url+"/checkpoint", "text/plain", nil)
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %v %v", resp.Status, err)
	}
	// None of that moved the witness.
	w.cosign(t, l, 0, nil, cp)
}

// TestConcurrentRequestsDoNotRollBack sends, at once, several checkpoints
// that each extend the size the witness holds: exactly one may be
// cosigned, since cosigning another would roll the first one back.
func TestConcurrentRequestsDoNotRollBack(t *testing.T) {
	t.Parallel()
	l := newLedger(t, testOrigin, testSecret)
	w := newWitness(t, statePath(t), Log{testOrigin, l.verifier()})
	w.cosign(t, l, 0, nil, l.grow(4, "a"))
	type req struct {
		proof [][]byte
		cp    []byte
	}
	var reqs []req
	for size := uint64(5); size <= 12; size++ {
		reqs = append(reqs, req{cp: l.grow(1, "a")})
		reqs[len(reqs)-1].proof = l.proof(4, size)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, conflicts := 0, 0
	for _, r := range reqs {
		wg.Go(func() {
			_, err := w.client.AddCheckpoint(context.Background(), 4, r.proof, r.cp)
			mu.Lock()
			defer mu.Unlock()
			if _, c := errors.AsType[*ConflictError](err); c {
				conflicts++
			} else if err == nil {
				ok++
			} else {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok != 1 || conflicts != len(reqs)-1 {
		t.Fatalf("%d cosigned, %d conflicts; want 1 and %d", ok, conflicts, len(reqs)-1)
	}
}

func TestDamagedStateStopsTheWitness(t *testing.T) {
	t.Parallel()
	state := statePath(t)
	os.WriteFile(state, []byte(`{"maeul.example/ledger": {"size": 3`), 0o600)
	s, _ := NewCosigner(vectorSkey)
	if _, err := NewServer(state, s, nil); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("a damaged state was accepted: %v", err)
	}
}

func TestClientReadsRefusals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		status int
		ctype  string
		body   string
		want   string
	}{
		{409, "text/x.tlog.size", "17\n", "size 17"},
		{409, "text/x.tlog.size", "x\n", "malformed size"},
		{409, "text/plain", "fork: this witness holds another tree\n", "409 Conflict: fork"},
		{403, "text/plain", "not signed\n", "403 Forbidden: not signed"},
		{200, "text/plain", "hello\n", "not signature lines"},
		{200, "text/plain", "— w " + base64.StdEncoding.EncodeToString(make([]byte, 76)), "not signature lines"},
	} {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", c.ctype)
			w.WriteHeader(c.status)
			w.Write([]byte(c.body))
		}))
		_, err := (&Client{URL: hs.URL}).AddCheckpoint(context.Background(), 0, nil, []byte("x\n"))
		hs.Close()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d %q: %v, want %q", c.status, c.body, err, c.want)
		}
	}
}

func TestExtensionLinesAreCosigned(t *testing.T) {
	t.Parallel()
	plain := newNoteLog(t, "plain.example/log")
	w := newWitness(t, statePath(t), plain.log)
	empty := base64.StdEncoding.EncodeToString(rfc6962.DefaultHasher.EmptyRoot())
	cp := plain.sign(t, "0\n"+empty+"\nextension line\n")
	sigs, err := w.client.AddCheckpoint(context.Background(), 0, nil, cp)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(append(cp, sigs...), note.VerifierList(w.verifier))
	if err != nil || !strings.HasSuffix(n.Text, "extension line\n") {
		t.Fatalf("%v", err)
	}
}

// FuzzAddCheckpoint sends arbitrary bodies through the whole check, with
// a log whose key the fuzzer holds: it must answer, never panic.
func FuzzAddCheckpoint(f *testing.F) {
	plain := newNoteLog(f, "plain.example/log")
	empty := base64.StdEncoding.EncodeToString(rfc6962.DefaultHasher.EmptyRoot())
	f.Add(addCheckpoint{checkpoint: plain.sign(f, "0\n"+empty+"\n")}.marshal())
	f.Add(addCheckpoint{oldSize: 1, proof: [][]byte{make([]byte, 32)}, checkpoint: plain.sign(f, "2\n"+empty+"\n")}.marshal())
	s, _ := NewCosigner(vectorSkey)
	srv, err := NewServer(filepath.Join(f.TempDir(), "witness.json"), s, []Log{plain.log})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		srv.addCheckpoint(body)
	})
}
