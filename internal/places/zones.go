package places

import (
	"github.com/maeul/maeul/internal/i18n"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Zone is a living zone (생활권): the area the 15-minute promise is made
// for, with the people who live in it.
type Zone struct {
	Code       string
	District   string // the district's code, when the zone lies in one
	NameKo     string
	NameEn     string
	Population int64
	Boundary   orb.MultiPolygon
	Centre     Point
	Demo       bool
	bound      orb.Bound
}

// Name is the zone's name in lang.
func (z Zone) Name(lang string) string { return i18n.For(lang).Pick(z.NameKo, z.NameEn) }

// Contains reports whether p is inside the zone.
func (z *Zone) Contains(p Point) bool {
	pt := orb.Point{p.Lon, p.Lat}
	if z.bound.IsZero() {
		z.bound = z.Boundary.Bound()
	}
	return z.bound.Contains(pt) && planar.MultiPolygonContains(z.Boundary, pt)
}

// centre is the area-weighted centre of the boundary, or the middle of its
// box if it has no area.
func centre(mp orb.MultiPolygon) Point {
	c, area := planar.CentroidArea(mp)
	if area == 0 {
		c = mp.Bound().Center()
	}
	return Point{Lon: c[0], Lat: c[1]}
}

// zoneOf is the code of the first zone containing p, or "".
func zoneOf(zones []Zone, p Point) string {
	for i := range zones {
		if zones[i].Contains(p) {
			return zones[i].Code
		}
	}
	return ""
}

// MultiPolygon is a boundary given as plain coordinates (polygons of rings
// of lon/lat points, as internal/city keeps Busan's) in the zones' type.
func MultiPolygon(coords [][][][2]float64) orb.MultiPolygon {
	mp := make(orb.MultiPolygon, len(coords))
	for i, p := range coords {
		for _, r := range p {
			ring := make(orb.Ring, len(r))
			for j, pt := range r {
				ring[j] = orb.Point(pt)
			}
			mp[i] = append(mp[i], ring)
		}
	}
	return mp
}
