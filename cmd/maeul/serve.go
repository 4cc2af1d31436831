package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/web"
	"github.com/maeul/maeul/internal/witness"
)

func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("serve", "serve [--addr 127.0.0.1:8080] [--db sqlite:maeul.db] [--demo] [--public-url URL | --tls-domain DOMAIN | --tls-cert FILE --tls-key FILE]")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (HTTPS with --tls-*, e.g. :443); any but a loopback address\nneeds --public-url or --tls-*")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	withDemo := fs.Bool("demo", false, "generate the demo city into an empty database (a second start adds nothing)")
	demoSize := fs.Int("demo-citizens", demoCitizens, "with --demo: "+citizensHelp)
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure even when the public URL is not https (an https --public-url or\nHTTPS here implies it)")
	jobs := fs.Bool("jobs", true, "run background jobs (messages, reminders, lottery draws)")
	smsURL := fs.String("sms-url", "", "SMS gateway URL; empty: text messages go to --notify-file, or are only recorded in the outbox (sign-in codes masked)")
	smsToken := fs.String("sms-token", "", "bearer token for the SMS gateway")
	smtpAddr := fs.String("smtp-addr", "", "SMTP relay host:port; empty: e-mail goes to --notify-file, or is only recorded in the outbox")
	smtpFrom := fs.String("smtp-from", "noreply@maeul.example", "From address of e-mail")
	smtpUser := fs.String("smtp-user", "", "SMTP user name")
	smtpPass := fs.String("smtp-password", "", "SMTP password")
	notifyFile := fs.String("notify-file", "", "append every message, whole (sign-in codes included), to this file, one JSON object a line, mode 0600,\nfor the channels without a gateway or relay above; the outbox never shows codes.\nWith demo data it defaults to PATH.messages.jsonl beside a SQLite database (else a file in the temp directory)")
	publicURL := fs.String("public-url", "", "the city's public address, https://… behind a proxy: every absolute link, the issuer of its\ncredentials, its did:web and its ledger's name follow it, whatever Host a request names.\nEmpty: the first --tls-domain (or --tls-cert name); on loopback only, each request's own")
	issuerSecret := fs.String("issuer-secret", "", "base64 secret (32 bytes) sealing the issuer's private keys; every instance needs the same one.\nEmpty on SQLite: kept in a file beside the database (PATH.issuer-secret)")
	tileURL := fs.String("tile-url", "", `a raster tile server for the maps' background, "https://HOST/{z}/{x}/{y}.png"; empty: the maps draw the zones only and need no outside server`)
	tileAttribution := fs.String("tile-attribution", "", "the attribution the tile server's licence asks for, shown on the maps")
	practiceDir := fs.String("practice-dir", "", "a directory of the tutors' own practice emulators (*.yaml) and sets.yaml, besides those that come\nwith Maeul; a broken file stops the start with its line (check them first with maeul practice validate)")
	httpsFlags := addTLSFlags(fs)
	var witnesses logFlags
	fs.Var(&witnesses, "witness", `a witness that must cosign the ledger's checkpoints: "URL VKEY" (repeatable; in MAEUL_WITNESS, one per line)`)
	quorum := fs.Int("witness-quorum", 0, "how many witnesses must cosign before a checkpoint is published (0: a majority of them)")
	var proxies web.TrustedProxies
	fs.Var(&proxies, "trusted-proxies", "the reverse proxies and load balancers in front, as `CIDR[,CIDR]` ranges or addresses\n(\"10.0.0.0/8,192.0.2.7\"): only from them are X-Forwarded-For and Forwarded read for the client's address,\nwhich the limits per address count by; empty: those headers are ignored and the TCP peer is the client")
	if err := parse(fs, args); err != nil {
		return err
	}
	policy, err := witnessPolicy(witnesses, *quorum)
	if err != nil {
		return err
	}
	https, err := httpsFlags.load(*dsn)
	if err != nil {
		return err
	}
	public, err := publicAddress(*publicURL, *addr, https)
	if err != nil {
		return err
	}
	start := time.Now()
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	drivers := map[string]notify.Driver{}
	if *smsURL != "" {
		drivers[notify.SMS] = notify.HTTPSMSDriver{URL: *smsURL, Token: *smsToken}
	}
	if *smtpAddr != "" {
		drivers[notify.Email] = notify.SMTPDriver{Addr: *smtpAddr, From: *smtpFrom, Username: *smtpUser, Password: *smtpPass}
	}
	isDemo := *withDemo
	if !*withDemo {
		if isDemo, err = demo.Present(ctx, d); err != nil {
			return err
		}
	}
	messagesPath, err := messagesFile(*notifyFile, *dsn, isDemo)
	if err != nil {
		return err
	}
	if messagesPath != "" {
		fd, err := notify.NewFileDriver(messagesPath)
		if err != nil {
			return fmt.Errorf("--notify-file: %w", err)
		}
		for _, ch := range []string{notify.SMS, notify.Email} {
			if drivers[ch] == nil {
				drivers[ch] = fd
			}
		}
	}
	if drivers[notify.SMS] == nil {
		slog.Warn("no SMS gateway (--sms-url) and no --notify-file: sign-in codes reach no one, and the outbox never shows them")
	}
	secret, err := loadIssuerSecret(*issuerSecret, *dsn)
	if err != nil {
		return err
	}
	a, err := app.New(d, app.Options{Demo: isDemo, SecureCookies: *secure, Drivers: drivers, PublicURL: public, IssuerSecret: secret, Witnesses: policy,
		TileURL: *tileURL, TileAttribution: *tileAttribution, PracticeDir: *practiceDir, TrustedProxies: proxies})
	if err != nil {
		return err
	}
	if secret != nil {
		if _, err := a.Keys.Active(ctx); err != nil {
			return fmt.Errorf("issuer key: %w", err)
		}
	}
	if *withDemo {
		issuer := public
		if issuer == "" {
			issuer = "http://" + *addr
			if https != nil {
				issuer = "https://" + *addr
			}
		}
		if *demoSize < 1 {
			return fmt.Errorf("--demo-citizens: %d: the demo city needs at least one citizen", *demoSize)
		}
		res, err := buildDemo(ctx, a, issuer, secret != nil, demo.Options{Citizens: *demoSize, Progress: stdout})
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if !res.Created && !res.Completed {
			fmt.Fprintln(stdout, "Demo city already present; nothing added. (Demo staff passwords were printed when it was generated.)")
		}
	}

	srv, err := listen(a, *addr, https, public)
	if err != nil {
		return err
	}
	warnPlainHTTP(stdout, *addr, public, https)
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	if *jobs {
		wg.Go(func() { a.RunJobs(jobCtx) })
	}
	errc := srv.serve()
	if messagesPath != "" {
		fmt.Fprintf(stdout, "Messages, sign-in codes included, are written to %s (mode 0600): tail -f %q\n", messagesPath, messagesPath)
	}
	fmt.Fprintf(stdout, "Maeul is serving on %s (ready in %s)\n", srv.url(), time.Since(start).Round(time.Millisecond))
	if public != "" && public != srv.url() {
		fmt.Fprintf(stdout, "Its public address is %s\n", public)
	}
	slog.Info("serving", "addr", srv.url(), "public_url", public, "startup", time.Since(start).String())

	select {
	case err := <-errc:
		stopJobs()
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = srv.shutdown(shutdownCtx)
	stopJobs()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// messagesFile is where the file driver writes: the flag's path, or with
// demo data a file beside the SQLite database (a fresh temporary directory
// on PostgreSQL), so that whoever runs the demo can read the codes; "" for
// none.
func messagesFile(flagValue, dsn string, demo bool) (string, error) {
	if flagValue != "" || !demo {
		return flagValue, nil
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && path != ":memory:" {
		return path + ".messages.jsonl", nil
	}
	dir, err := os.MkdirTemp("", "maeul-messages-")
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "messages.jsonl"), nil
}

// witnessPolicy is the ledger's publication policy from the flags.
func witnessPolicy(specs []string, quorum int) (ledger.Policy, error) {
	var p ledger.Policy
	for _, s := range specs {
		m, err := witness.NewMember(s)
		if err != nil {
			return p, err
		}
		p.Witnesses = append(p.Witnesses, m)
	}
	p.Quorum = quorum
	if quorum == 0 {
		p.Quorum = len(p.Witnesses)/2 + min(len(p.Witnesses), 1)
	}
	if p.Quorum > len(p.Witnesses) {
		return p, fmt.Errorf("--witness-quorum %d: only %d witnesses are given", quorum, len(p.Witnesses))
	}
	return p, nil
}

// loadIssuerSecret reads the secret sealing the issuer's keys: from the flag
// or MAEUL_ISSUER_SECRET, else (SQLite only) from a file beside the
// database. PostgreSQL installations run several instances, which must
// share it, so there it has to be given; without it keys are published but
// nothing is signed.
func loadIssuerSecret(flagValue, dsn string) ([]byte, error) {
	if flagValue != "" {
		return identity.ParseSecret(flagValue)
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && path != ":memory:" {
		return identity.SecretFromFile(path + ".issuer-secret")
	}
	slog.Warn("no issuer secret: the city can publish its keys but not sign credentials, and sign-in codes are checked only by the instance that sent them; set MAEUL_ISSUER_SECRET")
	return nil, nil
}
