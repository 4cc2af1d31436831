package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/web"
)

// defaultDemoIssuer is the issuer the demo cards name when `maeul demo` is
// given no --public-url: what `serve` on its default address calls itself.
const defaultDemoIssuer = "http://127.0.0.1:8080"

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("demo", "demo [--db DSN] [--citizens 5000] [--public-url URL] [--issuer-secret SECRET]")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	citizens := fs.Int("citizens", demoCitizens, citizensHelp)
	publicURL := fs.String("public-url", "", "the address `serve` will be reached at, named as the issuer of the demo citizens' cards\n(empty: "+defaultDemoIssuer+", serve's default)")
	issuerSecret := fs.String("issuer-secret", "", "base64 secret (32 bytes) sealing the issuer's private keys, as for serve; empty on SQLite:\nthe file beside the database (PATH.issuer-secret); without one no cards are issued")
	if err := parse(fs, args); err != nil {
		return err
	}
	issuer := defaultDemoIssuer
	if *publicURL != "" {
		u, err := web.ParsePublicURL(*publicURL)
		if err != nil {
			return err
		}
		issuer = u
	}
	d, secret, err := openWithSecret(ctx, *dsn, *issuerSecret)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := app.New(d, app.Options{Demo: true, PublicURL: *publicURL, IssuerSecret: secret})
	if err != nil {
		return err
	}
	if *citizens < 1 {
		return fmt.Errorf("--citizens: %d: the demo city needs at least one citizen", *citizens)
	}
	_, err = buildDemo(ctx, a, issuer, secret != nil, demo.Options{Citizens: *citizens, Progress: stdout})
	return err
}

// demoCitizens is the standard demo city's size; a smaller one builds in a
// fraction of the time (a slow machine, a test).
const (
	demoCitizens = 5000
	citizensHelp = "how many citizens the demo city has (with their households, classes and applications)"
)

// buildDemo makes the whole demo city through the app's parts unless the
// database already has one: the people, staff, registry and courses
// (demo.Generate), then the citizen cards, the policy funds' programmes,
// the living zones, facilities and events, the bookable rooms and the
// zones' news, the digital guides and the shops. It is the one way both
// `maeul demo` and `serve --demo` make it, so that either gives the same
// city. The first citizens get their cards, naming issuer, only when the
// app can sign (it has the issuer secret). A database that holds only the
// first half (what `maeul demo` made before it built the rest, recognised
// by having no living zones) is completed. What it did is written to
// opt.Progress.
func buildDemo(ctx context.Context, a *app.App, issuer string, signs bool, opt demo.Options) (demo.Result, error) {
	out := io.Discard
	if opt.Progress != nil {
		out = opt.Progress
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	opt.Now = now
	res, err := demo.Generate(ctx, a.DB, opt)
	if err != nil {
		return res, err
	}
	if res.Created {
		demo.PrintAccounts(out, res)
	} else {
		zones, err := a.Places.Zones(ctx)
		if err != nil || len(zones) > 0 {
			return res, err
		}
		res.Completed = true
		fmt.Fprintln(out, "The demo city has people and courses but no places: completing it.")
	}
	if signs {
		if _, err := a.Keys.Active(ctx); err != nil {
			return res, err
		}
		n, err := demo.IssueCards(ctx, a.DB, a.Cards, issuer, opt)
		if err != nil {
			return res, fmt.Errorf("demo cards: %w", err)
		}
		fmt.Fprintf(out, "Issued %d demo citizen cards; their issuance is on the ledger (/ledger/checkpoint).\n", n)
	}
	// A programme's budget is recorded on the ledger, which needs the
	// platform secret as the cards do.
	programmes := funds.DemoProgrammes(now)
	if !signs {
		programmes = nil
		fmt.Fprintln(out, "No issuer secret: no demo cards and no demo programmes (both are recorded on the ledger).")
	}
	for _, p := range programmes {
		_, run, err := a.Programmes.Save(ctx, p)
		if err != nil {
			return res, fmt.Errorf("demo programme %s: %w", p.Slug, err)
		}
		fmt.Fprintf(out, "Demo programme %s: %d of %d residents qualify, %d KRW.\n", p.Slug, run.Beneficiaries, run.Residents, run.Cost)
	}
	// The places and the guides keep seed 0, as they always had: the
	// standard demo city's facilities and spots stay where they were.
	zones, facilities, events, err := demo.ImportPlaces(ctx, a.Places, 0, now)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(out, "Demo places: %d living zones, %d facilities, %d events.\n", zones, facilities, events)
	resources, news, err := demo.OpenBooking(ctx, a.DB, a.Places, a.Booking, a.Board)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(out, "Demo booking: %d rooms, courts and study rooms; news on %d zone boards.\n", resources, news)
	g, err := demo.OpenGuides(ctx, a.DB, a.Places, a.Guides, 0, now)
	if err != nil {
		return res, fmt.Errorf("demo guides: %w", err)
	}
	fmt.Fprintf(out, "Demo digital guides: %d spots on the data map, %d guides, %d shifts, %d help given.\n", g.Hotspots, g.Guides, g.Shifts, g.Helps)
	if err := openDemoShops(ctx, a, out); err != nil {
		return res, fmt.Errorf("demo shops: %w", err)
	}
	return res, nil
}
