package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/holder"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// TestKill9DuringAppends kills `maeul serve` with SIGKILL while wallets
// receive cards (each issuance one ledger entry in its transaction). After
// a restart every issuance a wallet saw succeed is on the ledger, and the
// new checkpoint is consistent with every checkpoint published before the
// crash.
func TestKill9DuringAppends(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := buildMaeul(t)
	path := filepath.Join(dir, "maeul.db")
	secret, err := identity.SecretFromFile(path + ".issuer-secret")
	if err != nil {
		t.Fatal(err)
	}

	// Offers made beforehand, by the desk, for the wallets to redeem.
	d, err := openDB(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Generate(ctx, d, demo.Options{Citizens: 50})
	if err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, bin, "sqlite:"+path)
	a, err := app.New(d, app.Options{IssuerSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	offers := prepareOffers(t, a, res.SamplePhone, srv.url, 400)
	d.Close()

	var acked atomic.Int64
	var mu sync.Mutex
	var published [][]byte
	stop := make(chan struct{})
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range 6 {
		wg.Go(func() {
			c := &holder.Client{AllowHTTP: true, HTTP: &http.Client{Timeout: 5 * time.Second}}
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := next.Add(1) - 1
				if i >= int64(len(offers)) {
					return
				}
				if _, err := c.Receive(ctx, &holder.Wallet{}, offers[i].offer, offers[i].pin); err == nil {
					acked.Add(1)
				}
			}
		})
	}
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if cp, err := fetch(ctx, srv.url+"/ledger/checkpoint"); err == nil {
				mu.Lock()
				published = append(published, cp)
				mu.Unlock()
			}
		}
	})
	time.Sleep(2500 * time.Millisecond)
	srv.cmd.Process.Kill()
	srv.cmd.Wait()
	close(stop)
	wg.Wait()
	if acked.Load() == 0 || len(published) < 2 {
		t.Fatalf("too little happened before the crash: %d issuances, %d checkpoints", acked.Load(), len(published))
	}

	again := startServe(t, bin, "sqlite:"+path)
	vkey, err := fetch(ctx, again.url+"/ledger/vkey")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := note.NewVerifier(strings.TrimSpace(string(vkey)))
	auditor := &ledger.Auditor{URL: again.url + "/ledger", Log: v}
	var totals *ledger.Totals
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		// Entries acknowledged just before the crash reach the tree when the
		// restarted instance integrates them.
		if totals, err = auditor.Run(ctx); err == nil && totals.Cards[ledger.CardIssued] >= 5*acked.Load() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart: %v; %d cards on the ledger, %d issuances acknowledged", err, totals.Cards[ledger.CardIssued], acked.Load())
		}
	}
	now, err := fetch(ctx, again.url+"/ledger/checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	after := parseCheckpoint(t, now, v)
	read := httpTiles(again.url + "/ledger")
	for _, raw := range published {
		before := parseCheckpoint(t, raw, v)
		p, err := ledger.ConsistencyProof(ctx, read, before.Size, after.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, before.Size, after.Size, p, before.Hash, after.Hash); err != nil {
			t.Fatalf("checkpoint %d from before the crash is not a prefix of %d: %v", before.Size, after.Size, err)
		}
	}
	t.Logf("%d issuances acknowledged before SIGKILL; %d checkpoints seen; the ledger holds %d entries after the restart",
		acked.Load(), len(published), after.Size)
}

type preparedOffer struct {
	offer holder.Offer
	link  string
	pin   string
	name  string // the resident's
}

// prepareOffers proofs the demo citizen with phone at the desk and makes n
// offers of their card, as the desk would.
func prepareOffers(t *testing.T, a *app.App, phone, base string, n int) []preparedOffer {
	t.Helper()
	ctx := context.Background()
	registry := identity.NewRegistry(a.DB)
	e164 := "+82" + strings.TrimPrefix(strings.ReplaceAll(phone, "-", ""), "0")
	r, err := registry.ByPhone(ctx, e164)
	if err != nil {
		t.Fatal(err)
	}
	staff := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: 1, Role: actor.Operator}, Channel: actor.InPerson})
	if _, err := registry.RecordInPerson(staff, r.ID, "resident_card"); err != nil {
		t.Fatal(err)
	}
	out := make([]preparedOffer, n)
	for i := range out {
		o, err := a.Cards.CreateOffer(staff, r.ID, base)
		if err != nil {
			t.Fatal(err)
		}
		if out[i].offer, err = holder.ParseOffer(o.Link); err != nil {
			t.Fatal(err)
		}
		out[i].link, out[i].pin, out[i].name = o.Link, o.PIN, r.Name
	}
	return out
}

func parseCheckpoint(t *testing.T, raw []byte, v note.Verifier) *log.Checkpoint {
	t.Helper()
	var body log.Checkpoint
	if _, err := body.Unmarshal(raw); err != nil {
		t.Fatalf("checkpoint %q: %v", raw, err)
	}
	cp, _, _, err := log.ParseCheckpoint(raw, body.Origin, v)
	if err != nil {
		t.Fatalf("checkpoint %q: %v", raw, err)
	}
	return cp
}

// httpTiles reads a log's tiles over HTTP.
func httpTiles(base string) ledger.TileReader {
	return func(ctx context.Context, level int, index uint64, width int) ([]byte, error) {
		return fetch(ctx, base+"/"+ledger.TilePath(level, index, width))
	}
}
