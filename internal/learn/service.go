package learn

import (
	"context"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/reserve"
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
	seats  *reserve.Engine
	Now    func() time.Time
}

// seatSpec is how the reservation engine finds a session's seats: the
// session rows are its pools, the registrations its claims.
// Sessions are never full: registrations wait for a seat.
var seatSpec = reserve.Spec{Pool: "class_sessions", Taken: "seats_taken", Claims: "registrations", PoolRef: "session_id",
	Size: "seats", CheckedIn: "attended_at", Active: []string{Confirmed, Waitlisted, Applied},
	Keys: reserve.Keys{NoPool: "learn.session_not_found", NoClaim: "learn.registration_not_found",
		Already: "learn.already_registered", DrawClosed: "learn.lottery_closed"}}

// tickets are the learners' tickets; the prefix starts the text of every
// ticket's QR code.
var tickets = reserve.Tickets{Prefix: TicketPrefix, Missing: "staff.ticket_required", Invalid: "staff.ticket_invalid"}

// New returns the learning-centre service.
func New(d *db.DB, people People, n *notify.Service) *Service {
	return &Service{db: d, people: people, notify: n, seats: reserve.New(d, seatSpec), Now: time.Now}
}
