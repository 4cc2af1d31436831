package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/atomicfile"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/witness"
)

const witnessUsage = `Usage:
  maeul witness keygen --name NAME --out FILE
      make a witness key: the private key goes to FILE (readable only by you),
      the verifier key is printed, for the logs you witness to trust
  maeul witness serve --key FILE --state FILE --log "ORIGIN VKEY" | --log-url URL ...
      cosign the checkpoints of those logs (C2SP tlog-witness: POST /add-checkpoint)

A witness checks that each checkpoint a log sends extends the last one it
cosigned for that log, and refuses forks. Run 'maeul witness serve --help'.`

func runWitness(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "keygen":
			return witnessKeygen(args[1:], stdout)
		case "serve":
			return witnessServe(ctx, args[1:], stdout)
		}
	}
	fmt.Fprintln(stdout, witnessUsage)
	return nil
}

func witnessKeygen(args []string, stdout io.Writer) error {
	fs := newFlags("witness keygen", `witness keygen --name NAME --out FILE

Writes a new cosignature/v1 (Ed25519) witness key to FILE and prints its
verifier key, alone on a line, for the operators of the logs you witness.
NAME names the witness in its cosignatures, e.g. bank.example/witness.`)
	name := fs.String("name", "", "the witness's name, a schema-less URL without spaces or +")
	out := fs.String("out", "", "file to write the private key to; it must not exist")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" || *out == "" {
		return errors.New("--name and --out are both needed")
	}
	skey, vkey, err := witness.GenerateKey(*name)
	if err != nil {
		return err
	}
	// Create, not Write: overwriting a witness's key would silently end the witness.
	if err := atomicfile.Create(*out, []byte(skey+"\n"), 0o600); err != nil {
		return err
	}
	fmt.Fprintln(stdout, vkey)
	return nil
}

// logFlags collects repeated flags; a MAEUL_* variable holds one per line.
type logFlags []string

func (l *logFlags) String() string { return strings.Join(*l, "\n") }

func (l *logFlags) Set(v string) error {
	for s := range strings.Lines(v) {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func witnessServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("witness serve", `witness serve --key FILE --state FILE --log "ORIGIN VKEY" [--log ...] [--log-url URL ...] [--addr 127.0.0.1:8090]

Serves POST /add-checkpoint (C2SP tlog-witness) for the logs given: a log
sends its new checkpoint with a consistency proof from the last one this
witness cosigned, and gets a cosignature back. The state file remembers
that last checkpoint per log; keep it (and back it up) for as long as the
key lives: a witness that lost it must get a new key.

To witness a Maeul city's ledger: --log-url https://city.example (its
origin and key are read once from /ledger/checkpoint and /ledger/vkey).

Example:
  maeul witness keygen --name bank.example/witness --out witness.key
  maeul witness serve --key witness.key --state witness-state.json --log-url https://city.example`)
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	keyFile := fs.String("key", "", "the witness's private key file, from 'maeul witness keygen'")
	statePath := fs.String("state", "witness-state.json", "file of the last checkpoint cosigned per log (created if absent)")
	var logs, logURLs logFlags
	fs.Var(&logs, "log", `a log to witness: "ORIGIN VKEY", its checkpoints' origin line and note verifier key (repeatable; in MAEUL_LOG, one per line)`)
	fs.Var(&logURLs, "log-url", "a Maeul whose ledger to witness, e.g. https://city.example (repeatable; in MAEUL_LOG_URL, one per line)")
	auditEvery := fs.Duration("audit-every", 0, "also audit each --log-url ledger this often (e.g. 10m): download and recompute it, and stop cosigning\nfor a log whose stored entries changed, naming the entry; 0: never")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *keyFile == "" {
		return errors.New("--key is needed: make one with 'maeul witness keygen'")
	}
	skey, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	signer, err := witness.NewCosigner(strings.TrimSpace(string(skey)))
	if err != nil {
		return fmt.Errorf("%s: %w", *keyFile, err)
	}
	known, err := witnessLogs(ctx, logs, logURLs)
	if err != nil {
		return err
	}
	srv, err := witness.NewServer(*statePath, signer, known)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10,
		ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if *auditEvery > 0 {
		for i, base := range logURLs {
			go auditLoop(ctx, srv, known[len(logs)+i], base, *statePath+"."+strconv.Itoa(i)+".audit", *auditEvery)
		}
	}
	origins := make([]string, len(known))
	for i, l := range known {
		origins[i] = l.Origin
	}
	fmt.Fprintf(stdout, "Witness %s is serving on http://%s for %s\n", signer.Name(), ln.Addr(), strings.Join(origins, ", "))
	slog.Info("witness serving", "addr", ln.Addr().String(), "name", signer.Name(), "logs", origins)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("witness shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

// auditLoop audits a Maeul ledger now and then, as its witness: a witness
// that only checks consistency cannot see a stored entry changed behind the
// tree; the audit recomputes the tree from the entries and names the one.
func auditLoop(ctx context.Context, srv *witness.Server, l witness.Log, base, state string, every time.Duration) {
	a := &ledger.Auditor{URL: strings.TrimSuffix(base, "/") + "/ledger", Log: l.Verifier, State: state}
	for {
		_, err := a.Run(ctx)
		var m *ledger.Mismatch
		switch {
		case errors.As(err, &m):
			srv.Distrust(l.Origin, m.Error())
			return
		case err != nil:
			slog.Warn("witness: ledger audit did not run", "origin", l.Origin, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// witnessLogs reads the --log flags and fetches the --log-url ones.
func witnessLogs(ctx context.Context, logs, urls []string) ([]witness.Log, error) {
	var out []witness.Log
	for _, l := range logs {
		i := strings.LastIndexByte(l, ' ')
		if i < 0 {
			return nil, fmt.Errorf("--log %q: want \"ORIGIN VKEY\"", l)
		}
		origin, vkey := strings.TrimSpace(l[:i]), l[i+1:]
		v, err := note.NewVerifier(vkey)
		if err != nil {
			return nil, fmt.Errorf("--log %q: the verifier key: %w", l, err)
		}
		out = append(out, witness.Log{Origin: origin, Verifier: v})
	}
	for _, u := range urls {
		l, err := fetchLedgerLog(ctx, strings.TrimSuffix(u, "/"))
		if err != nil {
			return nil, fmt.Errorf("--log-url %s: %w", u, err)
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, errors.New(`no log to witness: give --log "ORIGIN VKEY" or --log-url URL`)
	}
	return out, nil
}

// fetchLedgerLog reads a Maeul ledger's origin and key, and checks that
// its checkpoint verifies with that key, so a wrong URL fails at start.
func fetchLedgerLog(ctx context.Context, base string) (witness.Log, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	cp, err := fetch(ctx, base+"/ledger/checkpoint")
	if err != nil {
		return witness.Log{}, err
	}
	vkey, err := fetch(ctx, base+"/ledger/vkey")
	if err != nil {
		return witness.Log{}, err
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		return witness.Log{}, fmt.Errorf("its verifier key: %w", err)
	}
	if _, err := note.Open(cp, note.VerifierList(v)); err != nil {
		return witness.Log{}, fmt.Errorf("its checkpoint does not verify with its key: %w", err)
	}
	origin, _, _ := bytes.Cut(cp, []byte("\n"))
	return witness.Log{Origin: string(origin), Verifier: v}, nil
}

func fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 64<<10))
}
