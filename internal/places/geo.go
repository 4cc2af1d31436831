package places

import (
	"math"
)

// Point is a position in WGS 84 degrees.
type Point struct {
	Lon, Lat float64
}

// micro is how coordinates are stored: whole microdegrees (about 0.1 m),
// exact on both backends.
func micro(deg float64) int64 { return int64(math.Round(deg * 1e6)) }

func degrees(m int64) float64 { return float64(m) / 1e6 }

const earthRadius = 6371008.8 // metres, the mean radius

// Metres is the great-circle distance between two points (haversine).
func Metres(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadius * math.Asin(math.Sqrt(min(1, h)))
}

// City is the area places may be in: Busan and a margin around it.
// Anything outside is a typo (swapped longitude and latitude, a missing
// digit), refused at import.
var City = Bounds{MinLon: 128.7, MinLat: 34.85, MaxLon: 129.4, MaxLat: 35.45}

// Bounds is a longitude/latitude rectangle.
type Bounds struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

// Contains reports whether p is inside b.
func (b Bounds) Contains(p Point) bool {
	return p.Lon >= b.MinLon && p.Lon <= b.MaxLon && p.Lat >= b.MinLat && p.Lat <= b.MaxLat
}

// Pace is how fast someone walks.
type Pace string

// The paces a citizen can choose: an adult's and the measured pace of
// older pedestrians.
const (
	PaceAdult  Pace = "adult"
	PaceSenior Pace = "senior"
)

// Walking is how walking times are estimated without a street graph: the
// straight line times a detour factor, at a pace.
type Walking struct {
	Detour float64          // 1.3: streets are that much longer than the straight line
	Speeds map[Pace]float64 // metres per second
}

// DefaultWalking is 1.3 × the straight line at 1.2 m/s, or 0.8 m/s for
// the senior setting.
func DefaultWalking() Walking {
	return Walking{Detour: 1.3, Speeds: map[Pace]float64{PaceAdult: 1.2, PaceSenior: 0.8}}
}

// Speed is the pace's speed in metres per second; an unknown pace walks
// as an adult.
func (w Walking) Speed(p Pace) float64 {
	if s, ok := w.Speeds[p]; ok && s > 0 {
		return s
	}
	return w.Speeds[PaceAdult]
}

// Estimate is a walking time: from the straight-line distance, or along
// the streets of the city's extract.
type Estimate struct {
	Straight float64 // metres, as the crow flies
	Metres   float64 // with the detour, or along the streets
	Seconds  float64
	Streets  bool // walked along the street graph, not estimated
}

// Minutes is the time rounded up to whole minutes, at least one: a
// promise of "5 minutes" should not be missed by a few seconds.
func (e Estimate) Minutes() int { return max(1, int(math.Ceil(e.Seconds/60))) }

// Estimate walks from a to b at pace p.
func (w Walking) Estimate(a, b Point, p Pace) Estimate {
	d := Metres(a, b)
	m := d * w.Detour
	return Estimate{Straight: d, Metres: m, Seconds: m / w.Speed(p)}
}
