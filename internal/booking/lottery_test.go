package booking

import (
	"bytes"
	"context"
	"encoding/hex"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/reserve"
)

// drawnSlot is a slot's stored seed and its bookings in order of application.
func (f *fixture) drawnSlot(resourceID int64, start time.Time) (seed [32]byte, bs []Booking) {
	f.t.Helper()
	ctx := context.Background()
	var id int64
	var hexSeed string
	if err := f.db.QueryRow(ctx, `SELECT id, draw_seed FROM booking_slots WHERE resource_id = $1 AND starts_at = $2`, resourceID, db.Time(start)).
		Scan(&id, &hexSeed); err != nil {
		f.t.Fatal(err)
	}
	raw, err := hex.DecodeString(hexSeed)
	if err != nil || len(raw) != 32 {
		f.t.Fatalf("seed %q", hexSeed)
	}
	copy(seed[:], raw)
	rows, err := f.db.Query(ctx, `SELECT `+bookingCols+` FROM bookings WHERE slot_id = $1 ORDER BY created_at, id`, id)
	bs, err = db.Collect(rows, err, scanBooking)
	if err != nil {
		f.t.Fatal(err)
	}
	return seed, bs
}

func TestLotteryRespectsCapacityAndMonthlyWins(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.svc.Rand = bytes.NewReader(append(bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{9}, 32)...))
		res := f.resource(Resource{Capacity: 3, MaxParty: 1, Allocation: Lottery, MonthlyWins: 1})
		slotA, slotB := at(2, 10, 0), at(3, 10, 0)
		cs := f.citizens(8)
		for _, start := range []time.Time{slotA, slotB} {
			for _, c := range cs {
				b, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: start})
				if err != nil || b.Status != Applied {
					t.Fatalf("apply: %+v %v", b, err)
				}
				f.now = f.now.Add(time.Second) // applications in a known order
			}
		}
		var slotID int64
		if err := d.QueryRow(context.Background(), `SELECT id FROM booking_slots WHERE resource_id = $1 AND starts_at = $2`, res.ID, db.Time(slotA)).Scan(&slotID); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Draw(f.admin, slotID)
		wantKey(t, err, "booking.lottery_open")
		if n, err := f.svc.DrawDue(context.Background()); err != nil || n != 0 {
			t.Fatalf("drew %d before the draw time: %v", n, err)
		}
		_, err = f.svc.Draw(f.citizens(1)[0], slotID)
		wantKey(t, err, "error.forbidden")

		// Applications close at 18:00 the day before.
		f.now = res.DrawTime(slotA)
		late := f.citizens(1)[0]
		before := f.state()
		_, err = f.svc.Book(late, Request{ResourceID: res.ID, StartsAt: slotA})
		wantKey(t, err, "booking.lottery_closed")
		if f.state() != before {
			t.Fatal("a refused application changed something")
		}
		if n, err := f.svc.DrawDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("DrawDue: %d, %v", n, err)
		}
		_, err = f.svc.Draw(f.admin, slotID)
		wantKey(t, err, "booking.already_drawn")
		if n, err := f.svc.DrawDue(context.Background()); err != nil || n != 0 {
			t.Fatalf("drew again: %d, %v", n, err)
		}
		seed, bs := f.drawnSlot(res.ID, slotA)
		if seed != [32]byte(bytes.Repeat([]byte{7}, 32)) {
			t.Fatalf("stored seed %x", seed)
		}
		// The first three in the seed's order won; the rest wait in drawn order.
		order := reserve.DrawOrder(seed, len(bs))
		winnersA := map[int64]bool{}
		for pos, idx := range order {
			b := bs[idx]
			if pos < 3 {
				if b.Status != Confirmed || !b.Won {
					t.Errorf("drawn %d: %s won=%v, want confirmed", pos, b.Status, b.Won)
				}
				winnersA[b.UserID] = true
			} else if b.Status != Waitlisted || b.QueuePos != pos-2 {
				t.Errorf("drawn %d: %s at %d, want waitlisted at %d", pos, b.Status, b.QueuePos, pos-2)
			}
		}
		if taken, _ := f.slotState(res.ID, slotA); taken != 3 {
			t.Fatalf("taken %d", taken)
		}

		// The next day's draw passes over those who won this month.
		f.now = res.DrawTime(slotB)
		if n, err := f.svc.DrawDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("DrawDue: %d, %v", n, err)
		}
		seed, bs = f.drawnSlot(res.ID, slotB)
		won := 0
		var waiting []Booking
		for _, idx := range reserve.DrawOrder(seed, len(bs)) {
			b := bs[idx]
			switch {
			case b.Status == Confirmed:
				won++
				if winnersA[b.UserID] {
					t.Errorf("user %d won twice this month", b.UserID)
				}
			case b.Status == Waitlisted:
				waiting = append(waiting, b)
			default:
				t.Errorf("status %s after the draw", b.Status)
			}
		}
		if won != 3 || len(waiting) != 5 {
			t.Fatalf("won %d, waiting %d", won, len(waiting))
		}
		slices.SortFunc(waiting, func(a, b Booking) int { return a.QueuePos - b.QueuePos })
		for i, b := range waiting {
			if over := winnersA[b.UserID]; over != (i >= 2) {
				t.Errorf("waiting %d (over the monthly limit: %v): those over the limit wait last", i, over)
			}
		}
		var told int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE kind = 'lottery'`).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if told != 16 {
			t.Fatalf("%d told of the draws, want 16", told)
		}
		var audited int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'booking.draw' AND detail LIKE 'seed %'`).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 2 {
			t.Fatalf("%d draws audited", audited)
		}
		// After the draw the slot is first come: a cancellation promotes the first waiting.
		var winner Booking
		for _, b := range bs {
			if b.Status == Confirmed {
				winner = b
				break
			}
		}
		for _, c := range cs {
			if userOf(c) == winner.UserID {
				if _, err := f.svc.Cancel(c, winner.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if taken, by := f.slotState(res.ID, slotB); taken != 3 || by[Confirmed] != 3 || by[Waitlisted] != 4 {
			t.Fatalf("after a cancellation: taken %d, %v", taken, by)
		}
	})
}

