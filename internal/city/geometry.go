package city

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
)

//go:embed data/districts-2013.geojson
var districtsGeoJSON []byte

// ring is a closed line of {longitude, latitude} points; polygon is an
// outer ring followed by its holes, as in GeoJSON.
type (
	ring    [][2]float64
	polygon []ring
)

// boundaries holds each district's shape by code, every shape as a list of
// polygons so that Polygon and MultiPolygon features are drawn alike.
var boundaries map[string][]polygon

func init() {
	b, err := parseBoundaries(districtsGeoJSON)
	if err != nil {
		panic(fmt.Sprintf("city: data/districts-2013.geojson: %v", err))
	}
	for i := range districtTable {
		d := &districtTable[i]
		shape, ok := b[d.Code]
		if !ok {
			panic(fmt.Sprintf("city: data/districts-2013.geojson: no boundary for district %s", d.Code))
		}
		d.Centroid = centroid(shape)
	}
	boundaries = b
}

func parseBoundaries(data []byte) (map[string][]polygon, error) {
	var fc struct {
		Features []struct {
			Properties struct {
				Code string `json:"code"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, err
	}
	out := make(map[string][]polygon, len(fc.Features))
	for _, f := range fc.Features {
		var shape []polygon
		switch f.Geometry.Type {
		case "Polygon":
			var p polygon
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("feature %s: %w", f.Properties.Code, err)
			}
			shape = []polygon{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &shape); err != nil {
				return nil, fmt.Errorf("feature %s: %w", f.Properties.Code, err)
			}
		default:
			return nil, fmt.Errorf("feature %s: geometry type %q is not a polygon", f.Properties.Code, f.Geometry.Type)
		}
		if len(shape) == 0 || len(shape[0]) == 0 || len(shape[0][0]) < 4 {
			return nil, fmt.Errorf("feature %s: empty geometry", f.Properties.Code)
		}
		out[f.Properties.Code] = append(out[f.Properties.Code], shape...)
	}
	return out, nil
}

// centroid is the area-weighted centre of a shape. It is taken in degrees:
// the map's projection only scales longitude by a constant, which moves no
// centroid, and a district is too small for the earth's curvature to matter.
// Holes count negatively whichever way their rings are wound.
func centroid(shape []polygon) [2]float64 {
	var area, cx, cy float64
	for _, p := range shape {
		for i, r := range p {
			a, x, y := ringMoments(r)
			sign := 1.0
			if i > 0 {
				sign = -1
			}
			area += sign * a
			cx += sign * x
			cy += sign * y
		}
	}
	if area == 0 {
		return shape[0][0][0]
	}
	return [2]float64{cx / area, cy / area}
}

// ringMoments returns the unsigned area of a ring and its first moments
// about the axes, oriented to match, by the shoelace formula.
func ringMoments(r ring) (area, mx, my float64) {
	for i := range len(r) - 1 {
		x0, y0, x1, y1 := r[i][0], r[i][1], r[i+1][0], r[i+1][1]
		c := x0*y1 - x1*y0
		area += c
		mx += (x0 + x1) * c
		my += (y0 + y1) * c
	}
	area /= 2
	mx /= 6
	my /= 6
	if area < 0 {
		return -area, -mx, -my
	}
	return area, mx, my
}

// bounds returns the smallest and largest longitude and latitude of all
// boundaries.
func bounds() (minLon, minLat, maxLon, maxLat float64) {
	minLon, minLat = math.Inf(1), math.Inf(1)
	maxLon, maxLat = math.Inf(-1), math.Inf(-1)
	for _, shape := range boundaries {
		for _, p := range shape {
			for _, r := range p {
				for _, pt := range r {
					minLon, maxLon = min(minLon, pt[0]), max(maxLon, pt[0])
					minLat, maxLat = min(minLat, pt[1]), max(maxLat, pt[1])
				}
			}
		}
	}
	return
}
