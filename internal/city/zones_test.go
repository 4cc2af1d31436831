package city

import (
	"fmt"
	"testing"
)

// The demo's 62 living zones: every dong of the city in exactly one zone of
// its own district, every district with at least two zones, no zone empty,
// codes numbered from 1 in each district, and the same every time.
func TestDemoZones(t *testing.T) {
	t.Parallel()
	zones := DemoZones()
	if len(zones) != LivingZones {
		t.Fatalf("%d zones", len(zones))
	}
	if len(Dongs()) != 210 {
		t.Fatalf("%d dongs", len(Dongs()))
	}
	seen := map[string]string{}
	perDistrict := map[string]int{}
	population := 0
	for _, z := range zones {
		perDistrict[z.District]++
		if z.Number != perDistrict[z.District] || z.Code != fmt.Sprintf("%s-Z%d", z.District, z.Number) {
			t.Errorf("zone %s numbered %d", z.Code, z.Number)
		}
		if len(z.Dongs) == 0 || z.Population <= 0 {
			t.Errorf("zone %s: %d dongs, population %d", z.Code, len(z.Dongs), z.Population)
		}
		for _, d := range z.Dongs {
			if d[:5] != z.District {
				t.Errorf("dong %s is in zone %s of another district", d, z.Code)
			}
			if other, ok := seen[d]; ok {
				t.Errorf("dong %s in zones %s and %s", d, other, z.Code)
			}
			seen[d] = z.Code
		}
		population += z.Population
	}
	if len(seen) != 210 {
		t.Fatalf("%d dongs in a zone", len(seen))
	}
	for _, d := range Districts() {
		if perDistrict[d.Code] < 2 || len(ZonesOf(d.Code)) != perDistrict[d.Code] {
			t.Errorf("%s has %d zones", d.NameEn, perDistrict[d.Code])
		}
	}
	if population < 3_200_000 || population > 3_300_000 {
		t.Errorf("zones hold %d people", population)
	}
	if again := groupZones(Dongs()); fmt.Sprint(again) != fmt.Sprint(zones) {
		t.Fatal("grouping again gives other zones")
	}
	if z := zones[0]; z.Name("ko") != "중구 제1생활권 (시연)" || z.Name("en") != "Jung-gu zone 1 (demo)" {
		t.Fatalf("names %q %q", z.Name("ko"), z.Name("en"))
	}
}

// Neighbours stay together: every dong is nearer the middle of its own
// zone's dongs than the middle of any other zone of its district (the fixed
// point of the grouping), so a zone is a compact, walkable area.
func TestDemoZonesAreCompact(t *testing.T) {
	t.Parallel()
	middle := map[string][2]float64{}
	of := map[string]Zone{}
	byCode := map[string]Dong{}
	for _, d := range Dongs() {
		byCode[d.Code] = d
	}
	for _, z := range DemoZones() {
		var m [2]float64
		for _, d := range z.Dongs {
			of[d] = z
			m[0] += byCode[d].Centroid[0] / float64(len(z.Dongs))
			m[1] += byCode[d].Centroid[1] / float64(len(z.Dongs))
		}
		middle[z.Code] = m
	}
	for _, d := range Dongs() {
		own := of[d.Code]
		for _, z := range ZonesOf(own.District) {
			if dist(d.Centroid, middle[z.Code]) < dist(d.Centroid, middle[own.Code]) {
				t.Errorf("dong %s (%s) is nearer the middle of %s than of its own %s", d.Code, d.NameEn, z.Code, own.Code)
			}
		}
	}
}
