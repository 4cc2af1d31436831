package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/holder"
	"github.com/maeul/maeul/internal/i18n"
)

const walletUsage = `Usage:
  maeul wallet receive [flags] --pin PIN LINK   redeem a credential offer (the QR code's link)
  maeul wallet list    [flags]                  the cards in the wallet
  maeul wallet present [flags] [--yes|--no] LINK answer a verifier's request (its QR code's link)
  maeul wallet history [flags]                  what was shared with whom

A command-line holder of the citizen card, for tests and automation. The wallet
file holds private keys: it is written readable only by you.`

// stdin is where "present" reads the holder's answer; tests replace it.
var stdin io.Reader = os.Stdin

func runWallet(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || !strings.Contains(" receive list present history ", " "+args[0]+" ") {
		fmt.Fprintln(stdout, walletUsage)
		return nil
	}
	verb := args[0]
	fs := newFlags("wallet "+verb, "wallet "+verb+" [flags]")
	file := fs.String("wallet", "maeul-wallet.json", "the wallet file")
	pin := fs.String("pin", "", "receive: the 6-digit PIN given with the offer")
	yes := fs.Bool("yes", false, "present: share without asking")
	no := fs.Bool("no", false, "present: tell the verifier you do not share")
	lang := fs.String("lang", "ko", "present: the language of the questions (ko or en)")
	insecure := fs.Bool("insecure-http", false, "allow plain http, for a platform on this machine")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	w, err := holder.Load(*file)
	if err != nil {
		return err
	}
	client := &holder.Client{AllowHTTP: *insecure}
	switch verb {
	case "receive":
		if fs.NArg() != 1 || *pin == "" {
			return errors.New("give the offer's link and --pin")
		}
		offer, err := holder.ParseOffer(fs.Arg(0))
		if err != nil {
			return err
		}
		n, err := client.Receive(ctx, w, offer, *pin)
		if err != nil {
			return err
		}
		if err := w.Save(*file); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Received %d cards from %s into %s.\n", n, offer.Issuer, *file)
	case "list":
		return listCards(w, stdout)
	case "present":
		if fs.NArg() != 1 {
			return errors.New("give the verifier's link")
		}
		if err := present(ctx, client, w, fs.Arg(0), *lang, *yes, *no, stdout); err != nil {
			w.Save(*file) // the history keeps refusals too
			return err
		}
		return w.Save(*file)
	case "history":
		for _, h := range w.History {
			what := "declined"
			if h.Shared {
				what = "shared " + joinPaths(h.Claims)
			}
			fmt.Fprintf(stdout, "%s  %s  %s  → %s\n", h.At.Local().Format("2006-01-02 15:04"), h.Verifier, what, h.Result)
		}
	}
	return nil
}

func listCards(w *holder.Wallet, stdout io.Writer) error {
	if len(w.Cards) == 0 {
		fmt.Fprintln(stdout, "The wallet holds no cards.")
		return nil
	}
	for i, c := range w.Cards {
		claims, err := c.Claims()
		if err != nil {
			return fmt.Errorf("card %d: %w", i+1, err)
		}
		addr, _ := claims["address"].(map[string]any)
		exp, _ := claims["exp"].(float64)
		fmt.Fprintf(stdout, "%d. %v  district %v  age group %v  valid until %s  shown to %d verifier(s)\n",
			i+1, claims["name"], addr["district"], claims["age_bracket"], time.Unix(int64(exp), 0).Format("2006-01-02"), len(c.ShownTo))
	}
	return nil
}

// present shows who asks what and why, and shares only when the holder
// says yes.
func present(ctx context.Context, client *holder.Client, w *holder.Wallet, link, lang string, yes, no bool, stdout io.Writer) error {
	r, err := client.FetchRequest(ctx, link)
	if err != nil {
		return err
	}
	l := i18n.For(lang)
	fmt.Fprintf(stdout, "%s asks for:\n", r.Name(lang))
	choices, err := w.Choose(r)
	if errors.Is(err, holder.ErrNoMatch) {
		fmt.Fprintln(stdout, "  (the wallet holds no card that answers this request)")
		if no {
			return client.Decline(ctx, w, r)
		}
		return err
	}
	if err != nil {
		return err
	}
	for _, ch := range choices {
		claims, err := w.Cards[ch.Card].Claims()
		if err != nil {
			return err
		}
		for _, p := range ch.Paths {
			key := pathKey(p)
			var v any = claims
			for _, k := range p {
				m, _ := v.(map[string]any)
				v = m[fmt.Sprint(k)]
			}
			fmt.Fprintf(stdout, "  - %s: %v\n", l.T("identity.claim."+key), v)
		}
	}
	if why := r.Purpose(lang); why != "" {
		fmt.Fprintf(stdout, "Why: %s\n", why)
	}
	if no {
		fmt.Fprintln(stdout, "Not shared.")
		return client.Decline(ctx, w, r)
	}
	if !yes {
		fmt.Fprint(stdout, "Share this? [y/N] ")
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(stdout, "Not shared.")
			return client.Decline(ctx, w, r)
		}
	}
	if err := client.Share(ctx, w, r, choices); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Shared; the verifier accepted it.")
	return nil
}

func pathKey(p []any) string {
	parts := make([]string, len(p))
	for i, e := range p {
		parts[i] = fmt.Sprint(e)
	}
	return strings.Join(parts, ".")
}

func joinPaths(ps [][]string) string {
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = strings.Join(p, ".")
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
