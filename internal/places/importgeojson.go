package places

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/maeul/maeul/internal/sheet"
)

// geoFeature is a GeoJSON feature as read, its properties kept raw so that
// a number written as a string (or the reverse) is still understood.
type geoFeature struct {
	Type       string                     `json:"type"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// property is a property as text: a string as is, a number or a boolean as
// written.
func (f *geoFeature) property(name string) string {
	raw, ok := f.Properties[name]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

var zoneCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// parseGeoJSON reads a FeatureCollection of zones (polygons) or of
// facilities (points), reporting each problem at the line its feature
// starts on, with the feature's number.
func parseGeoJSON(data []byte) (*ImportFile, error) {
	var ps sheet.Problems
	features, lines, ok := readFeatures(data, &ps)
	if !ok {
		return nil, ps.Err()
	}
	f := &ImportFile{}
	seen := map[string]int{}
	for i, ft := range features {
		if ps.Full() {
			break
		}
		line, col := lines[i], fmt.Sprintf("features[%d].", i)
		if ft.Type != "Feature" || ft.Geometry == nil {
			ps.Add(line, col+"geometry", "places.not_a_feature")
			continue
		}
		kind := ImportZones
		if ft.Geometry.Type == "Point" {
			kind = ImportFacilities
		}
		if f.Kind == "" {
			f.Kind = kind
		} else if f.Kind != kind {
			ps.Add(line, col+"geometry", "places.mixed_features")
			continue
		}
		if kind == ImportFacilities {
			at, ok := readPoint(ft.Geometry.Coordinates)
			if !ok {
				ps.Add(line, col+"geometry", "places.coordinates_invalid", string(ft.Geometry.Coordinates), "")
				continue
			}
			if fac, ok := facilityFrom(line, col+"properties.", ft.property, &at, &ps); ok {
				f.Facilities = append(f.Facilities, fac)
			}
			continue
		}
		z, ok := zoneFrom(line, col, &ft, &ps)
		if !ok {
			continue
		}
		if first, dup := seen[z.Code]; dup {
			ps.Add(line, col+"properties.code", "places.duplicate_ref", z.Code, first)
			continue
		}
		seen[z.Code] = line
		f.Zones = append(f.Zones, ImportZone{Line: line, Zone: z})
	}
	checkRefs(f, &ps)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if f.Rows() == 0 {
		ps.Add(0, "features", "places.no_features")
		return nil, ps.Err()
	}
	return f, nil
}

// readFeatures decodes the collection's features one by one, noting the
// line each starts on.
func readFeatures(data []byte, ps *sheet.Problems) ([]geoFeature, []int, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	lineAt := func(off int64) int {
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
			off++
		}
		return 1 + bytes.Count(data[:off], []byte("\n"))
	}
	broken := func() ([]geoFeature, []int, bool) {
		ps.Add(lineAt(dec.InputOffset()), "", "places.geojson_broken")
		return nil, nil, false
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return broken()
	}
	var features []geoFeature
	var lines []int
	sawType, sawFeatures := false, false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return broken()
		}
		switch t {
		case "type":
			var typ string
			if dec.Decode(&typ) != nil || typ != "FeatureCollection" {
				ps.Add(lineAt(dec.InputOffset()), "type", "places.not_feature_collection")
				return nil, nil, false
			}
			sawType = true
		case "features":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return broken()
			}
			for dec.More() {
				line := lineAt(dec.InputOffset())
				var ft geoFeature
				if err := dec.Decode(&ft); err != nil {
					ps.Add(line, fmt.Sprintf("features[%d]", len(features)), "places.geojson_broken")
					return nil, nil, false
				}
				features = append(features, ft)
				lines = append(lines, line)
			}
			if _, err := dec.Token(); err != nil {
				return broken()
			}
			sawFeatures = true
		default:
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return broken()
			}
		}
	}
	if !sawType || !sawFeatures {
		ps.Add(1, "type", "places.not_feature_collection")
		return nil, nil, false
	}
	return features, lines, true
}

func zoneFrom(line int, col string, ft *geoFeature, ps *sheet.Problems) (Zone, bool) {
	z := Zone{Code: ft.property("code"), District: ft.property("district"), NameKo: ft.property("name_ko"), NameEn: ft.property("name_en")}
	if z.NameKo == "" {
		z.NameKo = ft.property("name")
	}
	if z.NameEn == "" {
		z.NameEn = z.NameKo
	}
	ok := true
	if !zoneCode.MatchString(z.Code) {
		ps.Add(line, col+"properties.code", "places.zone_code_invalid", z.Code)
		ok = false
	}
	if z.NameKo == "" {
		ps.Add(line, col+"properties.name_ko", "places.name_required")
		ok = false
	}
	pop, err := strconv.ParseInt(ft.property("population"), 10, 64)
	if err != nil || pop < 0 {
		ps.Add(line, col+"properties.population", "places.population_invalid", ft.property("population"))
		ok = false
	}
	z.Population = pop
	mp, problem, args := readPolygons(ft.Geometry.Type, ft.Geometry.Coordinates)
	if problem != "" {
		ps.Add(line, col+"geometry", problem, args...)
		ok = false
	}
	if !ok {
		return Zone{}, false
	}
	z.Boundary = mp
	z.Centre = centre(mp)
	return z, true
}

// readPolygons reads a Polygon's or MultiPolygon's coordinates, checking
// that every ring closes, has an area and lies in the city.
func readPolygons(typ string, raw json.RawMessage) (orb.MultiPolygon, string, []any) {
	var polys [][][][]float64
	switch typ {
	case "Polygon":
		var p [][][]float64
		if json.Unmarshal(raw, &p) != nil {
			return nil, "places.geometry_invalid", []any{typ}
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if json.Unmarshal(raw, &polys) != nil {
			return nil, "places.geometry_invalid", []any{typ}
		}
	default:
		return nil, "places.not_a_polygon", []any{typ}
	}
	if len(polys) == 0 {
		return nil, "places.geometry_empty", nil
	}
	mp := make(orb.MultiPolygon, 0, len(polys))
	for pi, p := range polys {
		if len(p) == 0 {
			return nil, "places.geometry_empty", nil
		}
		poly := make(orb.Polygon, 0, len(p))
		for ri, r := range p {
			ring := make(orb.Ring, 0, len(r))
			for _, pos := range r {
				if len(pos) < 2 {
					return nil, "places.geometry_invalid", []any{typ}
				}
				pt := Point{Lon: pos[0], Lat: pos[1]}
				if !City.Contains(pt) {
					return nil, "places.outside_city", []any{pt.Lon, pt.Lat}
				}
				ring = append(ring, orb.Point{pt.Lon, pt.Lat})
			}
			if len(ring) < 4 {
				return nil, "places.ring_too_short", []any{pi + 1, ri + 1}
			}
			if ring[0] != ring[len(ring)-1] {
				return nil, "places.ring_not_closed", []any{pi + 1, ri + 1, ring[0][0], ring[0][1], ring[len(ring)-1][0], ring[len(ring)-1][1]}
			}
			poly = append(poly, ring)
		}
		mp = append(mp, poly)
	}
	return mp, "", nil
}

func readPoint(raw json.RawMessage) (Point, bool) {
	var pos []float64
	if json.Unmarshal(raw, &pos) != nil || len(pos) < 2 {
		return Point{}, false
	}
	return Point{Lon: pos[0], Lat: pos[1]}, true
}
