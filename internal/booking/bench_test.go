package booking

import (
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/web"
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

// demoSized fills the fixture's places with a city the size of the demo's:
// a community centre in each of the city's 210 dongs and 140 senior,
// sports and library facilities, each with something to book, in a zone
// per district.
func demoSized(f *fixture) {
	f.t.Helper()
	h, err := places.ParseHours("Mo-Fr 09:00-18:00")
	if err != nil {
		f.t.Fatal(err)
	}
	for _, d := range city.Districts() {
		f.places.zones["Z"+d.Code] = places.Zone{Code: "Z" + d.Code, District: d.Code, NameKo: d.NameKo, NameEn: d.NameEn}
	}
	kinds := []struct{ category, ko, en, kind, resKo, resEn string }{
		{"community", "행정복지센터", "Community Centre", "room", "주민 회의실", "Residents' meeting room"},
		{"senior", "노인복지관", "Senior Welfare Centre", "room", "프로그램실", "Programme room"},
		{"sports", "국민체육센터", "Sports Centre", "court", "탁구대", "Table-tennis table"},
		{"library", "작은도서관", "Library", "room", "스터디룸", "Study room"},
	}
	id := int64(1000)
	for i, d := range city.Dongs() {
		for k, kd := range kinds {
			if k > 0 && (i+k)%3 != 0 || id >= 1350 {
				continue
			}
			id++
			f.places.facilities[id] = places.Facility{ID: id, Category: kd.category, NameKo: d.NameKo + " " + kd.ko, NameEn: d.NameEn + " " + kd.en,
				AddressKo: "부산광역시 " + d.NameKo, AddressEn: d.NameEn + ", Busan", At: places.Point{Lon: d.Centroid[0], Lat: d.Centroid[1]},
				Zone: "Z" + d.District(), Hours: h, StepFree: id%5 != 0}
			f.resource(Resource{FacilityID: id, Kind: kd.kind, NameKo: kd.resKo, NameEn: kd.resEn, Capacity: 1})
		}
	}
}

// BenchmarkBrowse renders the catalogue of bookable facilities over a
// demo-sized city: everything, filtered, and nearest a place first.
//
//	go test ./internal/booking/ -run '^$' -bench Browse -benchmem
func BenchmarkBrowse(b *testing.B) {
	f := newFixture(b, dbtest.SQLite(b))
	demoSized(f)
	f.places.gazetteer = []places.Place{{NameKo: "해운대구 우동", NameEn: "U-dong, Haeundae-gu", At: places.Point{Lon: 129.16, Lat: 35.165}}}
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, Options{})
	for _, c := range []struct{ name, path string }{
		{"all", "/book"},
		{"filtered", "/book?q=%EC%84%BC%ED%84%B0&district=21090&category=community&step_free=1"},
		{"near", "/book?near=%EC%9A%B0%EB%8F%99"},
		{"near_page3", "/book?near=%EC%9A%B0%EB%8F%99&page=3"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				r := httptest.NewRequest("GET", c.path, nil)
				r = r.WithContext(web.WithPrefs(r.Context(), web.Prefs{Lang: "ko"}))
				w := httptest.NewRecorder()
				rt.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatalf("%s: %d", c.path, w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "B/page")
		})
	}
}
