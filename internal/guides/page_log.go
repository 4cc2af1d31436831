package guides

import (
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/web"
)

// MinuteChoices are the times the help form offers as one tap each.
var MinuteChoices = []int{5, 10, 20, 30, 60}

type logPage struct {
	web.FormState
	Hotspots []web.Option
	FromPlan bool // the spot was chosen from the current patrol
	Topics   []string
	Outcomes []string
	Minutes  []int
	Today    int
	MaxNote  int
}

func (h *Handlers) logForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderLog(w, r, http.StatusOK, web.FormState{})
}

// renderLog draws the one-screen help form: the spot preselected from the
// guide's patrol this hour (or the last one logged), then a tap for the
// topic, the time and the outcome.
func (h *Handlers) renderLog(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	a, err := auth.Require(r, actor.Guide)
	if err != nil {
		return err
	}
	g, err := h.svc.Guide(r.Context(), a.ID)
	if err != nil {
		return err
	}
	hs, err := h.svc.Hotspots(r.Context())
	if err != nil {
		return err
	}
	now := h.now()
	p := logPage{FormState: form, Topics: Topics, Outcomes: Outcomes, Minutes: MinuteChoices, MaxNote: MaxNote}
	if p.Values == nil {
		p.Values = map[string]string{"topic": "", "minutes": "10", "outcome": Solved, "hotspot": r.URL.Query().Get("hotspot")}
		vs, err := h.svc.MyVisits(r.Context(), DayOf(now))
		if err != nil {
			return err
		}
		for _, v := range vs {
			if v.Hour == now.Hour() {
				p.Values["hotspot"], p.FromPlan = strconv.FormatInt(v.HotspotID, 10), true
			}
		}
	}
	var home Hotspot
	for _, x := range hs {
		if x.ID == g.Area.Home {
			home = x
		}
	}
	for _, x := range hs {
		if g.Area.Covers(x, home) || strconv.FormatInt(x.ID, 10) == p.Values["hotspot"] {
			p.Hotspots = append(p.Hotspots, web.Option{Value: strconv.FormatInt(x.ID, 10), Label: x.Name(lang(r))})
		}
	}
	mine, err := h.svc.MyHelp(r.Context(), startOfDay(now))
	if err != nil {
		return err
	}
	p.Today = len(mine)
	return h.views.Render(w, r, status, "log", p)
}

func (h *Handlers) logSubmit(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{}
	for _, k := range []string{"hotspot", "topic", "minutes", "outcome", "note"} {
		vals[k] = r.PostFormValue(k)
	}
	in := Help{HotspotID: formID(vals["hotspot"]), Topic: vals["topic"], Minutes: formInt(vals["minutes"]), Outcome: vals["outcome"], Note: vals["note"]}
	if _, err := h.svc.LogHelp(r.Context(), in); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderLog(w, r, status, form)
		})
	}
	return web.Redirect(w, r, "/guides/log?hotspot="+vals["hotspot"], "guides.flash_logged")
}

// checkIn counts a visit where nobody needed help.
func (h *Handlers) checkIn(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{"hotspot": r.PostFormValue("hotspot"), "minutes": "10", "outcome": Solved}
	if err := h.svc.CheckIn(r.Context(), formID(vals["hotspot"])); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderLog(w, r, status, form)
		})
	}
	return web.Redirect(w, r, "/guides/log?hotspot="+vals["hotspot"], "guides.flash_checked_in")
}
