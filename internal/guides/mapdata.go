package guides

import (
	"strconv"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// mapTexts are the script's texts this page uses.
var mapTexts = []string{"mapLabel", "keys", "zoomIn", "zoomOut", "close", "open", "legend", "group"}

// island is the map of the hotspots the list before it shows (the
// script's "places" mode), each linking back to its row.
func (h *Handlers) island(l i18n.Localizer, rows []mapRow) web.MapData {
	isl := web.NewMapData("places", h.opts.TileURL, h.opts.TileAttribution, l, "guides.map.", mapTexts)
	for _, k := range Kinds {
		isl.Categories = append(isl.Categories, web.MapCategory{Code: k, Label: l.T("guides.kind." + k), Symbol: l.T("guides.kind_symbol." + k)})
	}
	for _, r := range rows {
		isl.Facilities = append(isl.Facilities, web.MapPlace{ID: r.ID, Name: r.Name, Category: r.Kind, Lon: r.At.Lon, Lat: r.At.Lat,
			Distance: l.T("guides.map.people", r.People), URL: "#hs-" + strconv.FormatInt(r.ID, 10)})
	}
	return isl
}
