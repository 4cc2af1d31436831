package guides

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

type mapRow struct {
	Hotspot
	Name     string
	ZoneName string
	People   int
	Peak     int
}

type mapPage struct {
	Weekday  int
	Hour     int
	Now      bool // the chosen time is the current hour
	Weekdays []web.Option
	Hours    []web.Option
	Rows     []mapRow
	Total    int64
	Admin    bool
	Island   web.MapData
}

// dataMap lists the hotspots with the people expected at a weekday and
// hour (now by default), the most crowded first: the list is the map.
func (h *Handlers) dataMap(w http.ResponseWriter, r *http.Request) error {
	a, err := auth.Require(r, guideRoles...)
	if err != nil {
		return err
	}
	now := h.now()
	l := i18n.For(lang(r))
	p := mapPage{Weekday: Weekday(now), Hour: now.Hour(), Weekdays: weekdayOptions(l), Hours: hourOptions(0, 24), Admin: a.Is(adminRoles...)}
	q := r.URL.Query()
	if d, err := strconv.Atoi(q.Get("day")); err == nil && d >= 0 && d < 7 {
		p.Weekday = d
	}
	if hr, err := strconv.Atoi(q.Get("hour")); err == nil && hr >= 0 && hr < 24 {
		p.Hour = hr
	}
	p.Now = p.Weekday == Weekday(now) && p.Hour == now.Hour()
	hs, err := h.svc.Hotspots(r.Context())
	if err != nil {
		return err
	}
	for _, x := range hs {
		row := mapRow{Hotspot: x, Name: x.Name(l.Lang), ZoneName: h.svc.zoneName(x.Zone, l.Lang), People: x.Profile[p.Weekday][p.Hour], Peak: x.Profile.Peak()}
		p.Total += int64(row.People)
		p.Rows = append(p.Rows, row)
	}
	slices.SortStableFunc(p.Rows, func(a, b mapRow) int { return cmp.Compare(b.People, a.People) })
	p.Island = h.island(l, p.Rows)
	return h.views.Render(w, r, http.StatusOK, "map", p)
}
