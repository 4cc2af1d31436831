package board

import (
	"net/http"
	"sort"

	"github.com/maeul/maeul/internal/web"
)

type zoneLink struct{ Code, Name string }

type districtGroup struct {
	Code, Name string
	Zones      []zoneLink
}

type zonesPage struct {
	Mine   *zoneLink
	Groups []districtGroup
}

// zones is the board's front page: choose your zone, district by district.
func (h *Handlers) zones(w http.ResponseWriter, r *http.Request) error {
	zones, err := h.opts.Zones.Zones(r.Context())
	if err != nil {
		return err
	}
	var p zonesPage
	mine := ""
	if h.opts.MyZone != nil {
		mine = h.opts.MyZone(r.Context())
	}
	byDistrict := map[string]*districtGroup{}
	for _, z := range zones {
		link := zoneLink{Code: z.Code, Name: z.Name(lang(r))}
		if z.Code == mine {
			p.Mine = &link
		}
		g, ok := byDistrict[z.District]
		if !ok {
			g = &districtGroup{Code: z.District, Name: h.districtName(r, z.District)}
			byDistrict[z.District] = g
		}
		g.Zones = append(g.Zones, link)
	}
	for _, g := range byDistrict {
		p.Groups = append(p.Groups, *g)
	}
	// Zones outside any district last, the rest in district code order.
	sort.Slice(p.Groups, func(i, j int) bool {
		a, b := p.Groups[i].Code, p.Groups[j].Code
		if (a == "") != (b == "") {
			return b == ""
		}
		return a < b
	})
	return h.views.Render(w, r, http.StatusOK, "zones", p)
}

func (h *Handlers) districtName(r *http.Request, code string) string {
	if code == "" {
		return web.T(r, "board.no_district")
	}
	if h.opts.DistrictName == nil {
		return code
	}
	return h.opts.DistrictName(code, lang(r))
}
