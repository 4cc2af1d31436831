package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/places"
)

func TestDemoPlacesImportIntoTheirZones(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := places.New(dbtest.SQLite(t))
	zones, facilities, events, err := ImportPlaces(ctx, svc, 1, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if zones != 62 || facilities < 500 || events < 50 {
		t.Fatalf("%d zones, %d facilities, %d events", zones, facilities, events)
	}
	_, fs, _ := Places(1, time.Now())
	misplaced := 0
	for _, f := range fs.Facilities {
		got, err := svc.Facility(ctx, mustID(t, svc, f.Ref, f.At))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(f.Ref, "demo-landmark-") {
			if got.Zone == "" {
				t.Errorf("%s lies in no zone", f.NameKo)
			}
			continue
		}
		// A facility drawn in a dong of zone Z lies in Z, but a point on
		// the shared edge of two dongs may be counted in the neighbour's.
		if !strings.HasPrefix(got.Zone, got.Ref[len("demo-"+got.Category+"-"):][:5]) {
			misplaced++
		}
	}
	if misplaced > 0 {
		t.Errorf("%d demo facilities outside their district's zones", misplaced)
	}
	all, _ := svc.Zones(ctx)
	for _, z := range all {
		in, _ := svc.FacilitiesIn(ctx, z.Code)
		has := map[string]bool{}
		for _, f := range in {
			has[f.Category] = true
		}
		if !has["community"] || !z.Demo || z.Population == 0 {
			t.Errorf("zone %s: community centre %v, demo %v, population %d", z.Code, has["community"], z.Demo, z.Population)
		}
	}
}

func mustID(t *testing.T, svc *places.Service, ref string, at places.Point) int64 {
	t.Helper()
	res, err := svc.Nearest(context.Background(), places.Query{From: at, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Ref == ref {
			return r.ID
		}
	}
	t.Fatalf("facility %s is not among the nearest to its own place", ref)
	return 0
}
