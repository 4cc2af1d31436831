package places

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestCoverage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := New(dbtest.SQLite(t))
	for _, data := range []string{zonesGeoJSON, facilitiesCSV} {
		f, err := ParseImport(strings.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := s.Coverage(ctx, PaceAdult, 15)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Zones) != 2 || rep.Streets {
		t.Fatalf("report: %+v", rep)
	}
	a := rep.Zones[0]
	// Zone A is 0.05° square: about 4.55 km × 5.53 km, 629 cells of 200 m.
	if a.Cells < 600 || a.Cells > 660 {
		t.Errorf("zone A has %d cells", a.Cells)
	}
	// Its one senior centre reaches 15 min × 1.2 m/s ÷ 1.3 = 831 m in a
	// straight line: a disc of 2.17 km², 8.6 % of the zone.
	want := math.Pi * 831 * 831 / (4550 * 5530)
	if got := a.Shares["senior"]; math.Abs(got-want) > 0.015 {
		t.Errorf("zone A's senior coverage %.3f, want about %.3f", got, want)
	}
	if a.Shares["health"] != 0 || rep.City["health"] != 0 {
		t.Error("no health centre anywhere, yet some coverage")
	}
	senior, _ := s.Coverage(ctx, PaceSenior, 15)
	if senior.Zones[0].Shares["senior"] >= a.Shares["senior"] {
		t.Error("walking slower must not reach more people")
	}
	// The city figure weighs zones by population: 12,000 in A, 8,000 in B.
	b := rep.Zones[1]
	if city := (a.Shares["senior"]*12000 + b.Shares["senior"]*8000) / 20000; math.Abs(rep.City["senior"]-city) > 1e-9 {
		t.Errorf("city %.4f, want %.4f", rep.City["senior"], city)
	}

	if _, err := s.ImportStreets(ctx, "test.osm.pbf", testExtract(t)); err != nil {
		t.Fatal(err)
	}
	byStreet, err := s.Coverage(ctx, PaceAdult, 15)
	if err != nil {
		t.Fatal(err)
	}
	if !byStreet.Streets || byStreet.Zones[0].Shares["senior"] <= 0 || byStreet.Zones[0].Shares["senior"] > 4*want {
		t.Errorf("coverage along the streets: %+v", byStreet.Zones[0].Shares)
	}
}
