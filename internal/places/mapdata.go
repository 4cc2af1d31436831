package places

import (
	"fmt"
	"net/http"

	"github.com/paulmach/orb"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// mapTexts are the map script's texts the places' pages use.
var mapTexts = []string{"mapLabel", "keys", "zoomIn", "zoomOut", "close", "origin", "minutes", "open", "event", "eventSymbol", "legend", "legendStep", "noData", "group"}

// newIsland is the map of a page in mode, with the categories of facilities.
func (h *Handlers) newIsland(r *http.Request, mode string) web.MapData {
	l := i18n.For(lang(r))
	isl := web.NewMapData(mode, h.opts.TileURL, h.opts.TileAttribution, l, "places.map.", mapTexts)
	for _, c := range Categories {
		isl.Categories = append(isl.Categories, web.MapCategory{Code: c.Code, Label: l.T("places.category." + c.Code), Symbol: c.Symbol(l.Lang)})
	}
	return isl
}

// addZones adds to isl the zones whose boxes meet b (all when b is nil).
func addZones(isl *web.MapData, zones []Zone, b *orb.Bound, lang string, extra func(Zone) map[string]any) {
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
		isl.Zones.Add(props, z.Boundary)
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
