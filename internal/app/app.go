package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/maeul/maeul/internal/api"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/board"
	"github.com/maeul/maeul/internal/booking"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/guides"
	"github.com/maeul/maeul/internal/home"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/learn"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/ops"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/practice"
	"github.com/maeul/maeul/internal/wallet"
	"github.com/maeul/maeul/internal/web"
)

// Options configure an App.
type Options struct {
	Demo bool // label every page as demo data
	// SecureCookies marks cookies Secure even when PublicURL is not https
	// (it is implied by an https one, and by a request over TLS).
	SecureCookies bool
	Drivers       map[string]notify.Driver
	// PublicURL is the city's public address: the issuer of its
	// credentials, the base of every absolute link, the name of its
	// ledger. Empty: each request's own scheme and Host, which only a
	// development server on loopback may use.
	PublicURL    string
	IssuerSecret []byte        // seals the issuer's private keys and derives the ledger's; nil: publish, sign and record nothing
	Witnesses    ledger.Policy // who must cosign the ledger's checkpoints before they are published
	// TileURL and TileAttribution name an optional tile server for the
	// maps' background; without one they draw the zones only.
	TileURL, TileAttribution string
	// PracticeDir holds the tutors' own emulator files and sets.yaml,
	// besides the ones that come with the platform; empty: none.
	PracticeDir string
	// TrustedProxies are the reverse proxies in front, whose forwarding
	// headers give the client's address (web.ClientAddrs); none: the TCP
	// peer is the client.
	TrustedProxies web.TrustedProxies
}

// App is a running Maeul on one database.
type App struct {
	DB     *db.DB
	Auth   *auth.Service
	Notify *notify.Service
	Learn  *learn.Service
	Keys   *identity.Keys
	Cards  *identity.Cards
	// Ledger is the tamper-evident record of every card status change and
	// point movement.
	Ledger *ledger.Log
	// Presentations asks citizens' wallets for facts on behalf of the
	// relying parties and verifies the answers (OpenID4VP).
	Presentations *identity.Presentations
	// Funds runs the policy funds: applications, points, merchants,
	// payments; Programmes are its programmes and their rules.
	Funds      *funds.Service
	Programmes *funds.Programmes
	// Places are the living zones, facilities and events of the
	// 15-minute city.
	Places *places.Service
	// Booking books the facilities' rooms, courts and equipment.
	Booking *booking.Service
	// Board holds each zone's news and citizens' bulletin board.
	Board *board.Service
	// Guides runs the digital guides: spots, shifts, patrols, help log,
	// citizens' requests.
	Guides *guides.Service
	// Practice keeps learners' progress on the emulators.
	Practice *practice.Service
	Router   *web.Router
	Metrics  *web.Metrics
	handler  http.Handler
	wired    parts // what every part was given, for the wiring test
}

// New builds the app on an open, migrated database.
func New(d *db.DB, opts Options) (*App, error) {
	a := &App{DB: d, Metrics: web.NewMetrics()}
	if opts.PublicURL != "" {
		u, err := web.ParsePublicURL(opts.PublicURL)
		if err != nil {
			return nil, err
		}
		opts.PublicURL = u
	}
	users := auth.NewUsers(d)
	a.Notify = notify.New(d, users, opts.Drivers)
	a.Auth = auth.NewService(d, a.Notify, opts.IssuerSecret)
	a.Auth.Sessions.SecureCookie = opts.SecureCookies
	a.Learn = learn.New(d, users, a.Notify)
	a.Keys = identity.NewKeys(d, opts.IssuerSecret)
	var err error
	if a.Ledger, err = ledger.New(d, ledgerOrigin(opts.PublicURL), opts.IssuerSecret); err != nil {
		return nil, err
	}
	a.Ledger.Policy = opts.Witnesses
	a.Cards = identity.NewCards(d, a.Keys, identity.NewRegistry(d), a.Ledger)
	a.Presentations = identity.NewPresentations(d, a.Keys, a.Cards)
	a.Funds = funds.New(d, identity.NewRegistry(d), a.Presentations, a.Ledger)
	a.Programmes = a.Funds.Programmes
	a.Places = places.New(d)
	po := a.wire(users, opts)
	a.wired = po
	a.Places.Landmarks = po.Places.Landmarks
	a.Booking = booking.New(d, a.Places, a.Notify, po.Booking)
	a.Board = board.New(d, po.Board)
	a.Guides = guides.NewService(d, po.Guides)

	// A broken emulator file stops the start, naming its file and line,
	// rather than failing in front of a learner.
	var extra fs.FS
	if opts.PracticeDir != "" {
		extra = os.DirFS(opts.PracticeDir)
	}
	scenarios, sets, err := practice.Load(extra)
	if err != nil {
		return nil, fmt.Errorf("practice scenarios: %w", err)
	}
	words, err := practice.Glossary()
	if err != nil {
		return nil, err
	}
	if a.Practice, err = practice.Open(context.Background(), d, scenarios, sets, practiceLearning{a.Learn}); err != nil {
		return nil, err
	}

	rt := web.NewRouter(a.Metrics)
	a.Router = rt
	learn.Register(rt, a.Learn, po.Learn)
	auth.Register(rt, a.Auth, po.Auth)
	notify.Register(rt, a.Notify)
	audit.Register(rt, d, users.Names)
	identity.Register(rt, a.Keys, a.Cards, identity.Issuer{URL: opts.PublicURL}, po.Identity)
	identity.RegisterVerifier(rt, a.Keys, a.Presentations, identity.Issuer{URL: opts.PublicURL}, po.Identity)
	wallet.Register(rt, po.Wallet)
	ledger.Register(rt, a.Ledger)
	funds.Register(rt, a.Funds, identity.Issuer{URL: opts.PublicURL}, po.Funds)
	places.Register(rt, a.Places, po.Places)
	booking.Register(rt, a.Booking, po.Booking)
	board.Register(rt, a.Board, po.Board)
	guides.Register(rt, a.Guides, po.Guides)
	practice.Register(rt, a.Practice, words)
	home.Register(rt, po.Home)
	web.RegisterPrefs(rt)
	rt.HandleHTTP("GET /static/", web.Static())
	ops.Register(rt, d, a.Metrics)
	api.Register(rt)

	var tileOrigins []string
	if u, err := url.Parse(opts.TileURL); err == nil && u.Host != "" {
		tileOrigins = append(tileOrigins, u.Scheme+"://"+u.Host)
	}
	a.handler = web.Chain(rt,
		web.ClientAddrs(opts.TrustedProxies),
		web.Recover,
		web.Public{URL: opts.PublicURL, SecureCookies: opts.SecureCookies}.Middleware(),
		web.SecurityHeadersAllowing(tileOrigins...),
		web.Site(web.SiteInfo{Demo: opts.Demo}),
		web.WithPrefsMiddleware,
		a.Auth.Sessions.Middleware,
		rt.LimitBodies,
		web.CSRFExcept("/oauth/", "/credential", "/vp/"),
		web.CleanInput,
	)
	return a, nil
}

