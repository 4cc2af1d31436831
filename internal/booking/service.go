package booking

import (
	"context"
	"crypto/rand"
	"io"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/reserve"
)

// Facilities is what booking needs from the places part; places.Service
// provides it.
type Facilities interface {
	Facility(ctx context.Context, id int64) (places.Facility, error)
	Zone(ctx context.Context, code string) (places.Zone, error)
	// Zones are every living zone, for the districts of the facilities
	// in the catalogue.
	Zones(ctx context.Context) ([]places.Zone, error)
	// Locate finds the places a citizen's text names, for "near me".
	Locate(ctx context.Context, text string) ([]places.Place, error)
	// Suggest gives places whose names are close to a text Locate did
	// not find.
	Suggest(ctx context.Context, text string) ([]places.Place, error)
}

// Options are what booking needs from other parts, passed in by the app.
// New uses District, BirthYear and Names; Register uses Others. The app
// passes the same Options to both.
type Options struct {
	// District is the code of the district a citizen lives in ("" when not
	// known), for resources only residents of the facility's district may book.
	District func(ctx context.Context, userID int64) (string, error)
	// BirthYear is a citizen's year of birth (0 when not known), for
	// resources only seniors may book.
	BirthYear func(ctx context.Context, userID int64) (int, error)
	// Names are the names of accounts, for the staff's lists.
	Names func(ctx context.Context, ids []int64) (map[int64]string, error)
	// Others are what the citizen booked in other parts (a course's seat),
	// shown with their bookings on /my/bookings.
	Others func(ctx context.Context, userID int64, lang string) ([]Item, error)
}

// Service is the booking part's logic and store.
type Service struct {
	db         *db.DB
	facilities Facilities
	notify     *notify.Service
	opts       Options
	places     *reserve.Engine
	Now        func() time.Time
	// Rand is where draws get their seeds; tests replace it to replay a draw.
	Rand io.Reader
}

// placeSpec is how the reservation engine finds a slot's places: the slots
// are its pools, the bookings its claims.
var placeSpec = reserve.Spec{Pool: "booking_slots", Taken: "taken", Claims: "bookings", PoolRef: "slot_id",
	Size: "party", CheckedIn: "checked_in_at", Active: []string{Requested, Confirmed, Waitlisted, Applied},
	Keys: reserve.Keys{NoPool: "booking.slot_not_found", NoClaim: "booking.not_found",
		Already: "booking.already_booked", DrawClosed: "booking.lottery_closed", Full: "booking.full"}}

// tickets are the bookings' tickets; the prefix starts the text of every
// ticket's QR code.
var tickets = reserve.Tickets{Prefix: TicketPrefix, Missing: "booking.ticket_required", Invalid: "booking.ticket_not_found"}

// New returns the booking service. n may be nil: then nobody is told of
// promotions, decisions and draws (tests that do not look at messages).
func New(d *db.DB, facilities Facilities, n *notify.Service, opts Options) *Service {
	return &Service{db: d, facilities: facilities, notify: n, opts: opts, places: reserve.New(d, placeSpec), Now: time.Now, Rand: rand.Reader}
}
