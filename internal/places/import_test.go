package places

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/sheet"
)

// Two square zones side by side in Haeundae: A west of 129.15, B east.
const zonesGeoJSON = `{
  "type": "FeatureCollection",
  "features": [
    {"type": "Feature", "properties": {"code": "T-A", "name_ko": "시험 가 생활권", "name_en": "Test zone A", "population": 12000},
     "geometry": {"type": "Polygon", "coordinates": [[[129.10, 35.15], [129.15, 35.15], [129.15, 35.20], [129.10, 35.20], [129.10, 35.15]]]}},
    {"type": "Feature", "properties": {"code": "T-B", "name": "시험 나 생활권", "population": "8000"},
     "geometry": {"type": "MultiPolygon", "coordinates": [[[[129.15, 35.15], [129.20, 35.15], [129.20, 35.20], [129.15, 35.20], [129.15, 35.15]]]]}}
  ]
}`

const facilitiesCSV = `ref,category,name_ko,name_en,lon,lat,hours,step_free,phone
s1,senior,가 노인복지관,Senior A,129.12,35.17,Mo-Fr 09:00-18:00,예,051-000-0001
s2,senior,나 노인복지관,Senior B,129.18,35.17,Mo-Fr 09:00-18:00,no,
l1,library,가 도서관,,129.121,35.171,,yes,
`

func problems(t *testing.T, err error) []sheet.Problem {
	t.Helper()
	var se *sheet.Error
	if !errors.As(err, &se) {
		t.Fatalf("want a file refused with its problems, got %v", err)
	}
	return se.Problems
}

func wantProblem(t *testing.T, ps []sheet.Problem, line int, column, key string) {
	t.Helper()
	for _, p := range ps {
		if p.Line == line && p.Column == column && p.Key == key {
			return
		}
	}
	t.Errorf("no problem %s at line %d column %q in %+v", key, line, column, ps)
}

func TestParseZonesGeoJSON(t *testing.T) {
	t.Parallel()
	f, err := ParseImport(strings.NewReader(zonesGeoJSON))
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != ImportZones || len(f.Zones) != 2 {
		t.Fatalf("kind %s, %d zones", f.Kind, len(f.Zones))
	}
	a, b := f.Zones[0], f.Zones[1]
	if a.Line != 4 || b.Line != 6 || a.Population != 12000 || b.Population != 8000 || b.NameEn != "시험 나 생활권" {
		t.Errorf("zones read as %+v / %+v", a, b)
	}
	if c := a.Centre; c.Lon < 129.1249 || c.Lon > 129.1251 || c.Lat < 35.1749 || c.Lat > 35.1751 {
		t.Errorf("centre of A = %v", c)
	}
}

func TestParseZonesRefused(t *testing.T) {
	t.Parallel()
	bad := map[string]struct {
		edit        func(string) string
		line        int
		column, key string
	}{
		"ring not closed": {func(s string) string {
			return strings.Replace(s, "[129.10, 35.20], [129.10, 35.15]]]}", "[129.10, 35.20], [129.10, 35.16]]]}", 1)
		}, 4, "features[0].geometry", "places.ring_not_closed"},
		"outside the city": {func(s string) string { return strings.Replace(s, "[129.20, 35.20]", "[35.20, 129.20]", 1) }, 6, "features[1].geometry", "places.outside_city"},
		"duplicate code":   {func(s string) string { return strings.Replace(s, `"code": "T-B"`, `"code": "T-A"`, 1) }, 6, "features[1].properties.code", "places.duplicate_ref"},
		"no population":    {func(s string) string { return strings.Replace(s, `"population": "8000"`, `"population": -3`, 1) }, 6, "features[1].properties.population", "places.population_invalid"},
		"a line, not area": {func(s string) string { return strings.Replace(s, `"type": "Polygon"`, `"type": "LineString"`, 1) }, 4, "features[0].geometry", "places.not_a_polygon"},
		"too few points": {func(s string) string {
			return strings.Replace(s, "[129.15, 35.20], [129.10, 35.20], [129.10, 35.15]]]}", "[129.10, 35.15]]]}", 1)
		}, 4, "features[0].geometry", "places.ring_too_short"},
		"broken JSON": {func(s string) string { return strings.Replace(s, `"population": 12000}`, `"population": 12000`, 1) }, 4, "features[0]", "places.geojson_broken"},
	}
	for name, c := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := ParseImport(strings.NewReader(c.edit(zonesGeoJSON)))
			wantProblem(t, problems(t, err), c.line, c.column, c.key)
		})
	}
}

func TestParseFacilitiesCSVRefused(t *testing.T) {
	t.Parallel()
	csv := facilitiesCSV + `x1,bank,은행,,129.12,35.17,,,
x2,senior,먼 곳,,35.17,129.12,,,
x3,senior,시간 틀림,,129.12,35.17,Mo-Fr 9-6,,
s1,senior,같은 번호,,129.12,35.17,,,
x4,senior,,,129.12,35.17,,,
x5,senior,계단,,129.12,35.17,,maybe,
x6,senior,전화,,129.12,35.17,,,call me
`
	ps := problems(t, func() error { _, err := ParseImport(strings.NewReader(csv)); return err }())
	wantProblem(t, ps, 5, "category", "places.category_invalid")
	wantProblem(t, ps, 6, "lon", "places.outside_city")
	wantProblem(t, ps, 7, "hours", "places.hours_invalid")
	wantProblem(t, ps, 8, "ref", "places.duplicate_ref")
	wantProblem(t, ps, 9, "name_ko", "places.name_required")
	wantProblem(t, ps, 10, "step_free", "places.yes_no")
	wantProblem(t, ps, 11, "phone", "places.phone_invalid")
	if len(ps) != 7 {
		t.Errorf("%d problems, want 7: %+v", len(ps), ps)
	}
	if got := ps[0].Text("en"); !strings.Contains(got, "bank") {
		t.Errorf("message %q should name the bad value", got)
	}
}

