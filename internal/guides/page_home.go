package guides

import (
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
)

type homePage struct {
	Today     string
	Visits    []visitRow
	Requests  int
	Admin     bool
	IsGuide   bool
	Logged    int
	LoggedMin int
}

type visitRow struct {
	Visit
	Hour    string
	Hotspot string
	Current bool
}

// home is a guide's day: the confirmed patrol, the help logged today and
// the requests waiting.
func (h *Handlers) home(w http.ResponseWriter, r *http.Request) error {
	a, err := auth.Require(r, guideRoles...)
	if err != nil {
		return err
	}
	now := h.now()
	p := homePage{Today: DayOf(now), Admin: a.Is(adminRoles...), IsGuide: a.Role == actor.Guide}
	if p.IsGuide {
		vs, err := h.svc.MyVisits(r.Context(), p.Today)
		if err != nil {
			return err
		}
		hs, err := h.svc.Hotspots(r.Context())
		if err != nil {
			return err
		}
		names := hotspotNames(hs, lang(r))
		for _, v := range vs {
			p.Visits = append(p.Visits, visitRow{Visit: v, Hour: hourLabel(v.Hour), Hotspot: names[v.HotspotID], Current: v.Hour == now.Hour()})
		}
		mine, err := h.svc.MyHelp(r.Context(), startOfDay(now))
		if err != nil {
			return err
		}
		for _, x := range mine {
			p.Logged++
			p.LoggedMin += x.Minutes
		}
	}
	reqs, err := h.svc.Requests(r.Context(), false)
	if err != nil {
		return err
	}
	for _, x := range reqs {
		if x.Status == Open {
			p.Requests++
		}
	}
	return h.views.Render(w, r, http.StatusOK, "home", p)
}
