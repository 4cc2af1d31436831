package guides

import (
	"context"
	"time"

	"github.com/maeul/maeul/internal/db"
)

// Account is an account holding the guide role, as the app names it.
type Account struct {
	ID   int64
	Name string
}

// Options are what the guides part needs from the rest of the app.
type Options struct {
	// Accounts lists the accounts holding the guide role, for the
	// coordinators' form; nil: the form asks for an account number.
	Accounts func(ctx context.Context) ([]Account, error)
	// ZoneName names a living zone in a language; nil shows the code.
	ZoneName func(code, lang string) string
	// TileURL and TileAttribution name the tile server behind the data
	// map, as for the places part's maps; without one the map draws the
	// spots alone.
	TileURL, TileAttribution string
}

// Service is the digital guides' logic and store.
type Service struct {
	db   *db.DB
	opts Options
	Now  func() time.Time
}

// NewService returns the guides service on d.
func NewService(d *db.DB, opts Options) *Service {
	return &Service{db: d, opts: opts, Now: time.Now}
}

func (s *Service) zoneName(code, lang string) string {
	if s.opts.ZoneName == nil || code == "" {
		return code
	}
	if n := s.opts.ZoneName(code, lang); n != "" {
		return n
	}
	return code
}
