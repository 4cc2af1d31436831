package learn

import (
	"context"
	"github.com/maeul/maeul/internal/humancode"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/reserve"
)

func TestConcurrentRegistrationNeverOverbooks(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := f.session(t, "RACE-1", 20, FirstCome)
		people := f.citizens(t, 500)
		regs := make([]Registration, len(people))
		var wg sync.WaitGroup
		errc := make(chan error, len(people))
		for i, ctx := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := f.svc.Register(ctx, Request{SessionID: s.ID})
				if err != nil {
					errc <- err
					return
				}
				regs[i] = r
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatalf("register: %v", err)
		}
		checkSession(t, f, s.ID, 20, 480)

		// Waitlist order is arrival order: queue positions are unique and the
		// confirmed ones all arrived before every waitlisted one.
		var confirmed, waiting []int
		for _, r := range regs {
			switch r.Status {
			case Confirmed:
				confirmed = append(confirmed, r.QueuePos)
			case Waitlisted:
				waiting = append(waiting, r.QueuePos)
			}
		}
		sort.Ints(confirmed)
		sort.Ints(waiting)
		if confirmed[len(confirmed)-1] > waiting[0] {
			t.Fatalf("a waitlisted registration (pos %d) arrived before a confirmed one (pos %d)", waiting[0], confirmed[len(confirmed)-1])
		}

		// One cancellation promotes exactly the head of the waitlist.
		var first Registration
		for _, r := range regs {
			if r.Status == Confirmed {
				first = r
				break
			}
		}
		owner := people[indexOf(regs, first.ID)]
		if _, err := f.svc.Cancel(owner, first.ID); err != nil {
			t.Fatal(err)
		}
		checkSession(t, f, s.ID, 20, 479)
		head := regByPos(regs, waiting[0])
		got, err := f.svc.Registration(people[indexOf(regs, head.ID)], head.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != Confirmed {
			t.Fatalf("head of waitlist is %s after a cancellation, want confirmed", got.Status)
		}
	})
}

func indexOf(regs []Registration, id int64) int {
	for i, r := range regs {
		if r.ID == id {
			return i
		}
	}
	return -1
}

func regByPos(regs []Registration, pos int) Registration {
	for _, r := range regs {
		if r.QueuePos == pos {
			return r
		}
	}
	return Registration{}
}

func checkSession(t *testing.T, f *fixture, id int64, confirmed, waitlisted int) {
	t.Helper()
	ctx := context.Background()
	var c, w, taken int
	q := f.db.Read()
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status = 'confirmed'`, id).Scan(&c)
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status = 'waitlisted'`, id).Scan(&w)
	q.QueryRowContext(ctx, `SELECT seats_taken FROM class_sessions WHERE id = $1`, id).Scan(&taken)
	if c != confirmed || w != waitlisted || taken != confirmed {
		t.Fatalf("confirmed=%d waitlisted=%d seats_taken=%d, want %d/%d/%d", c, w, taken, confirmed, waitlisted, confirmed)
	}
}

func TestRegistrationErrorsChangeNothing(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := f.session(t, "ERR-1", 2, FirstCome)
		people := f.citizens(t, 2)
		if _, err := f.svc.Register(people[0], Request{SessionID: s.ID}); err != nil {
			t.Fatal(err)
		}
		tutor := f.staff(t, "tutor", "tutor1")
		cases := []struct {
			name string
			ctx  context.Context
			req  Request
			code errs.Code
			key  string
		}{
			{"unknown session", people[1], Request{SessionID: 99999}, errs.NotFound, "learn.session_not_found"},
			{"duplicate", people[0], Request{SessionID: s.ID}, errs.Conflict, "learn.already_registered"},
			{"anonymous", context.Background(), Request{SessionID: s.ID}, errs.Unauthorized, "error.unauthorized"},
			{"wrong role", tutor, Request{SessionID: s.ID}, errs.Forbidden, "learn.staff_register_for_citizen"},
			{"group without contact", people[1], Request{SessionID: s.ID, Seats: 2}, errs.Invalid, "learn.group_details_required"},
			{"more seats than capacity", people[1], Request{SessionID: s.ID, Seats: 3, GroupName: "g", GroupContact: "c"}, errs.Invalid, "learn.seats_over_capacity"},
		}
		for _, c := range cases {
			before := snapshot(t, f)
			_, err := f.svc.Register(c.ctx, c.req)
			e, ok := errs.As(err)
			if !ok || e.Code != c.code || e.Key != c.key {
				t.Errorf("%s: err = %v, want %s %s", c.name, err, c.code, c.key)
			}
			if after := snapshot(t, f); after != before {
				t.Errorf("%s: changed the database: %v -> %v", c.name, before, after)
			}
		}
		// A past session refuses registrations.
		f.now = s.StartsAt
		before := snapshot(t, f)
		if _, err := f.svc.Register(people[1], Request{SessionID: s.ID}); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("past session: err = %v, want conflict", err)
		}
		if snapshot(t, f) != before {
			t.Error("past session: changed the database")
		}
	})
}

type counts struct{ regs, outbox, seats, audit int }

func snapshot(t *testing.T, f *fixture) counts {
	t.Helper()
	var c counts
	q := f.db.Read()
	ctx := context.Background()
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations`).Scan(&c.regs)
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&c.outbox)
	q.QueryRowContext(ctx, `SELECT COALESCE(SUM(seats_taken), 0) FROM class_sessions`).Scan(&c.seats)
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&c.audit)
	return c
}

func TestTicketsAreEasyToReadAloud(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		tk := reserve.NewTicket()
		if len(tk) != 16 || strings.Trim(tk, humancode.Alphabet) != "" || seen[tk] {
			t.Fatalf("ticket %q", tk)
		}
		seen[tk] = true
	}
	if got := (Registration{Ticket: "K7QM2XPA9RTD4HWE"}).TicketText(); got != "K7QM-2XPA-9RTD-4HWE" {
		t.Fatalf("TicketText = %q", got)
	}
}

func TestRescheduleNeverDropsCapacityBelowSeatsTaken(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := f.session(t, "CAP-1", 3, FirstCome)
		for _, ctx := range f.citizens(t, 2) {
			if _, err := f.svc.Register(ctx, Request{SessionID: s.ID}); err != nil {
				t.Fatal(err)
			}
		}
		n := NewSession{Code: "CAP-1", CourseID: f.course.ID, VenueID: f.venue.ID, StartsAt: s.StartsAt, EndsAt: s.EndsAt, Capacity: 1}
		_, err := f.svc.ScheduleSession(context.Background(), n)
		if e, ok := errs.As(err); !ok || e.Key != "learn.capacity_below_taken" {
			t.Fatalf("lowering capacity below seats taken: %v", err)
		}
		n.Capacity = 2
		if _, err := f.svc.ScheduleSession(context.Background(), n); err != nil {
			t.Fatalf("capacity equal to seats taken: %v", err)
		}
		checkSession(t, f, s.ID, 2, 0)
	})
}
