package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/witness"
)

const ledgerUsage = `Usage:
  maeul ledger verify --url URL [--vkey KEY] [--witness KEY ... [--quorum K]] [--state FILE]
      download a running Maeul's ledger, recompute its tree, check the signed
      checkpoint and that the log only grew since the last run, and print the
      totals its entries imply (cards; points per programme and merchant)
  maeul ledger verify-receipt --vkey KEY --origin ORIGIN RECEIPT.json
      check a receipt offline: the entry is in the tree the checkpoint signs,
      and, for a citizen's receipt of an entry about them, that its opening
      opens the entry's subject: the entry is theirs

KEY is the log's note verifier key (GET URL/vkey; get it from a source you
trust, not only from the log itself). A disagreement names the entry index.`

func runLedger(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "verify-receipt") {
		fmt.Fprintln(stdout, ledgerUsage)
		return nil
	}
	fs := newFlags("ledger "+args[0], "ledger "+args[0]+" [flags]")
	base := fs.String("url", "", "the platform's address, e.g. https://maeul.example (the log is under /ledger)")
	vkey := fs.String("vkey", "", "the log's note verifier key")
	origin := fs.String("origin", "", "verify-receipt: the log's origin line, e.g. maeul.example/ledger")
	state := fs.String("state", "maeul-ledger-state.json", "verify: where the last verified checkpoint is kept")
	var witnesses logFlags
	fs.Var(&witnesses, "witness", "verify: a witness's cosignature verifier key (repeatable)")
	quorum := fs.Int("quorum", 0, "verify: how many of the witnesses must have cosigned (0: a majority)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] == "verify-receipt" {
		if fs.NArg() != 1 || *vkey == "" || *origin == "" {
			return errors.New("give --vkey, --origin and the receipt file")
		}
		raw, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return err
		}
		var r ledger.Receipt
		if err := json.Unmarshal(raw, &r); err != nil {
			return fmt.Errorf("%s is not a receipt: %w", fs.Arg(0), err)
		}
		e, err := ledger.VerifyReceipt(r, *origin, *vkey)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Receipt verified: entry %d is in the ledger: %s at %s (format %d)\n", r.Index, e.Kind,
			time.Unix(e.At, 0).UTC().Format(time.RFC3339), e.Format())
		if r.Opening != nil {
			fmt.Fprintf(stdout, "The receipt's opening opens the entry's subject: the entry is owner %s's.\n", r.Opening.Owner)
		}
		return nil
	}
	if *base == "" {
		return errors.New("give --url")
	}
	url := strings.TrimSuffix(*base, "/") + "/ledger"
	client := &http.Client{Timeout: time.Minute}
	if *vkey == "" {
		k, err := fetch(ctx, url+"/vkey")
		if err != nil {
			return err
		}
		*vkey = strings.TrimSpace(string(k))
		fmt.Fprintf(os.Stderr, "Trusting the key the log itself serves (%s); give --vkey to check against one you got elsewhere.\n", *vkey)
	}
	v, err := note.NewVerifier(*vkey)
	if err != nil {
		return fmt.Errorf("--vkey: %w", err)
	}
	a := &ledger.Auditor{URL: url, Log: v, State: *state, HTTP: client, Progress: os.Stderr, Quorum: *quorum}
	for _, k := range witnesses {
		wv, err := witness.NewCosignatureVerifier(k)
		if err != nil {
			return fmt.Errorf("--witness: %w", err)
		}
		a.Witnesses = append(a.Witnesses, wv)
	}
	if *quorum == 0 {
		a.Quorum = len(a.Witnesses)/2 + min(len(a.Witnesses), 1)
	}
	start := time.Now()
	totals, err := a.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Verified %d entries in %s: the tree matches the signed checkpoint and extends the one verified before.\n",
		totals.Size, time.Since(start).Round(time.Millisecond))
	totals.Print(stdout)
	return nil
}
