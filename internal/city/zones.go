package city

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
)

//go:embed data/dongs-2013.geojson
var dongsGeoJSON []byte

// LivingZones is how many living zones (생활권) the city is divided into.
const LivingZones = 62

// Dong is a neighbourhood (읍·면·동), the unit living zones are made of.
type Dong struct {
	Code     string // KOSTAT 2013, seven digits; the first five are the district's
	NameKo   string
	NameEn   string
	Centroid [2]float64
	shape    []polygon
}

// Zone is a living zone: neighbouring dongs of one district.
type Zone struct {
	Code       string // the district's code, "-Z" and its number in the district, e.g. 21090-Z3
	District   string
	Number     int
	Dongs      []string // dong codes
	Population int
	Centroid   [2]float64
}

// Name is the zone's name in lang. The demo zones say they are demo zones:
// the city publishes no geometry for its real ones.
func (z Zone) Name(lang string) string {
	d, _ := DistrictByCode(z.District)
	if lang == "en" {
		return fmt.Sprintf("%s zone %d (demo)", d.NameEn, z.Number)
	}
	return fmt.Sprintf("%s 제%d생활권 (시연)", d.NameKo, z.Number)
}

var (
	dongs     []Dong
	demoZones []Zone
)

func init() {
	var err error
	if dongs, err = parseDongs(dongsGeoJSON); err != nil {
		panic(fmt.Sprintf("city: data/dongs-2013.geojson: %v", err))
	}
	demoZones = groupZones(dongs)
}

