package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
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

	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/web"
	"github.com/maeul/maeul/internal/witness"
)

// TestThreeWitnessProcesses runs three `maeul witness serve` processes on
// loopback for a real ledger, one of them told about it by --log-url:
// all three cosign; with one killed, the other two go on cosigning its
// growth, and they stop cleanly on SIGTERM.
func TestThreeWitnessProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := filepath.Join(dir, "maeul")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	l, err := ledger.New(dbtest.SQLite(t), "maeul.example/ledger", []byte("maeul witness process test secret"))
	if err != nil {
		t.Fatal(err)
	}
	rt := web.NewRouter(web.NewMetrics())
	ledger.Register(rt, l)
	city := httptest.NewServer(rt)
	defer city.Close()
	grow := func(n int) []byte {
		es := make([]ledger.Entry, n)
		for i := range es {
			es[i] = ledger.Entry{Kind: ledger.PointsCredited, At: 1764579600, Subject: fmt.Sprintf("r-%d", i), Amount: 5000, Programme: "culture-pass"}
		}
		if _, err := l.Append(ctx, es...); err != nil {
			t.Fatal(err)
		}
		if err := l.Update(ctx); err != nil { // published at once: no witness policy
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
		key := filepath.Join(dir, fmt.Sprintf("w%d.key", i))
		out, err := exec.Command(bin, "witness", "keygen", "--name", fmt.Sprintf("witness.example/w%d", i), "--out", key).Output()
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
		logFlag := []string{"--log", l.Origin() + " " + l.VerifierKey()}
		if i == 2 {
			logFlag = []string{"--log-url", city.URL}
		}
		procs = append(procs, startWitness(t, bin, v, append([]string{"--key", key, "--state", filepath.Join(dir, fmt.Sprintf("w%d.json", i))}, logFlag...)...))
	}

	cosign := func(ws []*witnessProc, old uint64, cp []byte) {
		t.Helper()
		var proof [][]byte
		if old > 0 {
			var err error
			if proof, err = ledger.ConsistencyProof(ctx, l.ReadTile, old, sizeOf(t, cp)); err != nil {
				t.Fatal(err)
			}
		}
		signed := append([]byte{}, cp...)
		verifiers := []note.Verifier{logVerifier}
		for _, w := range ws {
			sigs, err := w.client.AddCheckpoint(ctx, old, proof, cp)
			if err != nil {
				t.Fatalf("%s: %v", w.verifier.Name(), err)
			}
			signed = append(signed, sigs...)
			verifiers = append(verifiers, w.verifier)
		}
		n, err := note.Open(signed, note.VerifierList(verifiers...))
		if err != nil || len(n.Sigs) != 1+len(ws) {
			t.Fatalf("cosigned checkpoint: %d signatures, %v", len(n.Sigs), err)
		}
	}
	cosign(procs, 0, grow(20))

	procs[0].cmd.Process.Kill()
	procs[0].cmd.Wait()
	cp := grow(300)
	if _, err := procs[0].client.AddCheckpoint(ctx, 20, nil, cp); err == nil {
		t.Fatal("a killed witness answered")
	}
	cosign(procs[1:], 20, cp)

	for _, w := range procs[1:] {
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append([]string{"witness", "serve", "--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), "MAEUL_LOG_LEVEL=warn")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "is serving on") {
				ready <- true
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("witness serve did not start within 30 s")
	}
	return &witnessProc{cmd: cmd, client: &witness.Client{URL: "http://" + addr}, verifier: v}
}
