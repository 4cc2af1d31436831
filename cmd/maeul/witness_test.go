package main

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/web"
	"github.com/maeul/maeul/internal/witness"
)

// TestThreeWitnessProcesses runs three `maeul witness serve` processes on
// loopback for a real ledger with a 2-of-3 policy, one of them told about
// the log by --log-url: all three cosign; with one killed the log still
// publishes; with two killed it does not, and says why; the witness left
// stops cleanly on SIGTERM.
func TestThreeWitnessProcesses(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := buildMaeul(t)
	l, _, city := servedLedger(t)
	grow := func(n int) []byte {
		if err := credit(l, n); err != nil {
			t.Fatal(err)
		}
		cp, err := l.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return cp
	}
	logVerifier, err := note.NewVerifier(l.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}

	var procs []*witnessProc
	for i := range 3 {
		key, v := witnessKey(t, bin, dir, fmt.Sprintf("witness.example/w%d", i))
		logFlag := []string{"--log", l.Origin() + " " + l.VerifierKey()}
		if i == 2 {
			logFlag = []string{"--log-url", city.URL}
		}
		procs = append(procs, startWitness(t, bin, v, append([]string{"--key", key, "--state", filepath.Join(dir, fmt.Sprintf("w%d.json", i))}, logFlag...)...))
	}

	// The log's policy: 2 of the 3 must cosign before it publishes.
	var members []ledger.Witness
	var keys []note.Verifier
	for _, w := range procs {
		members = append(members, &witness.Member{Client: *w.client, Key: w.verifier})
		keys = append(keys, w.verifier)
	}
	l.Policy = ledger.Policy{Witnesses: members, Quorum: 2}
	cosigners := func(cp []byte) int {
		t.Helper()
		n, err := note.Open(cp, note.VerifierList(append([]note.Verifier{logVerifier}, keys...)...))
		if err != nil {
			t.Fatal(err)
		}
		return len(n.Sigs) - 1
	}
	if cp := grow(20); cosigners(cp) != 3 || sizeOf(t, cp) != 20 {
		t.Fatalf("all three up: %d cosigners of size %d", cosigners(cp), sizeOf(t, cp))
	}

	procs[0].cmd.Process.Kill()
	procs[0].cmd.Wait()
	if cp := grow(300); cosigners(cp) != 2 || sizeOf(t, cp) != 320 {
		t.Fatalf("one down: %d cosigners of size %d", cosigners(cp), sizeOf(t, cp))
	}

	// With two down the log does not publish, and says why.
	procs[1].cmd.Process.Kill()
	procs[1].cmd.Wait()
	if _, err := l.Append(ctx, ledger.Entry{Kind: ledger.PointsSpent, At: 1764579600, Owner: l.Owner("resident", "1"), Amount: 1, Programme: "culture-pass"}); err != nil {
		t.Fatal(err)
	}
	err = l.Update(ctx)
	if !errors.Is(err, ledger.ErrNoQuorum) || !strings.Contains(err.Error(), "1 of 3, 2 needed") ||
		!strings.Contains(err.Error(), procs[0].verifier.Name()) || !strings.Contains(err.Error(), procs[1].verifier.Name()) {
		t.Fatalf("two down: %v", err)
	}
	if cp, _ := l.Checkpoint(ctx); sizeOf(t, cp) != 320 {
		t.Fatalf("published size %d without a quorum", sizeOf(t, cp))
	}
	// An auditor who requires two of the three cosignatures accepts what was
	// published.
	a := &ledger.Auditor{URL: city.URL + "/ledger", Log: logVerifier, Witnesses: keys, Quorum: 2}
	if totals, err := a.Run(ctx); err != nil || totals.Size != 320 {
		t.Fatalf("audit: %v", err)
	}
	procs = procs[2:]

	for _, w := range procs {
		w.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- w.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("witness did not stop cleanly on SIGTERM: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("witness did not stop within 15 s of SIGTERM")
		}
	}
}

// sizeOf reads the tree size, the second line of a checkpoint.
func sizeOf(t *testing.T, cp []byte) uint64 {
	size, err := strconv.ParseUint(strings.Split(string(cp), "\n")[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return size
}

type witnessProc struct {
	cmd      *exec.Cmd
	client   *witness.Client
	verifier note.Verifier
}

func startWitness(t *testing.T, bin string, v note.Verifier, args ...string) *witnessProc {
	t.Helper()
	cmd, addr, _ := startMaeul(t, bin, "is serving on", append([]string{"witness", "serve"}, args...)...)
	return &witnessProc{cmd: cmd, client: &witness.Client{URL: "http://" + addr}, verifier: v}
}

// TestWitnessAuditNamesTheChangedEntry: a witness that also audits the
// ledger (--audit-every) notices a stored entry changed behind the tree,
// names it, and stops cosigning, so the log can publish nothing more.
func TestWitnessAuditNamesTheChangedEntry(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := buildMaeul(t)
	l, d, city := servedLedger(t)
	grow := func(n int) error { return credit(l, n) }
	if err := grow(20); err != nil {
		t.Fatal(err)
	}
	key, v := witnessKey(t, bin, dir, "witness.example/auditor")
	w := startWitness(t, bin, v, "--key", key, "--state", filepath.Join(dir, "w.json"), "--log-url", city.URL, "--audit-every", "100ms")
	l.Policy = ledger.Policy{Witnesses: []ledger.Witness{&witness.Member{Client: *w.client, Key: v}}, Quorum: 1}
	if err := grow(5); err != nil {
		t.Fatalf("before the change: %v", err)
	}
	if _, err := d.Exec(ctx, `UPDATE ledger_entries SET data = (SELECT data FROM ledger_entries WHERE idx = 1) WHERE idx = 5`); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		err := grow(1)
		if err != nil && strings.Contains(err.Error(), "entry 5") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the witness did not name the changed entry: %v", err)
		}
	}
}

// servedLedger is a ledger on a test server, as a city serves it.
func servedLedger(t *testing.T) (*ledger.Log, *db.DB, *httptest.Server) {
	t.Helper()
	d := dbtest.SQLite(t)
	l, err := ledger.New(d, "maeul.example/ledger", []byte("maeul witness process test secret"))
	if err != nil {
		t.Fatal(err)
	}
	rt := web.NewRouter(web.NewMetrics())
	ledger.Register(rt, l)
	city := httptest.NewServer(rt)
	t.Cleanup(city.Close)
	return l, d, city
}

// credit appends n point credits and publishes them.
func credit(l *ledger.Log, n int) error {
	es := make([]ledger.Entry, n)
	for i := range es {
		es[i] = ledger.Entry{Kind: ledger.PointsCredited, At: 1764579600, Owner: l.Owner("resident", fmt.Sprint(i)), Amount: int64(5000 + i), Programme: "culture-pass"}
	}
	if _, err := l.Append(context.Background(), es...); err != nil {
		return err
	}
	return l.Update(context.Background())
}

// witnessKey makes a witness key file with `maeul witness keygen`, checks
// its mode, and returns it with the verifier of the printed key.
func witnessKey(t *testing.T, bin, dir, name string) (string, note.Verifier) {
	t.Helper()
	key := filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".key")
	out, err := exec.Command(bin, "witness", "keygen", "--name", name, "--out", key).Output()
	if err != nil {
		t.Fatalf("keygen: %v", err)
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi.Mode(), err)
	}
	v, err := witness.NewCosignatureVerifier(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("keygen printed %q: %v", out, err)
	}
	return key, v
}
