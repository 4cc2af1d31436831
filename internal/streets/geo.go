package streets

import "math"

// earthRadius is the IUGG mean radius in metres.
const earthRadius = 6371008.8

const radians = math.Pi / 180

// metresPerDegree is the length of one degree of latitude (and of longitude
// at the equator) on the sphere of earthRadius.
const metresPerDegree = earthRadius * radians

// Point is a position in degrees (WGS 84).
type Point struct {
	Lon, Lat float64
}

// haversine is the great-circle distance in metres.
func haversine(lon1, lat1, lon2, lat2 float64) float64 {
	dLat := (lat2 - lat1) * radians
	dLon := (lon2 - lon1) * radians
	s1 := math.Sin(dLat / 2)
	s2 := math.Sin(dLon / 2)
	a := s1*s1 + math.Cos(lat1*radians)*math.Cos(lat2*radians)*s2*s2
	return 2 * earthRadius * math.Asin(math.Sqrt(min(a, 1)))
}

// e7 is OSM's own fixed-point precision (100 nanodegrees, about 1 cm): four
// bytes a coordinate instead of eight, with nothing lost from the file.
func e7(deg float64) int32 { return int32(math.Round(deg * 1e7)) }

func deg(v int32) float64 { return float64(v) / 1e7 }
