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

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/api"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/board"
	"github.com/maeul/maeul/internal/booking"
	"github.com/maeul/maeul/internal/city"
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
	bookingOpts := booking.Options{
		District: func(ctx context.Context, id int64) (string, error) {
			u, err := users.Get(ctx, id)
			return u.District, err
		},
		BirthYear: func(ctx context.Context, id int64) (int, error) {
			u, err := users.Get(ctx, id)
			return u.BirthYear, err
		},
		Names:  users.Names,
		Others: a.courseSeats,
	}
	a.Booking = booking.New(d, a.Places, a.Notify, bookingOpts)
	boardOpts := board.Options{Zones: a.Places, People: users, DistrictName: districtName}
	a.Board = board.New(d, boardOpts)
	guidesOpts := guides.Options{
		Accounts: func(ctx context.Context) ([]guides.Account, error) {
			us, err := users.List(ctx, auth.ListFilter{Role: actor.Guide, Limit: 1000})
			out := make([]guides.Account, len(us))
			for i, u := range us {
				out[i] = guides.Account{ID: u.ID, Name: u.Name}
			}
			return out, err
		},
		ZoneName: func(code, lang string) string {
			z, err := a.Places.Zone(context.Background(), code)
			if err != nil {
				return code
			}
			return z.Name(lang)
		},
		TileURL: opts.TileURL, TileAttribution: opts.TileAttribution,
	}
	a.Guides = guides.NewService(d, guidesOpts)
	a.Places.Landmarks = func(ctx context.Context) ([]places.Landmark, error) {
		hs, err := a.Guides.Landmarks(ctx)
		out := make([]places.Landmark, len(hs))
		for i, h := range hs {
			out[i] = places.Landmark{NameKo: h.NameKo, NameEn: h.NameEn, Lat: h.At.Lat, Lon: h.At.Lon}
		}
		return out, err
	}

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
	districts := func(lang string) []web.Option {
		var out []web.Option
		for _, dist := range city.Districts() {
			out = append(out, web.Option{Value: dist.Code, Label: dist.Name(lang)})
		}
		return out
	}
	learn.Register(rt, a.Learn, learn.Options{Districts: districts})
	auth.Register(rt, a.Auth, auth.Options{Districts: districts})
	notify.Register(rt, a.Notify)
	audit.Register(rt, d, users.Names)
	placeNames := func(lang string) map[string]string {
		names := map[string]string{}
		for _, dist := range city.Districts() {
			names[dist.Code] = dist.Name(lang)
		}
		for _, z := range city.DemoZones() {
			names[z.Code] = z.Name(lang)
		}
		return names
	}
	identity.Register(rt, a.Keys, a.Cards, identity.Issuer{URL: opts.PublicURL}, identity.Options{Places: placeNames})
	identity.RegisterVerifier(rt, a.Keys, a.Presentations, identity.Issuer{URL: opts.PublicURL}, placeNames)
	wallet.Register(rt, wallet.Options{Districts: districts, Zones: func(lang string) []web.Option {
		var out []web.Option
		for _, z := range city.DemoZones() {
			out = append(out, web.Option{Value: z.Code, Label: z.Name(lang)})
		}
		return out
	}})
	ledger.Register(rt, a.Ledger)
	funds.Register(rt, a.Funds, identity.Issuer{URL: opts.PublicURL}, funds.Options{Districts: districts})
	places.Register(rt, a.Places, places.Options{TileURL: opts.TileURL, TileAttribution: opts.TileAttribution,
		DistrictName: districtName,
		BookingURL: func(ctx context.Context, id int64) (string, error) {
			rs, err := a.Booking.ResourcesOf(ctx, id, false)
			if err != nil || len(rs) == 0 {
				return "", err
			}
			return fmt.Sprintf("/book/facilities/%d", id), nil
		}})
	booking.Register(rt, a.Booking, bookingOpts)
	board.Register(rt, a.Board, boardOpts)
	guides.Register(rt, a.Guides, guidesOpts)
	practice.Register(rt, a.Practice, words)
	home.Register(rt, a.homeOptions(users))
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

func districtName(code, lang string) string {
	d, ok := city.DistrictByCode(code)
	if !ok {
		return code
	}
	return d.Name(lang)
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
