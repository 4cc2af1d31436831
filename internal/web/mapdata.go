package web

import (
	"github.com/paulmach/orb"

	"github.com/maeul/maeul/internal/i18n"
)

// MapData is the data island the map script (static/js/placesmap.js)
// draws: the same places the page lists before it, never more, so that the
// list is the whole answer and the map only shows it. The places part fills
// it for facilities, events and the planner's zones, the guides part for
// its hotspots; this is the one description of what the script reads.
type MapData struct {
	Mode            string            `json:"mode"` // "places" (markers) or "choropleth" (zones)
	TileURL         string            `json:"tileURL"`
	TileAttribution string            `json:"tileAttribution"`
	Texts           map[string]string `json:"texts"`
	Zones           MapZones          `json:"zones"`
	Origin          *MapOrigin        `json:"origin"`
	Categories      []MapCategory     `json:"categories"`
	Facilities      []MapPlace        `json:"facilities"`
	Events          []MapEvent        `json:"events"`
}

// MapZones is a GeoJSON FeatureCollection of zones.
type MapZones struct {
	Type     string       `json:"type"`
	Features []MapFeature `json:"features"`
}

// MapFeature is one zone: its properties (code, name, population and what
// the mode colours by) and its boundary.
type MapFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   MapGeometry    `json:"geometry"`
}

// MapGeometry is a zone's boundary.
type MapGeometry struct {
	Type        string           `json:"type"`
	Coordinates orb.MultiPolygon `json:"coordinates"`
}

// MapOrigin is where the list's walking times start from.
type MapOrigin struct {
	Lon   float64 `json:"lon"`
	Lat   float64 `json:"lat"`
	Label string  `json:"label"`
}

// MapCategory is one kind of marker with its label and its symbol.
type MapCategory struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Symbol string `json:"symbol"`
}

// MapPlace is one marker: a row of the list, linking back to it.
type MapPlace struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Category string  `json:"category"`
	Lon      float64 `json:"lon"`
	Lat      float64 `json:"lat"`
	Minutes  int     `json:"minutes,omitempty"`
	Distance string  `json:"distance,omitempty"`
	URL      string  `json:"url"`
}

// MapEvent is one event's marker.
type MapEvent struct {
	ID   int64   `json:"id"`
	Name string  `json:"name"`
	When string  `json:"when"`
	Lon  float64 `json:"lon"`
	Lat  float64 `json:"lat"`
	URL  string  `json:"url"`
}

// NewMapData is an empty map in mode with the tile server's URL and
// attribution, and the script's texts: each key of texts in l under
// prefix ("places.map." + "zoomIn").
func NewMapData(mode, tileURL, tileAttribution string, l i18n.Localizer, prefix string, texts []string) MapData {
	d := MapData{Mode: mode, TileURL: tileURL, TileAttribution: tileAttribution, Texts: map[string]string{},
		Zones:      NewMapZones(),
		Facilities: []MapPlace{}, Events: []MapEvent{}}
	for _, k := range texts {
		d.Texts[k] = l.T(prefix + k)
	}
	return d
}

// NewMapZones is an empty FeatureCollection.
func NewMapZones() MapZones {
	return MapZones{Type: "FeatureCollection", Features: []MapFeature{}}
}

// Add adds a zone with its properties and boundary.
func (z *MapZones) Add(props map[string]any, boundary orb.MultiPolygon) {
	z.Features = append(z.Features, MapFeature{Type: "Feature", Properties: props,
		Geometry: MapGeometry{Type: "MultiPolygon", Coordinates: boundary}})
}
