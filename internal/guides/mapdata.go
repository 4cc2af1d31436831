package guides

import (
	"strconv"

	"github.com/maeul/maeul/internal/i18n"
)

// mapIsland is the data island static/js/placesmap.js draws (its "places"
// mode): the hotspots the list before it shows, never more, each linking
// back to its row of the list.
type mapIsland struct {
	Mode            string            `json:"mode"`
	TileURL         string            `json:"tileURL"`
	TileAttribution string            `json:"tileAttribution"`
	Texts           map[string]string `json:"texts"`
	Zones           mapZones          `json:"zones"`
	Origin          *struct{}         `json:"origin"`
	Categories      []mapCategory     `json:"categories"`
	Facilities      []mapSpot         `json:"facilities"`
	Events          []mapSpot         `json:"events"`
}

type mapZones struct {
	Type     string `json:"type"`
	Features []any  `json:"features"`
}

type mapCategory struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Symbol string `json:"symbol"`
}

type mapSpot struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Category string  `json:"category"`
	Lon      float64 `json:"lon"`
	Lat      float64 `json:"lat"`
	Distance string  `json:"distance,omitempty"`
	URL      string  `json:"url"`
}

// mapTexts are the script's texts this page uses.
var mapTexts = []string{"mapLabel", "keys", "zoomIn", "zoomOut", "close", "open", "legend", "group"}

func (h *Handlers) island(l i18n.Localizer, rows []mapRow) mapIsland {
	isl := mapIsland{Mode: "places", TileURL: h.opts.TileURL, TileAttribution: h.opts.TileAttribution, Texts: map[string]string{},
		Zones: mapZones{Type: "FeatureCollection", Features: []any{}}, Facilities: []mapSpot{}, Events: []mapSpot{}}
	for _, k := range mapTexts {
		isl.Texts[k] = l.T("guides.map." + k)
	}
	for _, k := range Kinds {
		isl.Categories = append(isl.Categories, mapCategory{Code: k, Label: l.T("guides.kind." + k), Symbol: l.T("guides.kind_symbol." + k)})
	}
	for _, r := range rows {
		isl.Facilities = append(isl.Facilities, mapSpot{ID: r.ID, Name: r.Name, Category: r.Kind, Lon: r.At.Lon, Lat: r.At.Lat,
			Distance: l.T("guides.map.people", r.People), URL: "#hs-" + strconv.FormatInt(r.ID, 10)})
	}
	return isl
}
