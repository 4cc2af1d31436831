package places

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestLocate(t *testing.T) {
	t.Parallel()
	s := New(dbtest.SQLite(t))
	ctx := context.Background()
	var u1 city.Dong
	var uDongs []city.Dong
	for _, d := range city.Dongs() {
		if d.District() == "21090" && len(d.NameKo) > 0 && d.NameKo[:len("우")] == "우" && numberedKo.MatchString(d.NameKo) {
			uDongs = append(uDongs, d)
			if d.NameKo == "우1동" {
				u1 = d
			}
		}
	}
	if len(uDongs) < 2 || u1.Code == "" {
		t.Fatalf("Haeundae's 우N동 not found: %v", uDongs)
	}
	cases := []struct {
		text  string
		names []string
	}{
		{"부산광역시 해운대구 우1동", []string{"해운대구 우1동"}},
		{"우1동", []string{"해운대구 우1동"}},
		{"해운대구 우동 123-4", []string{"해운대구 우동"}},
		{"U 1(il)-dong", []string{"해운대구 우1동"}},
		{"없는마을", nil},
		{"동", nil},
	}
	for _, c := range cases {
		got, err := s.Locate(ctx, c.text)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range got {
			names = append(names, p.NameKo)
		}
		if len(names) != len(c.names) || (len(names) > 0 && names[0] != c.names[0]) {
			t.Errorf("Locate(%q) = %q, want %q", c.text, names, c.names)
		}
	}
	// 우동 is the middle of its numbered dongs.
	got, _ := s.Locate(ctx, "해운대구 우동")
	var mid Point
	for _, d := range uDongs {
		mid.Lon += d.Centroid[0] / float64(len(uDongs))
		mid.Lat += d.Centroid[1] / float64(len(uDongs))
	}
	if Metres(got[0].At, mid) > 1 {
		t.Errorf("우동 at %v, want the middle of its dongs %v", got[0].At, mid)
	}
	// Coordinates, either order.
	for _, text := range []string{"35.16310, 129.16040", "129.16040, 35.16310"} {
		got, _ := s.Locate(ctx, text)
		if len(got) != 1 || Metres(got[0].At, Point{Lon: 129.1604, Lat: 35.1631}) > 0.5 || got[0].Kind != KindPoint {
			t.Errorf("Locate(%q) = %+v", text, got)
		}
	}
}

