package app_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/places"
)

var minutesRe = regexp.MustCompile(`걸어서 약 (\d+)분`)

// TestPlaces runs the places pages' checks on one demo city with its
// places: making the city takes longer than the checks.
func TestPlaces(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ta.WithPlaces(t)
	t.Run("search by neighbourhood", func(t *testing.T) { placesSearch(t, ta) })
	t.Run("facility, zone and event pages", func(t *testing.T) { placesPages(t, ta) })
	t.Run("planner coverage", func(t *testing.T) { plannerCoverage(t, ta) })
}

func placesSearch(t *testing.T, ta *apptest.App) {
	c := ta.Client(t)

	st, body := c.Get("/places?near=" + "해운대구+우1동" + "&category=senior&pace=senior")
	if st != 200 || !strings.Contains(body, "우1동에서 가까운 노인복지관") {
		t.Fatalf("search: %d %s", st, body[:min(len(body), 400)])
	}
	var mins []int
	for _, m := range minutesRe.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[1])
		mins = append(mins, n)
	}
	if len(mins) < 5 {
		t.Fatalf("%d results listed", len(mins))
	}
	for i := 1; i < len(mins); i++ {
		if mins[i] < mins[i-1] {
			t.Fatalf("results not sorted by walking time: %v", mins)
		}
	}
	if !strings.Contains(body, "초속 0.8 m") || !strings.Contains(body, `id="places-map-data"`) {
		t.Error("the senior pace or the map's data are missing")
	}
	if n := strings.Count(body, "노인복지관 (시연)</a></h3>"); n != len(mins) {
		t.Errorf("%d of %d results are senior welfare centres", n, len(mins))
	}
	// The list comes before the map.
	if strings.Index(body, "places-results") > strings.Index(body, `id="places-map"`) {
		t.Error("the map comes before the list")
	}

	// "우동" names three dongs of one district: one place, their middle.
	if st, body := c.Get("/places?near=" + "우동"); st != 200 || !strings.Contains(body, "해운대구 우동에서 가까운 시설") {
		t.Errorf("우동: %d", st)
	}
	// A name the city does not know is a clear error on the form.
	if st, body := c.Get("/places?near=" + "없는마을"); st != http.StatusUnprocessableEntity || !strings.Contains(body, "찾지 못했습니다") {
		t.Errorf("unknown place: %d", st)
	}
	// English.
	if st, body := c.Do("GET", "/places?near=Jwa1-dong&category=library", nil, map[string]string{"Accept-Language": "en"}); st != 200 || !strings.Contains(html.UnescapeString(body), "Library near Jwa1-dong") {
		i := strings.Index(body, "<h2")
		t.Errorf("English search: %d %s", st, body[i:min(len(body), i+300)])
	}
	// Outside the city.
	if st, _ := c.Get("/places?lon=126.97&lat=37.56"); st != http.StatusUnprocessableEntity {
		t.Errorf("Seoul as a starting point: %d", st)
	}
}

func placesPages(t *testing.T, ta *apptest.App) {
	c := ta.Client(t)
	res, err := ta.Places.Nearest(context.Background(), placesQuery())
	if err != nil || len(res) == 0 {
		t.Fatal(err)
	}
	f := res[0]
	st, body := c.Get("/places/facilities/" + strconv.FormatInt(f.ID, 10))
	if st != 200 || !strings.Contains(body, html.EscapeString(f.NameKo)) || !strings.Contains(body, "월–금 09:00–18:00") {
		t.Fatalf("facility page: %d", st)
	}
	if st, body := c.Get("/places/zones"); st != 200 || strings.Count(body, `href="/places/zones/`) != 62 {
		t.Errorf("zones page: %d, %d zones", st, strings.Count(body, `href="/places/zones/`))
	}
	if st, body := c.Get("/places/zones/" + f.Zone); st != 200 || !strings.Contains(body, "생활권의 시설") {
		t.Errorf("zone page: %d", st)
	}
	if st, body := c.Get("/places/events"); st != 200 || !strings.Contains(body, "<time") {
		t.Errorf("events page: %d", st)
	}
	if st, _ := c.Get("/places/facilities/999999"); st != 404 {
		t.Errorf("unknown facility: %d", st)
	}
}

