package learn

import (
	"context"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/notify"
)

// People is what learn needs to know about accounts; auth.Users provides it.
type People interface {
	Get(ctx context.Context, id int64) (auth.User, error)
	Names(ctx context.Context, ids []int64) (map[int64]string, error)
	List(ctx context.Context, f auth.ListFilter) ([]auth.User, error)
	ByUsername(ctx context.Context, username string) (auth.User, error)
}

// Service is the learning centre's logic and store.
type Service struct {
	db     *db.DB
	people People
	notify *notify.Service
	Now    func() time.Time
}

// New returns the learning-centre service.
func New(d *db.DB, people People, n *notify.Service) *Service {
	return &Service{db: d, people: people, notify: n, Now: time.Now}
}
