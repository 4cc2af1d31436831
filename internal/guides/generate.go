package guides

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// Candidate is a place the demo may make a hotspot of: the app feeds it
// from the places part's facilities and Busan's stations and markets.
type Candidate struct {
	Ref    string // kept as the hotspot's ref; "" (or one unfit for a file) makes one from the position in the list
	NameKo string
	NameEn string
	Kind   string // one of Kinds; anything else is Other
	Lat    float64
	Lon    float64
	Zone   string
}

// shape is the share of a spot's peak expected in each hour of one day.
type shape [24]float64

// bumps builds a day from peaks: each (hour, width, height) adds a bell
// around hour, so that crowds build and thin as they do, not by the hour.
func bumps(open, close int, peaks ...[3]float64) shape {
	var s shape
	for h := open; h < close; h++ {
		for _, p := range peaks {
			d := (float64(h) + 0.5 - p[0]) / p[1]
			s[h] += p[2] * math.Exp(-d*d/2)
		}
	}
	return s
}

// dayShapes are the hours of each kind on weekdays, Saturdays and Sundays.
// Markets are busiest in the morning, senior centres on weekdays 10–16,
// stations at the commute and mid-morning (when people over 65 ride free
// in Busan outside the rush), parks early and in the evening.
var dayShapes = map[string][3]shape{
	Market: {
		bumps(7, 19, [3]float64{10, 1.8, 1}, [3]float64{15.5, 1.5, 0.45}),
		bumps(7, 19, [3]float64{10.5, 2, 1}, [3]float64{15.5, 1.8, 0.6}),
		bumps(8, 17, [3]float64{11, 2, 0.6}),
	},
	SeniorCentre: {
		bumps(9, 18, [3]float64{10.5, 1, 0.8}, [3]float64{12.5, 1.2, 1}, [3]float64{14.5, 1.2, 0.85}),
		bumps(9, 13, [3]float64{10.5, 1.2, 0.3}),
		{},
	},
	Station: {
		bumps(5, 24, [3]float64{8, 0.9, 0.8}, [3]float64{11, 1.5, 1}, [3]float64{18, 1, 0.7}),
		bumps(6, 24, [3]float64{11.5, 2.5, 0.8}, [3]float64{16, 2, 0.6}),
		bumps(6, 23, [3]float64{11.5, 2.5, 0.7}, [3]float64{15.5, 2, 0.5}),
	},
	Park: {
		bumps(5, 22, [3]float64{6.5, 1.2, 1}, [3]float64{18.5, 1.3, 0.8}),
		bumps(5, 22, [3]float64{7, 1.5, 1}, [3]float64{13, 2.5, 0.6}, [3]float64{18, 1.5, 0.9}),
		bumps(5, 22, [3]float64{7.5, 1.5, 0.9}, [3]float64{13.5, 2.5, 0.8}, [3]float64{17.5, 1.5, 0.8}),
	},
	Other: {
		bumps(9, 18, [3]float64{11, 2.5, 1}, [3]float64{15, 2, 0.8}),
		bumps(10, 16, [3]float64{12, 2, 0.5}),
		{},
	},
}

// peakRange is the busiest hour's crowd of each kind, from small to large
// spots of that kind.
var peakRange = map[string][2]int{
	Station: {120, 600}, Market: {80, 320}, SeniorCentre: {25, 110}, Park: {40, 220}, Other: {15, 80},
}

// DemoProfile is a realistic week at a spot of kind whose busiest hour
// sees about peak people, drawn from rng.
func DemoProfile(rng *rand.Rand, kind string, peak int) Profile {
	shapes, ok := dayShapes[kind]
	if !ok {
		shapes = dayShapes[Other]
	}
	closedSunday := kind == Market && rng.IntN(3) == 0 // some markets rest on Sundays
	var p Profile
	for d := range p {
		s := shapes[0]
		switch d {
		case 5:
			s = shapes[1]
		case 6:
			s = shapes[2]
			if closedSunday {
				continue
			}
		}
		for h, share := range s {
			noise := 0.9 + 0.2*rng.Float64()
			p[d][h] = int(math.Round(share * float64(peak) * noise))
		}
	}
	return p
}

// DemoHotspots makes a hotspot of each candidate, its profile drawn from
// rng: the same rng and candidates always give the same hotspots.
func DemoHotspots(rng *rand.Rand, cands []Candidate) []Hotspot {
	out := make([]Hotspot, 0, len(cands))
	for i, c := range cands {
		kind := c.Kind
		if !oneOf(kind, Kinds) {
			kind = Other
		}
		ref := c.Ref
		if !refOK(ref) {
			ref = fmt.Sprintf("demo-%03d", i+1)
		}
		pr := peakRange[kind]
		peak := pr[0] + rng.IntN(pr[1]-pr[0]+1)
		out = append(out, Hotspot{Ref: ref, NameKo: c.NameKo, NameEn: c.NameEn, Kind: kind,
			At: Point{Lat: c.Lat, Lon: c.Lon}, Zone: c.Zone, Profile: DemoProfile(rng, kind, peak)})
	}
	return out
}

// GenerateDemo writes the demo's hotspots through the service, in one
// transaction like an import of the same file.
func GenerateDemo(ctx context.Context, s *Service, rng *rand.Rand, cands []Candidate) (ImportResult, error) {
	return s.Import(ctx, &HotspotFile{Hotspots: DemoHotspots(rng, cands)})
}
