package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/board"
	"github.com/maeul/maeul/internal/booking"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/guides"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/places"
)

// Parts are the parts the demo city is written through, as the app built
// them on its database.
type Parts struct {
	DB         *db.DB
	Funds      *funds.Service
	Programmes *funds.Programmes
	Places     *places.Service
	Booking    *booking.Service
	Board      *board.Service
	Guides     *guides.Service
	// Cards issue the first demo citizens' cards, naming IssuerURL as
	// their issuer; nil (no issuer secret, nothing can be signed): none.
	Cards     *identity.Cards
	IssuerURL string
}

// Build makes the whole demo city unless the database already has one:
// the people, staff, registry and courses (Generate), then the citizen
// cards, the policy funds' programmes, the living zones, facilities and
// events, the bookable rooms and the zones' news, the digital guides and
// the shops. It is the one way both `maeul demo` and `serve --demo` make
// it, so that either gives the same city. A database that holds only the
// first half (what `maeul demo` made before it built the rest, recognised
// by having no living zones) is completed. What it did is written to
// opt.Progress.
func Build(ctx context.Context, p Parts, opt Options) (Result, error) {
	opt = opt.withDefaults()
	out := io.Discard
	if opt.Progress != nil {
		out = opt.Progress
	}
	res, err := Generate(ctx, p.DB, opt)
	if err != nil {
		return res, err
	}
	if res.Created {
		PrintAccounts(out, res)
	} else {
		zones, err := p.Places.Zones(ctx)
		if err != nil || len(zones) > 0 {
			return res, err
		}
		res.Completed = true
		fmt.Fprintln(out, "The demo city has people and courses but no places: completing it.")
	}
	if p.Cards != nil && p.IssuerURL != "" {
		n, err := IssueCards(ctx, p.DB, p.Cards, p.IssuerURL, opt)
		if err != nil {
			return res, fmt.Errorf("demo cards: %w", err)
		}
		fmt.Fprintf(out, "Issued %d demo citizen cards; their issuance is on the ledger (/ledger/checkpoint).\n", n)
	}
	for _, pr := range funds.DemoProgrammes(opt.Now) {
		_, run, err := p.Programmes.Save(ctx, pr)
		if err != nil {
			return res, fmt.Errorf("demo programme %s: %w", pr.Slug, err)
		}
		fmt.Fprintf(out, "Demo programme %s: %d of %d residents qualify, %d KRW.\n", pr.Slug, run.Beneficiaries, run.Residents, run.Cost)
	}
	// The places and the guides keep seed 0, as they always had: the
	// standard demo city's facilities and spots stay where they were.
	zones, facilities, events, err := ImportPlaces(ctx, p.Places, 0, opt.Now)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(out, "Demo places: %d living zones, %d facilities, %d events.\n", zones, facilities, events)
	resources, news, err := OpenBooking(ctx, p.DB, p.Places, p.Booking, p.Board)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(out, "Demo booking: %d rooms, courts and study rooms; news on %d zone boards.\n", resources, news)
	g, err := OpenGuides(ctx, p.DB, p.Places, p.Guides, 0, opt.Now)
	if err != nil {
		return res, fmt.Errorf("demo guides: %w", err)
	}
	fmt.Fprintf(out, "Demo digital guides: %d spots on the data map, %d guides, %d shifts, %d help given.\n", g.Hotspots, g.Guides, g.Shifts, g.Helps)
	if err := OpenShops(ctx, p.DB, p.Funds, out); err != nil {
		return res, fmt.Errorf("demo shops: %w", err)
	}
	return res, nil
}

// OpenShops opens the demo shops, each run by a demo account of its own,
// registered and approved through the funds service so that the demo
// programmes' points can be spent at once, and writes how their owners
// sign in.
func OpenShops(ctx context.Context, d *db.DB, fs *funds.Service, out io.Writer) error {
	shops := funds.DemoMerchants()
	names := make([]string, len(shops))
	for i, m := range shops {
		names[i] = m.Name
	}
	owners, err := ShopOwners(ctx, d, names)
	if err != nil {
		return err
	}
	staff, staffID, err := FundsStaff(ctx, d)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "Demo shops (their owners sign in by phone like citizens, then open /merchant):")
	for i, m := range shops {
		if m, err = fs.RegisterMerchant(ctx, owners[i].ID, m); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
		if err := fs.DecideMerchant(staff, m.ID, staffID, true, ""); err != nil {
			return err
		}
		fmt.Fprintf(out, "  %-13s %s  %s (business number %s)\n", m.Category, auth.FormatPhone(owners[i].Phone), m.Name, m.Formatted())
	}
	return nil
}
