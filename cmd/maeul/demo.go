package main

import (
	"context"
	"io"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/web"
)

// defaultDemoIssuer is the issuer the demo cards name when `maeul demo` is
// given no --public-url: what `serve` on its default address calls itself.
const defaultDemoIssuer = "http://127.0.0.1:8080"

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("demo", "demo [--db DSN] [--public-url URL] [--issuer-secret SECRET]")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
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
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	secret, err := loadIssuerSecret(*issuerSecret, *dsn)
	if err != nil {
		return err
	}
	a, err := app.New(d, app.Options{Demo: true, PublicURL: *publicURL, IssuerSecret: secret})
	if err != nil {
		return err
	}
	_, err = buildDemo(ctx, a, issuer, secret != nil, demo.Options{Progress: stdout})
	return err
}

// buildDemo builds the demo city through the app's parts: the one way of
// both `maeul demo` and `serve --demo`, so that they give the same city.
// The first citizens get their cards, naming issuer, only when the app
// can sign (it has the issuer secret).
func buildDemo(ctx context.Context, a *app.App, issuer string, signs bool, opt demo.Options) (demo.Result, error) {
	p := demo.Parts{DB: a.DB, Funds: a.Funds, Programmes: a.Programmes, Places: a.Places, Booking: a.Booking, Board: a.Board, Guides: a.Guides}
	if signs {
		if _, err := a.Keys.Active(ctx); err != nil {
			return demo.Result{}, err
		}
		p.Cards, p.IssuerURL = a.Cards, issuer
	}
	return demo.Build(ctx, p, opt)
}