// TestLocateKinds: every kind of place, in Korean and English, as people
// type them.
func TestLocateKinds(t *testing.T) {
	t.Parallel()
	s := demoService(t)
	ctx := context.Background()
	haeundae, _ := city.DistrictByCode("21090")
	cases := []struct {
		text, kind, name string // name: the one place found, in Korean
	}{
		// districts
		{"해운대구", KindDistrict, "해운대구"},
		{"Haeundae-gu", KindDistrict, "해운대구"},
		{"해운대", KindDistrict, "해운대구"},
		{"haeundae", KindDistrict, "해운대구"},
		{"부산 해운대구", KindDistrict, "해운대구"},
		{"Haeundae-gu, Busan", KindDistrict, "해운대구"},
		{"부산진구", KindDistrict, "부산진구"},
		{"기장군", KindDistrict, "기장군"},
		{"Gijang", KindDistrict, "기장군"},
		{"강서구", KindDistrict, "강서구"},
		{"해운대구 반송로 123", KindDistrict, "해운대구"},
		// living zones
		{"해운대구 제3생활권", KindZone, "해운대구 제3생활권 (시연)"},
		{"해운대 3생활권", KindZone, "해운대구 제3생활권 (시연)"},
		{"해운대구 제3생활권 (시연)", KindZone, "해운대구 제3생활권 (시연)"},
		{"Haeundae-gu zone 3", KindZone, "해운대구 제3생활권 (시연)"},
		{"haeundae zone 3 (demo)", KindZone, "해운대구 제3생활권 (시연)"},
		// dongs
		{"좌동", KindDong, "해운대구 좌동"},
		{"Jwa1-dong", KindDong, "해운대구 좌1동"},
		{"U-dong, Haeundae-gu, Busan", KindDong, "해운대구 우동"},
		// facilities: whole, spaced, partial, in a district
		{"부산도서관", KindFacility, "부산도서관"},
		{"부산 도서관", KindFacility, "부산도서관"},
		{"Busan Library", KindFacility, "부산도서관"},
		{"해운대도서관", KindFacility, "해운대구립도서관"},
		{"해운대구립도서관", KindFacility, "해운대구립도서관"},
		{"해운대구 반송도서관", KindFacility, "해운대구립 반송도서관"},
		{"Haeundae-gu Public Library", KindFacility, "해운대구립도서관"},
		{"우1동 행정복지센터", KindFacility, "우1동 행정복지센터 (시연)"},
		{"U 1(il)-dong Community Centre", KindFacility, "우1동 행정복지센터 (시연)"},
		// stations and markets
		{"서면역", KindLandmark, "서면역"},
		{"서면", KindLandmark, "서면역"},
		{"Seomyeon Station", KindLandmark, "서면역"},
		{"부산역", KindLandmark, "부산역"},
		{"Busan Station", KindLandmark, "부산역"},
		{"자갈치시장", KindLandmark, "자갈치시장"},
		{"자갈치", KindLandmark, "자갈치시장"},
		{"jagalchi market", KindLandmark, "자갈치시장"},
		{"서면역 2번 출구", KindLandmark, "서면역"},
	}
	for _, c := range cases {
		got, err := s.Locate(ctx, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Kind != c.kind || got[0].NameKo != c.name {
			t.Errorf("Locate(%q) = %s, want the %s %s", c.text, describe(got), c.kind, c.name)
		}
	}
	// A district is at its middle.
	got, _ := s.Locate(ctx, "해운대구")
	if Metres(got[0].At, Point{Lon: haeundae.Centroid[0], Lat: haeundae.Centroid[1]}) > 1 {
		t.Errorf("해운대구 at %v, want its centre %v", got[0].At, haeundae.Centroid)
	}
	// A zone at its centre, a landmark where it is.
	got, _ = s.Locate(ctx, "해운대구 제3생활권")
	if z, _ := s.Zone(ctx, "21090-Z3"); Metres(got[0].At, z.Centre) > 1 {
		t.Errorf("zone at %v, want %v", got[0].At, z.Centre)
	}
	got, _ = s.Locate(ctx, "서면역")
	if Metres(got[0].At, Point{Lon: 129.0592, Lat: 35.1578}) > 1 {
		t.Errorf("서면역 at %v", got[0].At)
	}
}

// TestLocateAmbiguous: a text that names several places offers them all,
// each with its kind, the larger area first.
func TestLocateAmbiguous(t *testing.T) {
	t.Parallel()
	s := demoService(t)
	ctx := context.Background()
	cases := []struct {
		text  string
		kinds []string // the kinds found, in order (a prefix for long lists)
		min   int
		names []string // some of the names found
	}{
		{"부전", []string{KindLandmark, KindLandmark}, 2, []string{"부전역", "부전시장"}},
		{"Bujeon", []string{KindLandmark, KindLandmark}, 2, []string{"부전역", "부전시장"}},
		{"해운대구립", []string{KindFacility, KindFacility}, 2, []string{"해운대구립도서관", "해운대구립 반송도서관"}},
		{"3생활권", []string{KindZone}, 12, nil},
		{"도서관", []string{KindFacility}, 12, []string{"부산도서관"}},
		{"반여", []string{KindDong}, 2, []string{"해운대구 반여동"}},
		{"우동 행정복지센터", []string{KindFacility, KindFacility}, 2, []string{"우1동 행정복지센터 (시연)", "우2동 행정복지센터 (시연)"}},
		{"부산", []string{KindDistrict}, 3, []string{"부산진구", "부산역", "부산도서관"}},
	}
	for _, c := range cases {
		got, err := s.Locate(ctx, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) < c.min || len(got) > MaxLocate {
			t.Errorf("Locate(%q) = %s, want %d to %d places", c.text, describe(got), c.min, MaxLocate)
			continue
		}
		for i, k := range c.kinds {
			if got[i].Kind != k {
				t.Errorf("Locate(%q)[%d] is a %s, want a %s: %s", c.text, i, got[i].Kind, k, describe(got))
			}
		}
		for _, n := range c.names {
			if !slices.ContainsFunc(got, func(p Place) bool { return p.NameKo == n }) {
				t.Errorf("Locate(%q) = %s, want %s among them", c.text, describe(got), n)
			}
		}
	}
}

// TestSuggest: nothing found, the close names are offered.
func TestSuggest(t *testing.T) {
	t.Parallel()
	s := demoService(t)
	ctx := context.Background()
	cases := []struct{ text, want string }{
		{"해운데구", "해운대구"},        // one vowel off
		{"서면억", "서면역"},          // one vowel off
		{"자갈치시쟝", "자갈치시장"},      // one vowel off
		{"Haeundea-gu", "해운대구"}, // letters swapped
		{"Seomyun Station", "서면역"},
		{"부산도서곤", "부산도서관"},
	}
	for _, c := range cases {
		found, err := s.Locate(ctx, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if len(found) == 1 && found[0].NameKo == c.want {
			continue // close enough to be found outright
		}
		if len(found) > 0 {
			t.Errorf("Locate(%q) = %s, want nothing or %s", c.text, describe(found), c.want)
		}
		got, err := s.Suggest(ctx, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || len(got) > MaxSuggest || !slices.ContainsFunc(got, func(p Place) bool { return p.NameKo == c.want }) {
			t.Errorf("Suggest(%q) = %s, want %s among at most %d", c.text, describe(got), c.want, MaxSuggest)
		}
	}
	for _, text := range []string{"없는마을", "qqqq", "", "가"} {
		if found, _ := s.Locate(ctx, text); len(found) != 0 {
			t.Errorf("Locate(%q) = %s, want nothing", text, describe(found))
		}
		if got, err := s.Suggest(ctx, text); err != nil || len(got) > MaxSuggest {
			t.Errorf("Suggest(%q) = %s, %v", text, describe(got), err)
		}
	}
}

// TestLocateIndexFollowsVersionAndLandmarks: the index is built once per
// version of the places and list of landmarks.
func TestLocateIndexFollowsVersionAndLandmarks(t *testing.T) {
	t.Parallel()
	s := demoService(t)
	s.Fresh = 0
	ctx := context.Background()
	calls := 0
	marks := busanLandmarks[:1]
	s.Landmarks = func(context.Context) ([]Landmark, error) { calls++; return marks, nil }
	if got, _ := s.Locate(ctx, "서면역"); len(got) != 0 {
		t.Fatalf("서면역 found before it is a landmark: %s", describe(got))
	}
	first := s.names
	if _, err := s.Locate(ctx, "부산역"); err != nil || s.names != first {
		t.Errorf("the index was built again for the same places and landmarks")
	}
	marks = busanLandmarks
	if got, _ := s.Locate(ctx, "서면역"); len(got) != 1 {
		t.Errorf("서면역 not found once a landmark: %s", describe(got))
	}
	if calls != 3 {
		t.Errorf("landmarks asked %d times, want 3", calls)
	}
	before := s.names
	if _, err := s.Import(ctx, &ImportFile{Kind: ImportFacilities, Facilities: []ImportFacility{{Facility: Facility{Ref: "new", Category: "library",
		NameKo: "새빛도서관", NameEn: "Saebit Library", At: Point{Lon: 129.16, Lat: 35.17}}}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Locate(ctx, "새빛도서관"); len(got) != 1 || s.names == before {
		t.Errorf("a new facility is not found: %s", describe(got))
	}
}

func describe(ps []Place) string {
	var b strings.Builder
	b.WriteString("[")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.NameKo + " (" + p.Kind + ")")
	}
	b.WriteString("]")
	return b.String()
}

func FuzzLocate(f *testing.F) {
	s := demoService(f)
	ctx := context.Background()
	for _, q := range benchQueries {
		f.Add(q.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := s.Locate(ctx, text)
		if err != nil {
			t.Fatalf("Locate(%q): %v", text, err)
		}
		if len(got) > MaxLocate {
			t.Fatalf("Locate(%q): %d places", text, len(got))
		}
		for _, p := range got {
			if !City.Contains(p.At) || p.NameKo == "" || p.NameEn == "" || kindRank[p.Kind] == 0 && p.Kind != KindDistrict {
				t.Fatalf("Locate(%q) = %+v", text, p)
			}
		}
		sug, err := s.Suggest(ctx, text)
		if err != nil || len(sug) > MaxSuggest {
			t.Fatalf("Suggest(%q) = %d places, %v", text, len(sug), err)
		}
	})
}
