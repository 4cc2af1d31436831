package board

import (
	"context"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/places"
)

// Zones is what the board needs of the places part; places.Service
// provides it.
type Zones interface {
	Zones(ctx context.Context) ([]places.Zone, error)
	Zone(ctx context.Context, code string) (places.Zone, error)
	Events(ctx context.Context, f places.EventFilter) ([]places.EventAt, error)
}

// People names accounts; auth.Users provides it.
type People interface {
	Names(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Options are what the board needs from other parts, passed in by the app.
type Options struct {
	Zones  Zones
	People People
	// MyZone is the zone code of the signed-in user, "" when unknown; nil
	// leaves "my zone" off the zone list.
	MyZone func(ctx context.Context) string
	// DistrictName names a district in a language, for grouping zones.
	DistrictName func(code, lang string) string
}

// Service is the board's logic and store.
type Service struct {
	db   *db.DB
	opts Options
	Now  func() time.Time
}

// New returns the board service on d.
func New(d *db.DB, opts Options) *Service {
	return &Service{db: d, opts: opts, Now: time.Now}
}
