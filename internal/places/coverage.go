package places

import (
	"context"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/maeul/maeul/internal/streets"
)

// CellMetres is the side of the population grid: each zone's people are
// spread evenly over the grid's points inside it (the city publishes
// population by zone, not by address).
const CellMetres = 200

// ZoneCoverage is the share of a zone's people who live within the walk of
// each essential category.
type ZoneCoverage struct {
	Zone   Zone
	Cells  int
	Shares map[string]float64 // category → 0..1
}

// CoverageReport is every zone's coverage for one pace and walk.
type CoverageReport struct {
	Pace    Pace
	Minutes int
	Streets bool // along the street graph, not the straight-line estimate
	Zones   []ZoneCoverage
	City    map[string]float64 // population-weighted over all zones
	Took    time.Duration
}

// Essential returns the essential categories' codes.
func Essential() []string {
	var out []string
	for _, c := range Categories {
		if c.Essential {
			out = append(out, c.Code)
		}
	}
	return out
}

type coverageKey struct {
	version int64
	pace    Pace
	minutes int
}

// Coverage computes, for every zone and essential category, the share of
// the zone's population within minutes' walk of one of the category's
// facilities. Results are kept until the places change.
func (s *Service) Coverage(ctx context.Context, pace Pace, minutes int) (*CoverageReport, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return nil, err
	}
	key := coverageKey{sn.version, pace, minutes}
	s.mu.Lock()
	if r, ok := s.coverage[key]; ok {
		s.mu.Unlock()
		return r, nil
	}
	s.mu.Unlock()
	r := s.computeCoverage(sn, pace, minutes)
	s.mu.Lock()
	if s.coverage == nil || len(s.coverage) > 16 {
		s.coverage = map[coverageKey]*CoverageReport{}
	}
	s.coverage[key] = r
	s.mu.Unlock()
	return r, nil
}

func (s *Service) computeCoverage(sn *snapshot, pace Pace, minutes int) *CoverageReport {
	start := time.Now()
	limit := float64(minutes * 60)
	r := &CoverageReport{Pace: pace, Minutes: minutes, Streets: sn.graph != nil, City: map[string]float64{}}
	cells := make([][]Point, len(sn.zones))
	for i := range sn.zones {
		cells[i] = grid(sn.zones[i])
	}
	var people float64
	for _, z := range sn.zones {
		people += float64(z.Population)
	}
	shares := make([]map[string]float64, len(sn.zones))
	for i := range shares {
		shares[i] = map[string]float64{}
	}
	for _, cat := range Essential() {
		ix := sn.byCategory[cat]
		var within func(Point) bool
		switch {
		case ix == nil:
			within = func(Point) bool { return false }
		case sn.graph != nil:
			sources := make([]streets.Point, len(ix.nodes))
			for i, n := range ix.nodes {
				at := sn.facilities[n.id].At
				sources[i] = streets.Point{Lon: at.Lon, Lat: at.Lat}
			}
			times := sn.graph.Reach(sources, limit, s.Walking.profile(pace, false))
			within = func(p Point) bool {
				sec, ok := times.At(streets.Point{Lon: p.Lon, Lat: p.Lat})
				return ok && sec <= limit
			}
		default:
			within = func(p Point) bool {
				n := ix.nearest(p, 1, nil)
				return len(n) == 1 && s.Walking.Estimate(p, sn.facilities[n[0].id].At, pace).Seconds <= limit
			}
		}
		var covered float64
		for i, z := range sn.zones {
			in := 0
			for _, c := range cells[i] {
				if within(c) {
					in++
				}
			}
			share := float64(in) / float64(len(cells[i]))
			shares[i][cat] = share
			covered += share * float64(z.Population)
		}
		if people > 0 {
			r.City[cat] = covered / people
		}
	}
	for i, z := range sn.zones {
		r.Zones = append(r.Zones, ZoneCoverage{Zone: z, Cells: len(cells[i]), Shares: shares[i]})
	}
	r.Took = time.Since(start)
	return r
}

// grid is the zone's population grid: the points of a CellMetres grid that
// fall inside it, or its centre when it is smaller than a cell.
func grid(z Zone) []Point {
	b := z.Boundary.Bound()
	dLat := CellMetres / metresPerLat
	dLon := CellMetres / metresPerLon
	var out []Point
	// The grid is anchored to whole multiples of the cell, so neighbouring
	// zones share one grid and no point counts twice.
	for lat := math.Ceil(b.Min[1]/dLat) * dLat; lat <= b.Max[1]; lat += dLat {
		for lon := math.Ceil(b.Min[0]/dLon) * dLon; lon <= b.Max[0]; lon += dLon {
			if planar.MultiPolygonContains(z.Boundary, orb.Point{lon, lat}) {
				out = append(out, Point{Lon: lon, Lat: lat})
			}
		}
	}
	if len(out) == 0 {
		out = append(out, z.Centre)
	}
	return out
}