func parseDongs(data []byte) ([]Dong, error) {
	shapes, err := parseBoundaries(data)
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Code   string `json:"code"`
				Name   string `json:"name"`
				NameEn string `json:"name_eng"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, err
	}
	out := make([]Dong, 0, len(fc.Features))
	for _, f := range fc.Features {
		p := f.Properties
		if _, ok := DistrictByCode(p.Code[:min(5, len(p.Code))]); !ok || len(p.Code) != 7 {
			return nil, fmt.Errorf("dong %q is in no district of the city", p.Code)
		}
		out = append(out, Dong{Code: p.Code, NameKo: p.Name, NameEn: p.NameEn, Centroid: centroid(shapes[p.Code]), shape: shapes[p.Code]})
	}
	slices.SortFunc(out, func(a, b Dong) int { return cmp.Compare(a.Code, b.Code) })
	return out, nil
}

// District is the code of the dong's district.
func (d Dong) District() string { return d.Code[:5] }

// Boundary is the dong's outline as the coordinates of a GeoJSON
// MultiPolygon.
func (d Dong) Boundary() [][][][2]float64 {
	out := make([][][][2]float64, len(d.shape))
	for i, p := range d.shape {
		for _, r := range p {
			out[i] = append(out[i], slices.Clone(r))
		}
	}
	return out
}

// Boundary is the zone's outline as the coordinates of a GeoJSON
// MultiPolygon: its dongs' polygons side by side, not dissolved, which is
// enough to draw it and to tell which zone a point is in.
func (z Zone) Boundary() [][][][2]float64 {
	var out [][][][2]float64
	for _, code := range z.Dongs {
		out = append(out, DongByCode(code).Boundary()...)
	}
	return out
}

// DongByCode returns the dong of a code; the zero Dong if there is none.
func DongByCode(code string) Dong {
	i, ok := slices.BinarySearchFunc(dongs, code, func(d Dong, c string) int { return cmp.Compare(d.Code, c) })
	if !ok {
		return Dong{}
	}
	return dongs[i]
}

// Dongs returns the city's neighbourhoods in code order.
func Dongs() []Dong { return slices.Clone(dongs) }

// DemoZones returns the demo city's 62 living zones in code order.
func DemoZones() []Zone { return slices.Clone(demoZones) }

// ZonesOf returns the demo zones of a district.
func ZonesOf(district string) []Zone {
	var out []Zone
	for _, z := range demoZones {
		if z.District == district {
			out = append(out, z)
		}
	}
	return out
}

// zoneCounts shares the living zones out among the districts by population
// (largest remainders), at least two a district and never more zones than
// it has dongs.
func zoneCounts(dongsIn map[string]int) map[string]int {
	total := 0
	for _, d := range districtTable {
		total += d.Population
	}
	counts := map[string]int{}
	type rest struct {
		code string
		frac float64
	}
	var rests []rest
	given := 0
	for _, d := range districtTable {
		exact := float64(LivingZones*d.Population) / float64(total)
		n := min(max(2, int(exact)), dongsIn[d.Code])
		counts[d.Code] = n
		given += n
		rests = append(rests, rest{d.Code, exact - float64(int(exact))})
	}
	slices.SortStableFunc(rests, func(a, b rest) int { return cmp.Compare(b.frac, a.frac) })
	for i := 0; given != LivingZones && i < 10*len(rests); i++ {
		r := rests[i%len(rests)]
		switch {
		case given < LivingZones && counts[r.code] < dongsIn[r.code]:
			counts[r.code]++
			given++
		case given > LivingZones && counts[r.code] > 2:
			counts[r.code]--
			given--
		}
	}
	return counts
}

// groupZones groups each district's dongs into its share of zones by
// their centres (k-means, seeded with the westmost dong and then each time
// the dong farthest from every seed, so the result is always the same),
// numbered from north to south.
func groupZones(all []Dong) []Zone {
	byDistrict := map[string][]Dong{}
	for _, d := range all {
		byDistrict[d.Code[:5]] = append(byDistrict[d.Code[:5]], d)
	}
	inDistrict := map[string]int{}
	for k, v := range byDistrict {
		inDistrict[k] = len(v)
	}
	counts := zoneCounts(inDistrict)
	var zones []Zone
	for _, district := range districtTable {
		ds := byDistrict[district.Code]
		groups := kmeans(ds, counts[district.Code])
		var local []Zone
		for _, g := range groups {
			z := Zone{District: district.Code}
			var shape []polygon
			for _, i := range g {
				z.Dongs = append(z.Dongs, ds[i].Code)
				shape = append(shape, ds[i].shape...)
			}
			z.Centroid = centroid(shape)
			// A demo figure: the district's population shared by dongs.
			z.Population = district.Population * len(g) / len(ds)
			local = append(local, z)
		}
		slices.SortFunc(local, func(a, b Zone) int {
			return cmp.Or(cmp.Compare(b.Centroid[1], a.Centroid[1]), cmp.Compare(a.Centroid[0], b.Centroid[0]))
		})
		for i := range local {
			local[i].Number = i + 1
			local[i].Code = district.Code + "-Z" + strconv.Itoa(i+1)
		}
		zones = append(zones, local...)
	}
	return zones
}

// lonScale is how much shorter a degree of longitude is than one of
// latitude at Busan's 35° north.
var lonScale = math.Cos(35.2 * math.Pi / 180)

// dist is the squared distance between two points in degrees of latitude:
// what grouping needs to compare, not a length to show.
func dist(a, b [2]float64) float64 {
	dx, dy := (a[0]-b[0])*lonScale, a[1]-b[1]
	return dx*dx + dy*dy
}

// kmeans splits dongs into k groups of neighbours, as index lists.
func kmeans(ds []Dong, k int) [][]int {
	west := 0
	for i, d := range ds {
		if d.Centroid[0] < ds[west].Centroid[0] {
			west = i
		}
	}
	centres := [][2]float64{ds[west].Centroid}
	for len(centres) < k {
		far, farD := 0, -1.0
		for i, d := range ds {
			near := math.Inf(1)
			for _, c := range centres {
				near = min(near, dist(d.Centroid, c))
			}
			if near > farD {
				far, farD = i, near
			}
		}
		centres = append(centres, ds[far].Centroid)
	}
	assign := make([]int, len(ds))
	for range 100 {
		changed := false
		for i, d := range ds {
			best := 0
			for j, c := range centres {
				if dist(d.Centroid, c) < dist(d.Centroid, centres[best]) {
					best = j
				}
			}
			if assign[i] != best {
				assign[i], changed = best, true
			}
		}
		sums := make([][3]float64, k)
		for i, d := range ds {
			sums[assign[i]][0] += d.Centroid[0]
			sums[assign[i]][1] += d.Centroid[1]
			sums[assign[i]][2]++
		}
		for j, s := range sums {
			if s[2] > 0 {
				centres[j] = [2]float64{s[0] / s[2], s[1] / s[2]}
			}
		}
		if !changed {
			break
		}
	}
	groups := make([][]int, k)
	for i, j := range assign {
		groups[j] = append(groups[j], i)
	}
	// A centre that lost every dong takes the dong farthest from its own
	// group's centre in the largest group, so no zone is empty.
	for j := range groups {
		if len(groups[j]) > 0 {
			continue
		}
		big := 0
		for g := range groups {
			if len(groups[g]) > len(groups[big]) {
				big = g
			}
		}
		far := 0
		for n, i := range groups[big] {
			if dist(ds[i].Centroid, centres[big]) > dist(ds[groups[big][far]].Centroid, centres[big]) {
				far = n
			}
		}
		groups[j] = []int{groups[big][far]}
		groups[big] = slices.Delete(groups[big], far, far+1)
	}
	return groups
}
