package booking

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

// run calls fn for every context at once and collects the outcomes by
// booking status or refusal key.
func run(ctxs []context.Context, fn func(i int, ctx context.Context) (string, error)) (map[string]int, []error) {
	var mu sync.Mutex
	out := map[string]int{}
	var bad []error
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, ctx := range ctxs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			st, err := fn(i, ctx)
			mu.Lock()
			defer mu.Unlock()
			if e, ok := errs.As(err); ok {
				out[e.Key]++
			} else if err != nil {
				bad = append(bad, err)
			} else {
				out[st]++
			}
		}()
	}
	close(gate)
	wg.Wait()
	return out, bad
}

func TestThousandBookingsForTheLastFivePlaces(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 10, MaxParty: 1})
		slot := at(2, 14, 0)
		early := f.citizens(5)
		for _, c := range early {
			if _, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: slot}); err != nil {
				t.Fatal(err)
			}
		}
		late := f.citizens(1000)
		got, bad := run(late, func(_ int, ctx context.Context) (string, error) {
			b, err := f.svc.Book(ctx, Request{ResourceID: res.ID, StartsAt: slot})
			return b.Status, err
		})
		if len(bad) > 0 {
			t.Fatalf("%d unexpected errors, first %v", len(bad), bad[0])
		}
		if got[Confirmed] != 5 || got["booking.full"] != 995 || len(got) != 2 {
			t.Fatalf("outcomes %v, want 5 confirmed and 995 full", got)
		}
		taken, by := f.slotState(res.ID, slot)
		if taken != 10 || by[Confirmed] != 10 || len(by) != 1 {
			t.Fatalf("slot: taken %d, bookings %v", taken, by)
		}
	})
}

func TestCancellationsPromoteEachWaitingPersonOnce(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 5, MaxParty: 1})
		slot := at(3, 9, 0)
		holders := f.citizens(5)
		var held []Booking
		for _, c := range holders {
			b, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: slot})
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, b)
		}
		waiters := f.citizens(20)
		var queue []Booking
		for _, c := range waiters {
			b, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: slot, Waitlist: true})
			if err != nil || b.Status != Waitlisted {
				t.Fatalf("%+v %v", b, err)
			}
			queue = append(queue, b)
		}
		// Each holder cancels twice at once, and staff cancel the first
		// holder's booking too: five cancellations succeed.
		var ctxs []context.Context
		var ids []int64
		for i, c := range holders {
			ctxs, ids = append(ctxs, c, c), append(ids, held[i].ID, held[i].ID)
		}
		ctxs, ids = append(ctxs, f.admin), append(ids, held[0].ID)
		got, bad := run(ctxs, func(i int, ctx context.Context) (string, error) {
			b, err := f.svc.Cancel(ctx, ids[i])
			return b.Status, err
		})
		if len(bad) > 0 {
			t.Fatalf("unexpected errors: %v", bad)
		}
		if got[Cancelled] != 5 || got["booking.not_active"] != 6 {
			t.Fatalf("outcomes %v", got)
		}
		taken, by := f.slotState(res.ID, slot)
		if taken != 5 || by[Confirmed] != 5 || by[Cancelled] != 5 || by[Waitlisted] != 15 {
			t.Fatalf("slot: taken %d, %v", taken, by)
		}
		for i, w := range queue {
			b, err := f.svc.Booking(waiters[i], w.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]string{true: Confirmed, false: Waitlisted}[i < 5]; b.Status != want {
				t.Errorf("waiting %d is %s, want %s: promotion goes in queue order", i, b.Status, want)
			}
		}
		var promoted, told int
		ctx := context.Background()
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'booking.promote'`).Scan(&promoted); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE kind = 'waitlist'`).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if promoted != 5 || told != 5 {
			t.Fatalf("%d promotions audited and %d people told, want 5 and 5", promoted, told)
		}
	})
}

func TestWeeklyLimitUnderConcurrency(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 3, WeeklyLimit: 2, SlotMinutes: 30})
		c := f.citizens(1)[0]
		// Twenty different slots in one week (Wednesday to Saturday).
		var starts []time.Time
		for day := 1; day <= 4; day++ {
			for h := 0; h < 5; h++ {
				starts = append(starts, at(day, 10+h, 30))
			}
		}
		ctxs := make([]context.Context, len(starts))
		for i := range ctxs {
			ctxs[i] = c
		}
		got, bad := run(ctxs, func(i int, ctx context.Context) (string, error) {
			b, err := f.svc.Book(ctx, Request{ResourceID: res.ID, StartsAt: starts[i]})
			return b.Status, err
		})
		if len(bad) > 0 {
			t.Fatalf("unexpected errors: %v", bad)
		}
		if got[Confirmed] != 2 || got["booking.weekly_limit"] != 18 {
			t.Fatalf("outcomes %v, want 2 confirmed and 18 over the limit", got)
		}
		// Next week is another week.
		if _, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: at(7, 10, 0)}); err != nil {
			t.Fatal(err)
		}
	})
}

// A place freed by a cancellation goes to the waitlist in the same
// transaction: newcomers booking at that moment never see it free.
func TestNewcomersDoNotOvertakeTheWaitlist(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 5, MaxParty: 1})
		slot := at(4, 11, 0)
		holders, waiters, newcomers := f.citizens(5), f.citizens(10), f.citizens(50)
		var held []int64
		for _, c := range holders {
			b, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: slot})
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, b.ID)
		}
		for _, c := range waiters {
			if _, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: slot, Waitlist: true}); err != nil {
				t.Fatal(err)
			}
		}
		ctxs := append(append([]context.Context{}, holders...), newcomers...)
		got, bad := run(ctxs, func(i int, ctx context.Context) (string, error) {
			if i < len(holders) {
				b, err := f.svc.Cancel(ctx, held[i])
				return b.Status, err
			}
			b, err := f.svc.Book(ctx, Request{ResourceID: res.ID, StartsAt: slot})
			return b.Status, err
		})
		if len(bad) > 0 {
			t.Fatalf("unexpected errors: %v", bad)
		}
		if got[Cancelled] != 5 || got["booking.full"] != 50 {
			t.Fatalf("outcomes %v, want 5 cancelled and 50 full", got)
		}
		if taken, by := f.slotState(res.ID, slot); taken != 5 || by[Confirmed] != 5 || by[Waitlisted] != 5 {
			t.Fatalf("taken %d, %v", taken, by)
		}
	})
}
