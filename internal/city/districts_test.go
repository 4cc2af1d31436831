package city

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestDistricts(t *testing.T) {
	t.Parallel()
	ds := Districts()
	if len(ds) != 16 {
		t.Fatalf("got %d districts, want 16", len(ds))
	}
	if !slices.IsSortedFunc(ds, func(a, b District) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("districts are not in code order")
	}
	seen := map[string]bool{}
	for _, d := range ds {
		if seen[d.Code] {
			t.Errorf("duplicate code %s", d.Code)
		}
		seen[d.Code] = true
		if d.NameKo == "" || d.NameEn == "" || d.Population <= 0 {
			t.Errorf("%s: incomplete %+v", d.Code, d)
		}
		if len(boundaries[d.Code]) == 0 {
			t.Errorf("%s: no polygon", d.Code)
		}
		lon, lat := d.Centroid[0], d.Centroid[1]
		if lon < 128.7 || lon > 129.4 || lat < 34.9 || lat > 35.4 {
			t.Errorf("%s: centroid %v outside Busan", d.Code, d.Centroid)
		}
	}
}

// The boundary file and the name table must describe the same districts,
// or a map would silently draw a district under another's name.
func TestBoundaryFileMatchesTable(t *testing.T) {
	t.Parallel()
	var fc struct {
		Features []struct {
			Properties struct {
				Code, Name string
			}
		}
	}
	if err := json.Unmarshal(districtsGeoJSON, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != len(districtTable) {
		t.Fatalf("boundary file has %d features, table %d", len(fc.Features), len(districtTable))
	}
	for _, f := range fc.Features {
		d, ok := DistrictByCode(f.Properties.Code)
		if !ok {
			t.Errorf("boundary file code %s is not in the table", f.Properties.Code)
			continue
		}
		if d.NameKo != f.Properties.Name {
			t.Errorf("%s: table says %s, boundary file %s", d.Code, d.NameKo, f.Properties.Name)
		}
	}
}

func TestDistrictByCode(t *testing.T) {
	t.Parallel()
	d, ok := DistrictByCode("21090")
	if !ok || d.NameEn != "Haeundae-gu" || d.Name("ko") != "해운대구" || d.Name("en") != "Haeundae-gu" {
		t.Errorf("DistrictByCode(21090) = %+v, %v", d, ok)
	}
	if d.Name("fr") != "Haeundae-gu" {
		t.Errorf("Name(fr) = %q, want the English name", d.Name("fr"))
	}
	for _, code := range []string{"", "21000", "21011", "21320", "11010", "2109"} {
		if d, ok := DistrictByCode(code); ok || d != (District{}) {
			t.Errorf("DistrictByCode(%q) = %+v, %v; want zero, false", code, d, ok)
		}
	}
}

func TestDistrictsReturnsCopy(t *testing.T) {
	t.Parallel()
	ds := Districts()
	ds[0].NameEn = "changed"
	if Districts()[0].NameEn == "changed" {
		t.Error("changing the returned slice changed the package's table")
	}
}

func TestCentroidWithHole(t *testing.T) {
	t.Parallel()
	square := func(x0, y0, size float64) ring {
		return ring{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}}
	}
	// A 4x4 square with a 2x2 hole in its right half, wound the same way
	// as the outer ring, pulls the centre left.
	got := centroid([]polygon{{square(0, 0, 4), square(2, 1, 2)}})
	want := [2]float64{(16*2 - 4*3) / 12.0, 2}
	if abs(got[0]-want[0]) > 1e-12 || abs(got[1]-want[1]) > 1e-12 {
		t.Errorf("centroid = %v, want %v", got, want)
	}
	// Two equal squares of a multipolygon balance in the middle.
	got = centroid([]polygon{{square(0, 0, 1)}, {square(3, 0, 1)}})
	if abs(got[0]-2) > 1e-12 || abs(got[1]-0.5) > 1e-12 {
		t.Errorf("multipolygon centroid = %v, want [2 0.5]", got)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