// courseSeats are the citizen's seats in the learning centre's classes,
// for the one list of "my bookings".
func (a *App) courseSeats(ctx context.Context, _ int64, lang string) ([]booking.Item, error) {
	regs, err := a.Learn.MyRegistrations(ctx)
	if err != nil {
		return nil, err
	}
	l := i18n.For(lang)
	var out []booking.Item
	for _, r := range regs {
		if !r.Active() && r.AttendedAt.IsZero() {
			continue
		}
		out = append(out, booking.Item{
			Title: l.Pick(r.Session.Course.TitleKo, r.Session.Course.TitleEn), Place: l.Pick(r.Session.Venue.NameKo, r.Session.Venue.NameEn),
			StartsAt: r.Session.StartsAt, EndsAt: r.Session.EndsAt, Status: l.T("status." + r.Status), URL: fmt.Sprintf("/my/registrations/%d", r.ID),
		})
	}
	return out, nil
}

// ServeHTTP serves the whole site.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// RunJobs runs the background jobs until ctx ends: message dispatch,
// reminders, lottery draws, pruning and the expiry of points. Every
// instance may run them; each job claims its work in the database so
// nothing is done twice.
func (a *App) RunJobs(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { a.Notify.Run(ctx) })
	wg.Go(func() {
		// New entries reach a signed checkpoint within a second. A failure
		// that lasts (witnesses down) is logged when it starts, changes or
		// ends, not every second.
		last := ""
		every(ctx, time.Second, func() {
			err := a.Ledger.Update(ctx)
			msg := ""
			if err != nil && !errors.Is(err, ledger.ErrNoSecret) {
				msg = err.Error()
			}
			switch {
			case msg == last:
			case msg == "":
				slog.Info("jobs: ledger publishes again")
			default:
				slog.Error("jobs: ledger", "err", err)
			}
			last = msg
		})
	})
	wg.Go(func() {
		every(ctx, time.Minute, func() {
			if _, err := a.Learn.DrawDueLotteries(ctx); err != nil {
				slog.Error("jobs: lottery draws", "err", err)
			}
			if _, err := a.Learn.SendReminders(ctx); err != nil {
				slog.Error("jobs: reminders", "err", err)
			}
			if _, err := a.Booking.DrawDue(ctx); err != nil {
				slog.Error("jobs: booking lottery draws", "err", err)
			}
		})
	})
	wg.Go(func() {
		every(ctx, time.Hour, func() {
			if err := a.Auth.Prune(ctx); err != nil {
				slog.Error("jobs: prune", "err", err)
			}
			if err := a.Cards.Prune(ctx); err != nil {
				slog.Error("jobs: prune issuance", "err", err)
			}
			if err := a.Presentations.Prune(ctx); err != nil {
				slog.Error("jobs: prune presentations", "err", err)
			}
			if err := a.Board.Prune(ctx); err != nil {
				slog.Error("jobs: prune board", "err", err)
			}
			if _, err := a.Funds.ExpirePoints(ctx); err != nil && !errors.Is(err, ledger.ErrNoSecret) {
				slog.Error("jobs: expire points", "err", err)
			}
		})
	})
	wg.Wait()
}

func every(ctx context.Context, d time.Duration, f func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		f()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ledgerOrigin names the ledger after the city's public address, which
// must therefore not change once checkpoints are published.
func ledgerOrigin(publicURL string) string {
	if u, err := url.Parse(publicURL); err == nil && u.Host != "" {
		return u.Host + strings.TrimSuffix(u.Path, "/") + "/ledger"
	}
	return "maeul.localhost/ledger"
}
