package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/funds"
)

// benchScenarios are the benchmarks run one at a time: maeul bench NAME.
var benchScenarios = map[string]func(ctx context.Context, args []string, stdout io.Writer) error{
	"funds-disburse": benchDisburse,
	"payments":       benchPayments,
	"places-nearest": benchPlacesNearest,
	"coverage":       benchCoverage,
}

// benchApp parses a scenario's flags and starts the platform on a fresh
// SQLite database in a temporary directory, with the platform secret beside
// it, removed by the returned function.
func benchApp(ctx context.Context, fs *flag.FlagSet, args []string) (*app.App, func(), error) {
	if err := parse(fs, args); err != nil {
		return nil, nil, err
	}
	dsn, cleanup, err := tempDSN("")
	if err != nil {
		return nil, nil, err
	}
	d, secret, err := openWithSecret(ctx, dsn, "")
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	a, err := app.New(d, app.Options{IssuerSecret: secret})
	if err != nil {
		d.Close()
		cleanup()
		return nil, nil, err
	}
	return a, func() { d.Close(); cleanup() }, nil
}

// benchResidents adds n residents in one statement, each their own
// household with two children: eligible for the multi-child points.
func benchResidents(ctx context.Context, d *db.DB, n int) error {
	_, err := d.Exec(ctx, `INSERT INTO residents (registry_id, name, birth_date, district, zone, household_id, children_under_19, disability, phone, updated_at)
		WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $1)
		SELECT 'B-' || i, 'bench ' || i, '1985-03-02', '21090', 'HAE-1', 'HB-' || i, 2, FALSE, '', $2 FROM seq`, n, db.Time(time.Now()))
	return err
}

// benchDisburse times `maeul funds disburse` for a registry of residents
// who all qualify: the cycle's start (rules over the whole registry, the
// frozen list), the payments with their ledger entries, and the ledger's
// integration of them.
func benchDisburse(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("bench funds-disburse", "bench funds-disburse [--residents 1000000]")
	n := fs.Int("residents", 1_000_000, "eligible residents in the registry")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the disbursement to this file (go tool pprof)")
	a, cleanup, err := benchApp(ctx, fs, args)
	if err != nil {
		return err
	}
	defer cleanup()
	t0 := time.Now()
	if err := benchResidents(ctx, a.DB, *n); err != nil {
		return err
	}
	p := funds.DemoProgrammes(time.Now())[0]
	p.Slug, p.Mode, p.Budget = "multi-child-everyone", funds.ToEveryone, int64(*n)*300_000
	if _, _, err := a.Programmes.Save(ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "set-up (not timed)     %8s  (%d residents, programme saved with its dry run)\n", time.Since(t0).Round(time.Millisecond), *n)
	stopProfile, err := startProfile(*profile)
	if err != nil {
		return err
	}
	t0 = time.Now()
	err = disburse(ctx, a, p.Slug, false, stdout)
	took := time.Since(t0)
	stopProfile()
	if err != nil {
		return err
	}
	var paid, entries int64
	a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cycle_beneficiaries WHERE paid`).Scan(&paid)
	a.DB.QueryRow(ctx, `SELECT size FROM ledger_tree WHERE id = 1`).Scan(&entries)
	fmt.Fprintf(stdout, "funds disburse         %8s  (%d paid, %.0f/s; ledger tree of %d entries)\n", took.Round(time.Millisecond), paid,
		float64(paid)/took.Seconds(), entries)
	if paid != int64(*n) {
		return fmt.Errorf("bench: %d of %d paid", paid, *n)
	}
	return nil
}