func TestPlacesImportPage(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	c := ta.Client(t)
	if st, body := c.Get("/admin/places/import"); strings.Contains(body, `action="/admin/places/import"`) {
		t.Errorf("import page without signing in: %d", st)
	}
	ta.SignInStaff(t, c, "centre")
	bad := `{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"code": "Z1", "name_ko": "일", "population": 10},
   "geometry": {"type": "Polygon", "coordinates": [[[129.10, 35.15], [129.15, 35.15], [129.15, 35.20], [129.10, 35.15]]]}},
  {"type": "Feature", "properties": {"code": "Z2", "name_ko": "이", "population": 10},
   "geometry": {"type": "Polygon", "coordinates": [[[129.10, 35.15], [129.15, 35.15], [129.15, 35.20], [129.11, 35.15]]]}}
]}`
	st, body := c.Upload("/admin/places/import", "zones.geojson", bad)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "고리가 닫히지 않았습니다") || !strings.Contains(body, `<th scope="row" class="num">4</th>`) {
		t.Fatalf("unclosed ring: %d", st)
	}
	if zones, _ := ta.Places.Zones(context.Background()); len(zones) != 0 {
		t.Fatalf("a refused file wrote %d zones", len(zones))
	}
	good := strings.Replace(bad, "[129.11, 35.15]]]", "[129.10, 35.15]]]", 1)
	if st, body := c.Upload("/admin/places/import", "zones.geojson", good); st != 200 || !strings.Contains(body, "role=\"status\"") {
		t.Fatalf("good zones: %d", st)
	}
	if zones, _ := ta.Places.Zones(context.Background()); len(zones) != 2 {
		t.Fatalf("%d zones after import", len(zones))
	}
}

func placesQuery() places.Query {
	return places.Query{From: places.Point{Lon: 129.1604, Lat: 35.1631}, Categories: []string{"senior"}, Limit: 1}
}

func plannerCoverage(t *testing.T, ta *apptest.App) {
	c := ta.Client(t)
	if _, body := c.Get("/planner"); strings.Contains(body, "<table") {
		t.Fatal("the planner's dashboard without signing in")
	}
	ta.SignInStaff(t, c, "centre")
	st, body := c.Get("/planner?pace=senior&category=library&sort=library&dir=asc")
	if st != 200 || strings.Count(body, `<tr><th scope="row"><a href="/places/zones/`) != 62 || !strings.Contains(body, `aria-sort="ascending"`) {
		t.Fatalf("planner: %d", st)
	}
	if !strings.Contains(body, `"mode":"choropleth"`) {
		t.Error("no choropleth data")
	}
	st, csvBody := c.Get("/planner/coverage.csv?pace=senior")
	lines := strings.Split(strings.TrimSpace(csvBody), "\n")
	if st != 200 || len(lines) != 63 || !strings.HasPrefix(strings.TrimPrefix(lines[0], "\ufeff"), "zone,name_ko,name_en,population,senior,") {
		t.Fatalf("CSV: %d, %d lines, header %q", st, len(lines), lines[0])
	}
	st, geo := c.Get("/planner/coverage.geojson")
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(geo), &fc); st != 200 || err != nil || len(fc.Features) != 62 {
		t.Fatalf("GeoJSON: %d %v, %d features", st, err, len(fc.Features))
	}
	if v, ok := fc.Features[0].Properties["coverage_senior"].(float64); !ok || v < 0 || v > 1 {
		t.Errorf("coverage_senior = %v", fc.Features[0].Properties["coverage_senior"])
	}
}
