package places

import (
	"fmt"
	"net/http"

	"github.com/paulmach/orb"

	"github.com/maeul/maeul/internal/i18n"
)

// mapIsland is what the map script (static/js/placesmap.js) draws: the
// same places the page lists, never more, so that the list is the whole
// answer and the map only shows it.
type mapIsland struct {
	Mode            string            `json:"mode"`
	TileURL         string            `json:"tileURL"`
	TileAttribution string            `json:"tileAttribution"`
	Texts           map[string]string `json:"texts"`
	Zones           mapZones          `json:"zones"`
	Origin          *mapOrigin        `json:"origin"`
	Categories      []mapCategory     `json:"categories"`
	Facilities      []mapFacility     `json:"facilities"`
	Events          []mapEvent        `json:"events"`
}

type mapZones struct {
	Type     string       `json:"type"`
	Features []mapFeature `json:"features"`
}

type mapFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   mapGeometry    `json:"geometry"`
}

type mapGeometry struct {
	Type        string           `json:"type"`
	Coordinates orb.MultiPolygon `json:"coordinates"`
}

type mapOrigin struct {
	Lon   float64 `json:"lon"`
	Lat   float64 `json:"lat"`
	Label string  `json:"label"`
}

type mapCategory struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Symbol string `json:"symbol"`
}

type mapFacility struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Category string  `json:"category"`
	Lon      float64 `json:"lon"`
	Lat      float64 `json:"lat"`
	Minutes  int     `json:"minutes,omitempty"`
	Distance string  `json:"distance,omitempty"`
	URL      string  `json:"url"`
}

type mapEvent struct {
	ID   int64   `json:"id"`
	Name string  `json:"name"`
	When string  `json:"when"`
	Lon  float64 `json:"lon"`
	Lat  float64 `json:"lat"`
	URL  string  `json:"url"`
}

func (h *Handlers) newIsland(r *http.Request, mode string) mapIsland {
	l := i18n.For(lang(r))
	texts := map[string]string{}
	for _, k := range []string{"mapLabel", "keys", "zoomIn", "zoomOut", "close", "origin", "minutes", "open", "event", "eventSymbol", "legend", "legendStep", "noData", "group"} {
		texts[k] = l.T("places.map." + k)
	}
	isl := mapIsland{Mode: mode, TileURL: h.opts.TileURL, TileAttribution: h.opts.TileAttribution, Texts: texts,
		Zones: mapZones{Type: "FeatureCollection", Features: []mapFeature{}}, Facilities: []mapFacility{}, Events: []mapEvent{}}
	for _, c := range Categories {
		isl.Categories = append(isl.Categories, mapCategory{Code: c.Code, Label: l.T("places.category." + c.Code), Symbol: c.Symbol(l.Lang)})
	}
	return isl
}

// addZones adds the zones whose boxes meet b (all when b is nil).
func (isl *mapIsland) addZones(zones []Zone, b *orb.Bound, lang string, extra func(Zone) map[string]any) {
	for _, z := range zones {
		if b != nil && !z.bound.Intersects(*b) {
			continue
		}
		props := map[string]any{"code": z.Code, "name": z.Name(lang), "population": z.Population}
		if extra != nil {
			for k, v := range extra(z) {
				props[k] = v
			}
		}
		isl.Zones.Features = append(isl.Zones.Features, mapFeature{Type: "Feature", Properties: props,
			Geometry: mapGeometry{Type: "MultiPolygon", Coordinates: z.Boundary}})
	}
}

// DistanceText is a distance as people say it: metres to the ten below a
// kilometre, kilometres to one decimal above.
func DistanceText(m float64) string {
	if m < 1000 {
		return fmt.Sprintf("%d m", int(m/10+0.5)*10)
	}
	return fmt.Sprintf("%.1f km", m/1000)
}

func facilityURL(id int64) string { return fmt.Sprintf("/places/facilities/%d", id) }
