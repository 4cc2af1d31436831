package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/atomicfile"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/progress"
)

const fundsUsage = `Usage: maeul funds <subcommand> [flags]

Day-to-day operations of the policy funds. Every subcommand takes --db (the
database), and --public-url and --issuer-secret exactly as 'maeul serve' has
them: the ledger's names for people and merchants derive from both.

  disburse PROGRAMME      pay everyone eligible for a programme that pays
                          without applying. The first run starts payment
                          cycle 1: the rules are applied to today's registry
                          and the list of who gets how much is frozen. If the
                          run is interrupted (Ctrl-C, a crash, a power cut),
                          run the same command again: it carries on where it
                          stopped and pays nobody twice. Once a cycle is
                          finished, --next-cycle starts the next one.
  settle [--day YYYY-MM-DD] [--csv FILE]
                          settle a day (default: yesterday, city time) for
                          every merchant, record it on the ledger, and write
                          the bank's settlement file. Running it again for
                          the same day settles nothing twice.
  reconcile [--day YYYY-MM-DD] [--csv FILE]
                          check that the database, the ledger and (with
                          --csv) the settlement file agree to the won about a
                          day; every difference names the merchant and the
                          programme. Exits with an error if any disagree.
  expire                  end points whose validity has passed and return
                          them to their programme's budget (the server does
                          this every hour by itself).

Examples:
  maeul funds disburse multi-child-everyone --db sqlite:maeul.db
  maeul funds settle --day 2026-12-01 --csv settlement-2026-12-01.csv
  maeul funds reconcile --day 2026-12-01 --csv settlement-2026-12-01.csv`

func runFunds(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stdout, fundsUsage)
		return nil
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stdout, fundsUsage)
		return flag.ErrHelp
	}
	sub, args := args[0], args[1:]
	fs := newFlags("funds "+sub, "funds "+sub+" [flags]\n\n"+fundsUsage)
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	publicURL := fs.String("public-url", "", "the city's public address, as 'maeul serve --public-url' has it")
	issuerSecret := fs.String("issuer-secret", "", "the platform's secret, as 'maeul serve' has it (on SQLite: read from PATH.issuer-secret)")
	day := fs.String("day", funds.Day(time.Now().AddDate(0, 0, -1)), "settle, reconcile: the day, YYYY-MM-DD in city time")
	csvPath := fs.String("csv", "", "settle: where to write the bank's settlement file; reconcile: the file to check")
	next := fs.Bool("next-cycle", false, "disburse: start the programme's next payment cycle once the last is finished")
	switch sub {
	case "disburse", "settle", "reconcile", "expire":
	default:
		fmt.Fprintln(os.Stderr, fundsUsage)
		return fmt.Errorf("unknown subcommand %q", sub)
	}
	// Flags may come after the programme: maeul funds disburse PROG --db X.
	var positional []string
	for {
		if err := parse(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	d, secret, err := openWithSecret(ctx, *dsn, *issuerSecret)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := app.New(d, app.Options{PublicURL: *publicURL, IssuerSecret: secret})
	if err != nil {
		return err
	}
	switch sub {
	case "disburse":
		if len(positional) != 1 {
			return errors.New("give the programme's slug: maeul funds disburse PROGRAMME")
		}
		return disburse(ctx, a, positional[0], *next, stdout)
	case "settle":
		return settle(ctx, a, *day, *csvPath, stdout)
	case "reconcile":
		return reconcile(ctx, a, *day, *csvPath, stdout)
	default:
		n, err := a.Funds.ExpirePoints(ctx)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "%d account(s) expired; their points went back to their programmes' budgets.\n", n)
		return nil
	}
}

func disburse(ctx context.Context, a *app.App, slug string, next bool, stdout io.Writer) error {
	start := time.Now()
	c, err := a.Funds.Cycle(ctx, slug)
	switch {
	case errs.CodeOf(err) == errs.NotFound || (err == nil && c.Finished() && next):
		if c, err = a.Funds.StartCycle(ctx, slug); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "Cycle %d of %s started: %d beneficiaries, %s KRW in all; the list is frozen.\n",
			c.Number, slug, c.Beneficiaries, i18n.For("en").Number(c.Total))
	case err != nil:
		return explain(err)
	case c.Finished():
		fmt.Fprintf(stdout, "Cycle %d of %s was paid in full on %s; nothing to do. Give --next-cycle to start the next one.\n",
			c.Number, slug, c.FinishedAt.In(i18n.Zone).Format(time.DateTime))
		return nil
	default:
		fmt.Fprintf(stdout, "Resuming cycle %d of %s: %d of %d already paid.\n", c.Number, slug, c.Paid, c.Beneficiaries)
	}
	bar := progress.New(stdout, "paying", c.Beneficiaries)
	bar.Add(c.Paid)
	done := c.Paid
	c, err = a.Funds.PayCycle(ctx, slug, func(paid int) {
		bar.Add(paid - done)
		done = paid
	})
	bar.Done()
	if err != nil {
		return explain(err)
	}
	// The entries reach the ledger's tree now rather than at the server's
	// next tick, so the checkpoint published next covers the whole cycle.
	if err := a.Ledger.Update(ctx); err != nil {
		return fmt.Errorf("cycle paid, but the ledger could not be brought up to date (the server will): %w", err)
	}
	fmt.Fprintf(stdout, "Cycle %d of %s paid: %d beneficiaries, %s KRW, in %s.\n", c.Number, slug, c.Paid,
		i18n.For("en").Number(c.Total), time.Since(start).Round(time.Millisecond))
	return nil
}

func settle(ctx context.Context, a *app.App, day, csvPath string, stdout io.Writer) error {
	n, lines, err := a.Funds.SettleDay(ctx, day)
	if err != nil {
		return explain(err)
	}
	var net int64
	for _, l := range lines {
		net += l.Net
	}
	fmt.Fprintf(stdout, "%s: %d merchant(s) settled now; the day's settlement has %d line(s), %s KRW to transfer.\n",
		day, n, len(lines), i18n.For("en").Number(net))
	if csvPath == "" {
		return nil
	}
	if err := atomicfile.Write(csvPath, funds.SettlementCSV(lines), 0o640); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Settlement file written: %s\n", csvPath)
	return nil
}

func reconcile(ctx context.Context, a *app.App, day, csvPath string, stdout io.Writer) error {
	var file []byte
	if csvPath != "" {
		var err error
		if file, err = os.ReadFile(csvPath); err != nil {
			return err
		}
	}
	rec, err := a.Funds.Reconcile(ctx, day, file)
	if err != nil {
		return explain(err)
	}
	sources := "the database and the ledger"
	if rec.Settled {
		sources = "the database, the settlement and the ledger"
	}
	if rec.File {
		sources += " and " + csvPath
	}
	if rec.Agree() {
		fmt.Fprintf(stdout, "%s: all agree: %s, for %d merchant and programme pair(s).\n", rec.Day, sources, rec.Pairs)
		return nil
	}
	fmt.Fprintf(stdout, "%s: %d difference(s) between %s:\n", rec.Day, len(rec.Differences), sources)
	for _, d := range rec.Differences {
		fmt.Fprintln(stdout, "  "+d)
	}
	return errors.New("the sources disagree")
}
