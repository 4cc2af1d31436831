package places

import (
	"context"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// TestNamesFollowTheImportedZones: zones are named from the places' data
// once the city imported its own (the demo's list only while none is
// stored), and districts from the administrative list.
func TestNamesFollowTheImportedZones(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(dbtest.SQLite(t))
	demo := city.DemoZones()[0]
	names, err := svc.Names(ctx, "ko")
	if err != nil || names[demo.Code] != demo.Name("ko") || names[demo.District] == "" {
		t.Fatalf("before any import: %q, %q, %v", names[demo.Code], names[demo.District], err)
	}
	ds, err := svc.Districts(ctx)
	if err != nil || len(ds) != len(city.Districts()) {
		t.Fatalf("districts before any import: %d, %v", len(ds), err)
	}

	// T-A lies in Haeundae; T-B names no district.
	f, err := ParseImport(strings.NewReader(strings.Replace(zonesGeoJSON, `"population": 12000}`, `"population": 12000, "district": "21090"}`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Import(ctx, f); err != nil {
		t.Fatal(err)
	}
	zones, err := svc.NamedZones(ctx)
	if err != nil || len(zones) != 2 {
		t.Fatalf("zones %+v %v", zones, err)
	}
	en, err := svc.Names(ctx, "en")
	if err != nil || en["T-A"] != "Test zone A" || en["T-B"] != "시험 나 생활권" || en[demo.Code] != "" || en["21090"] != "Haeundae-gu" {
		t.Errorf("names after the import: T-A %q, T-B %q, demo %q, 21090 %q (%v)", en["T-A"], en["T-B"], en[demo.Code], en["21090"], err)
	}
	if ds, err := svc.Districts(ctx); err != nil || len(ds) != 1 || ds[0].Code != "21090" || ds[0].Name("ko") != "해운대구" {
		t.Errorf("districts after the import: %+v %v", ds, err)
	}
	if DistrictName("21090", "en") != "Haeundae-gu" || DistrictName("99999", "en") != "99999" {
		t.Errorf("DistrictName: %q %q", DistrictName("21090", "en"), DistrictName("99999", "en"))
	}
}
