package booking

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db/dbtest"
)

// BenchmarkBook books in parallel on SQLite, spread over some thousands
// of slots of one resource, each booking a new (person, slot) pair.
//
//	go test ./internal/booking/ -run '^$' -bench Book -benchtime 5000x
func BenchmarkBook(b *testing.B) {
	f := newFixture(b, dbtest.SQLite(b))
	res := f.resource(Resource{Capacity: MaxCapacity, MaxParty: 1, SlotMinutes: 15, DaysAhead: MaxDays})
	fac, err := f.places.Facility(b.Context(), facilityID)
	if err != nil {
		b.Fatal(err)
	}
	var starts []time.Time
	for t := at(1, 0, 0); t.Before(res.lastDay(f.now)); t = t.Add(res.SlotLength()) {
		if fac.Hours.Covers(t, t.Add(res.SlotLength())) {
			starts = append(starts, t)
		}
	}
	people := f.citizens(MaxCapacity)
	if b.N > len(starts)*len(people) {
		b.Fatalf("b.N %d is more than %d slots × %d people", b.N, len(starts), len(people))
	}
	var next atomic.Int64
	var failed atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1) - 1)
			slot, person := i%len(starts), i/len(starts)
			if _, err := f.svc.Book(people[person], Request{ResourceID: res.ID, StartsAt: starts[slot]}); err != nil {
				failed.Add(1)
				b.Error(err)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
	if failed.Load() > 0 {
		b.Fatalf("%d bookings failed", failed.Load())
	}
}
