package app

import (
	"context"
	"fmt"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/board"
	"github.com/maeul/maeul/internal/booking"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/guides"
	"github.com/maeul/maeul/internal/home"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/learn"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/wallet"
	"github.com/maeul/maeul/internal/web"
)

// parts are what every part needs from the rest of the platform, one
// field per part's Options, as New passes them. They are built in one
// place, wire, and New passes nothing else: the wiring test reads them
// back and fails on any field left zero, so that no feature is tested in
// its part and off in the running app.
type parts struct {
	Learn    learn.Options
	Auth     auth.Options
	Identity identity.Options
	Wallet   wallet.Options
	Funds    funds.Options
	Places   places.Options
	Booking  booking.Options
	Board    board.Options
	Guides   guides.Options
	Home     home.Options
}

// wire fills every part's options. It runs once the services are made
// (board's Zones is the places service itself); its functions reach the
// app's services only when called.
func (a *App) wire(users *auth.Users, opts Options) parts {
	return parts{
		Learn:    learn.Options{Districts: a.districtOptions},
		Auth:     auth.Options{Districts: a.districtOptions},
		Identity: identity.Options{Places: a.placeNames},
		Wallet:   wallet.Options{Districts: a.districtOptions, Zones: a.zoneOptions},
		Funds:    funds.Options{Districts: a.districtOptions},
		Places: places.Options{TileURL: opts.TileURL, TileAttribution: opts.TileAttribution,
			DistrictName: places.DistrictName,
			BookingURL: func(ctx context.Context, id int64) (string, error) {
				rs, err := a.Booking.ResourcesOf(ctx, id, false)
				if err != nil || len(rs) == 0 {
					return "", err
				}
				return fmt.Sprintf("/book/facilities/%d", id), nil
			},
			Landmarks: a.landmarks,
		},
		Booking: booking.Options{
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
		},
		Board: board.Options{Zones: a.Places, People: users, MyZone: a.myZone, DistrictName: places.DistrictName},
		Guides: guides.Options{
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
		},
		Home: a.homeOptions(users),
	}
}

// districtOptions are the districts the city's living zones lie in, from
// the places part, as a form's choices.
func (a *App) districtOptions(lang string) []web.Option {
	ds, err := a.Places.Districts(context.Background())
	if err != nil {
		return nil
	}
	out := make([]web.Option, len(ds))
	for i, d := range ds {
		out[i] = web.Option{Value: d.Code, Label: d.Name(lang)}
	}
	return out
}

// zoneOptions are the city's living zones from the places part — its own,
// once imported — as a form's choices.
func (a *App) zoneOptions(lang string) []web.Option {
	zs, err := a.Places.NamedZones(context.Background())
	if err != nil {
		return nil
	}
	out := make([]web.Option, len(zs))
	for i, z := range zs {
		out[i] = web.Option{Value: z.Code, Label: z.Name(lang)}
	}
	return out
}

// placeNames name the codes of districts and living zones from the places
// part; nil (the codes are shown) when it cannot be read.
func (a *App) placeNames(lang string) map[string]string {
	names, err := a.Places.Names(context.Background(), lang)
	if err != nil {
		return nil
	}
	return names
}

// landmarks are the digital guides' spots, for the places' locator.
func (a *App) landmarks(ctx context.Context) ([]places.Landmark, error) {
	hs, err := a.Guides.Landmarks(ctx)
	out := make([]places.Landmark, len(hs))
	for i, h := range hs {
		out[i] = places.Landmark{NameKo: h.NameKo, NameEn: h.NameEn, Lat: h.At.Lat, Lon: h.At.Lon}
	}
	return out, err
}

// myZone is the living zone of the signed-in citizen (or of the citizen
// staff act for): that of the resident they proved to be, "" before they
// did.
func (a *App) myZone(ctx context.Context) string {
	ac := actor.From(ctx)
	if ac == nil || ac.Subject().ID == 0 {
		return ""
	}
	r, err := identity.NewRegistry(a.DB).ResidentOf(ctx, ac.Subject().ID)
	if err != nil {
		return ""
	}
	return r.Zone
}