func TestImportAndNearest(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := New(d)
		mustImport := func(data string) ImportResult {
			t.Helper()
			f, err := ParseImport(strings.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Import(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		// Facilities first: they are placed in zones when the zones come.
		if res := mustImport(facilitiesCSV); res.Created != 3 || res.Updated != 0 {
			t.Fatalf("first import: %+v", res)
		}
		mustImport(zonesGeoJSON)
		fs, err := s.FacilitiesIn(ctx, "T-B")
		if err != nil || len(fs) != 1 || fs[0].Ref != "s2" {
			t.Fatalf("zone B holds %+v (%v), want s2", fs, err)
		}
		// Importing again updates by ref.
		if res := mustImport(strings.Replace(facilitiesCSV, "가 도서관", "가 큰 도서관", 1)); res.Created != 0 || res.Updated != 3 {
			t.Fatalf("second import: %+v", res)
		}
		from := Point{Lon: 129.1204, Lat: 35.1704}
		res, err := s.Nearest(ctx, Query{From: from, Categories: []string{"senior"}, Pace: PaceSenior, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 2 || res[0].Ref != "s1" || res[1].Ref != "s2" {
			t.Fatalf("nearest seniors: %+v", res)
		}
		if res[0].Zone != "T-A" || !res[0].StepFree || res[0].Phone != "051-000-0001" {
			t.Errorf("s1 read back as %+v", res[0].Facility)
		}
		want := Metres(from, res[0].At) * 1.3 / 0.8
		if got := res[0].Walk.Seconds; got < want-0.01 || got > want+0.01 {
			t.Errorf("walk %.2f s, want %.2f", got, want)
		}
		stepFree, _ := s.Nearest(ctx, Query{From: from, StepFree: true, Limit: 10})
		if len(stepFree) != 2 || stepFree[0].Ref != "s1" || stepFree[1].Ref != "l1" {
			t.Errorf("step-free: %+v", stepFree)
		}
		if l, _ := s.Facility(ctx, stepFree[1].ID); l.NameKo != "가 큰 도서관" || l.NameEn != "가 큰 도서관" {
			t.Errorf("updated library: %+v", l)
		}
	})
}

func TestImportEventsNeedTheirFacility(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := New(d)
		f, _ := ParseImport(strings.NewReader(facilitiesCSV))
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
		events := "ref,facility_ref,title_ko,date,start,end\ne1,s1,건강 상담,2026-12-10,10:00,11:30\ne2,nope,음악회,2026-12-11,14:00,15:00\n"
		ef, err := ParseImport(strings.NewReader(events))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Import(ctx, ef)
		wantProblem(t, problems(t, err), 3, "facility_ref", "places.facility_unknown")
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM place_events`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d events written by a refused file (%v)", n, err)
		}
		ef, _ = ParseImport(strings.NewReader(strings.Replace(events, "nope", "s2", 1)))
		if _, err := s.Import(ctx, ef); err != nil {
			t.Fatal(err)
		}
		s1, _ := s.Nearest(ctx, Query{From: Point{Lon: 129.12, Lat: 35.17}, Limit: 1})
		got, err := s.Events(ctx, EventFilter{Facility: s1[0].ID, From: at(0, 0, 0), To: at(30, 0, 0), Limit: 10})
		if err != nil || len(got) != 1 || got[0].Ref != "e1" || got[0].At.Ref != "s1" || got[0].EndsAt.Sub(got[0].StartsAt).Minutes() != 90 {
			t.Fatalf("events at s1: %+v (%v)", got, err)
		}
		bad := "ref,facility_ref,title_ko,date,start,end\ne3,s1,거꾸로,2026-12-10,11:00,10:00\ne4,s1,날짜,12/10/2026,10:00,11:00\n"
		_, err = ParseImport(strings.NewReader(bad))
		ps := problems(t, err)
		wantProblem(t, ps, 2, "end", "places.event_ends_before_start")
		wantProblem(t, ps, 3, "date", "places.date_invalid")
	})
}

func FuzzParseImport(f *testing.F) {
	f.Add(zonesGeoJSON)
	f.Add(facilitiesCSV)
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ref":"p","category":"park","name_ko":"공원"},"geometry":{"type":"Point","coordinates":[129.1,35.2]}}]}`)
	f.Add("ref,facility_ref,title_ko,date,start,end\ne1,s1,x,2026-12-10,10:00,11:30\n")
	f.Fuzz(func(t *testing.T, data string) {
		file, err := ParseImport(strings.NewReader(data))
		if err != nil {
			return
		}
		if file.Rows() == 0 && file.Kind != ImportFacilities && file.Kind != ImportEvents {
			t.Fatalf("accepted an empty %s file", file.Kind)
		}
		for _, z := range file.Zones {
			for _, p := range z.Boundary {
				for _, r := range p {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Fatalf("accepted an open ring in %s", z.Code)
					}
				}
			}
		}
		for _, fac := range file.Facilities {
			if !City.Contains(fac.At) {
				t.Fatal(fmt.Sprintf("accepted a facility outside the city: %v", fac.At))
			}
		}
	})
}