// A lottery slot nobody applied to before its draw time opens first come.
func TestLotterySlotFirstBookedAfterItsDrawTime(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 2, Allocation: Lottery})
		f.now = res.DrawTime(at(2, 10, 0)).Add(time.Minute)
		b, err := f.svc.Book(f.citizens(1)[0], Request{ResourceID: res.ID, StartsAt: at(2, 10, 0)})
		if err != nil || b.Status != Confirmed {
			t.Fatalf("%+v %v", b, err)
		}
		if n, err := f.svc.DrawDue(context.Background()); err != nil || n != 0 {
			t.Fatalf("DrawDue %d %v", n, err)
		}
	})
}

// Several instances run the job at once: each slot is drawn once, and two
// slots of one resource drawn at the same moment still give nobody more
// wins in the month than the resource allows.
func TestConcurrentDraws(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 4, MaxParty: 1, Allocation: Lottery, MonthlyWins: 1, DrawDays: 1, DrawHour: 18})
		slots := []time.Time{at(3, 10, 0), at(3, 11, 0)} // drawn at the same time
		cs := f.citizens(6)
		for _, start := range slots {
			for _, c := range cs {
				if _, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: start}); err != nil {
					t.Fatal(err)
				}
			}
		}
		f.now = res.DrawTime(slots[0])
		jobs := make([]context.Context, 6)
		for i := range jobs {
			jobs[i] = context.Background()
		}
		var mu sync.Mutex
		drawn := 0
		_, bad := run(jobs, func(int, context.Context) (string, error) {
			n, err := f.svc.DrawDue(context.Background())
			mu.Lock()
			drawn += n
			mu.Unlock()
			return "", err
		})
		if len(bad) > 0 || drawn != 2 {
			t.Fatalf("drew %d slots (want 2): %v", drawn, bad)
		}
		wins := map[int64]int{}
		for _, start := range slots {
			_, bs := f.drawnSlot(res.ID, start)
			for _, b := range bs {
				if b.Won {
					wins[b.UserID]++
				}
			}
			if taken, by := f.slotState(res.ID, start); taken != by[Confirmed] || by[Applied] != 0 {
				t.Fatalf("taken %d, %v", taken, by)
			}
		}
		total := 0
		for user, n := range wins {
			if n > 1 {
				t.Errorf("user %d won %d times this month", user, n)
			}
			total += n
		}
		// Six people, one win each at most: four in the first slot drawn,
		// the other two in the second.
		if total != 6 {
			t.Fatalf("%d wins, want 6", total)
		}
	})
}
