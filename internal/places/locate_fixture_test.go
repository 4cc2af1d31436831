package places

import (
	"context"
	"fmt"
	"testing"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// namedFacilities are real-looking facilities whose names people type:
// the form's hint example and libraries whose names share a district's.
var namedFacilities = []Facility{
	{Ref: "lib-busan", Category: "library", NameKo: "부산도서관", NameEn: "Busan Library", At: Point{Lon: 128.9905, Lat: 35.1557}},
	{Ref: "lib-haeundae", Category: "library", NameKo: "해운대구립도서관", NameEn: "Haeundae-gu Public Library", At: Point{Lon: 129.1585, Lat: 35.1700}},
	{Ref: "lib-haeundae-bansong", Category: "library", NameKo: "해운대구립 반송도서관", NameEn: "Haeundae-gu Bansong Library", At: Point{Lon: 129.1535, Lat: 35.2255}},
	{Ref: "lib-busanjin", Category: "library", NameKo: "부산진구립 도서관", NameEn: "Busanjin-gu Library", At: Point{Lon: 129.0530, Lat: 35.1640}},
}

// busanLandmarks are the demo's stations and markets (internal/demo gives
// them to the guides, whose spots the app passes to the locator).
var busanLandmarks = []Landmark{
	{NameKo: "부산역", NameEn: "Busan Station", Lat: 35.1151, Lon: 129.0415},
	{NameKo: "서면역", NameEn: "Seomyeon Station", Lat: 35.1578, Lon: 129.0592},
	{NameKo: "부전역", NameEn: "Bujeon Station", Lat: 35.1647, Lon: 129.0601},
	{NameKo: "해운대역", NameEn: "Haeundae Station", Lat: 35.1631, Lon: 129.1586},
	{NameKo: "사상역", NameEn: "Sasang Station", Lat: 35.1625, Lon: 128.9846},
	{NameKo: "동래역", NameEn: "Dongnae Station", Lat: 35.2054, Lon: 129.0783},
	{NameKo: "연산역", NameEn: "Yeonsan Station", Lat: 35.1858, Lon: 129.0815},
	{NameKo: "덕천역", NameEn: "Deokcheon Station", Lat: 35.2103, Lon: 129.0055},
	{NameKo: "하단역", NameEn: "Hadan Station", Lat: 35.1064, Lon: 128.9668},
	{NameKo: "남포역", NameEn: "Nampo Station", Lat: 35.0979, Lon: 129.0346},
	{NameKo: "자갈치시장", NameEn: "Jagalchi Market", Lat: 35.0967, Lon: 129.0305},
	{NameKo: "국제시장", NameEn: "Gukje Market", Lat: 35.1009, Lon: 129.0277},
	{NameKo: "부전시장", NameEn: "Bujeon Market", Lat: 35.1621, Lon: 129.0614},
	{NameKo: "구포시장", NameEn: "Gupo Market", Lat: 35.2097, Lon: 128.9985},
	{NameKo: "동래시장", NameEn: "Dongnae Market", Lat: 35.2052, Lon: 129.0855},
	{NameKo: "해운대시장", NameEn: "Haeundae Market", Lat: 35.1620, Lon: 129.1627},
}

// demoService is a service on a new database with the demo-shaped city
// and its landmarks.
func demoService(tb testing.TB) *Service {
	tb.Helper()
	s := New(dbtest.SQLite(tb))
	demoCity(tb, s)
	s.Landmarks = func(context.Context) ([]Landmark, error) { return busanLandmarks, nil }
	return s
}

// demoCity fills s with a city shaped like the demo's: the 62 demo zones,
// a community centre in every dong and a few other facilities named after
// their dong in every zone (as internal/demo names them), and the named
// facilities above.
func demoCity(tb testing.TB, s *Service) {
	tb.Helper()
	ctx := context.Background()
	zones := &ImportFile{Kind: ImportZones}
	facilities := &ImportFile{Kind: ImportFacilities}
	kinds := []struct{ category, ko, en string }{
		{"senior", "노인복지관", "Senior Welfare Centre"}, {"library", "작은도서관", "Library"}, {"health", "보건지소", "Public Health Branch"},
		{"park", "근린공원", "Neighbourhood Park"}, {"childcare", "어린이집", "Childcare Centre"},
	}
	for _, z := range city.DemoZones() {
		zones.Zones = append(zones.Zones, ImportZone{Zone: Zone{Code: z.Code, District: z.District, NameKo: z.Name("ko"), NameEn: z.Name("en"),
			Population: int64(z.Population), Boundary: MultiPolygon(z.Boundary()), Demo: true}})
		for i, code := range z.Dongs {
			d := city.DongByCode(code)
			at := Point{Lon: d.Centroid[0], Lat: d.Centroid[1]}
			facilities.Facilities = append(facilities.Facilities, ImportFacility{Facility: Facility{Ref: "c-" + code, Category: "community",
				NameKo: d.NameKo + " 행정복지센터 (시연)", NameEn: d.NameEn + " Community Centre (demo)", At: at, Demo: true}})
			k := kinds[i%len(kinds)]
			facilities.Facilities = append(facilities.Facilities, ImportFacility{Facility: Facility{Ref: fmt.Sprintf("%s-%s", k.category, code), Category: k.category,
				NameKo: d.NameKo + " " + k.ko + " (시연)", NameEn: d.NameEn + " " + k.en + " (demo)", At: Point{Lon: at.Lon + 0.0005, Lat: at.Lat}, Demo: true}})
		}
	}
	for _, f := range namedFacilities {
		facilities.Facilities = append(facilities.Facilities, ImportFacility{Facility: f})
	}
	for _, f := range []*ImportFile{zones, facilities} {
		if _, err := s.Import(ctx, f); err != nil {
			tb.Fatalf("import %s: %v", f.Kind, err)
		}
	}
}

// benchQueries are what people type, one of each kind.
var benchQueries = []struct{ name, text string }{
	{"dong", "해운대구 우1동"},
	{"dong-group", "우동"},
	{"dong-en", "Jwa1-dong"},
	{"district", "해운대구"},
	{"zone", "해운대구 제3생활권"},
	{"facility", "부산도서관"},
	{"facility-partial", "해운대도서관"},
	{"station", "서면역"},
	{"unknown", "없는마을"},
	{"coordinates", "35.16310, 129.16040"},
}

func BenchmarkLocate(b *testing.B) {
	s := demoService(b)
	ctx := context.Background()
	if _, err := s.Locate(ctx, "우동"); err != nil { // the snapshot and its index
		b.Fatal(err)
	}
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Locate(ctx, q.text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSuggest is the refused search's second step: close names.
func BenchmarkSuggest(b *testing.B) {
	s := demoService(b)
	ctx := context.Background()
	for _, text := range []string{"해운데구", "Haeundea-gu", "없는마을"} {
		b.Run(text, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Suggest(ctx, text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLocateIndex is building the name index, once per version of
// the places.
func BenchmarkLocateIndex(b *testing.B) {
	s := demoService(b)
	sn, err := s.snap(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		buildNameIndex(sn, busanLandmarks)
	}
}
