package guides

import (
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

type askPage struct {
	web.FormState
	Topics   []string
	Hotspots []web.Option
	Hours    []web.Option
	MinDay   string
	MaxDay   string
}

func (h *Handlers) askForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderAsk(w, r, http.StatusOK, web.FormState{})
}

// renderAsk draws the citizens' form: what they need help with, then a
// call back (the phone number, nothing else) or a guide at a spot and hour.
func (h *Handlers) renderAsk(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	now := h.now()
	p := askPage{FormState: form, Topics: Topics, Hours: hourOptions(7, 21), MinDay: DayOf(now), MaxDay: DayOf(now.AddDate(0, 0, MaxAheadDays))}
	if p.Values == nil {
		p.Values = map[string]string{"kind": Callback, "day": DayOf(now.AddDate(0, 0, 1)), "hour": "10"}
	}
	hs, err := h.svc.Hotspots(r.Context())
	if err != nil {
		return err
	}
	l := i18n.For(lang(r))
	for _, x := range hs {
		label := x.Name(l.Lang)
		if z := h.svc.zoneName(x.Zone, l.Lang); z != "" {
			label += " (" + z + ")"
		}
		p.Hotspots = append(p.Hotspots, web.Option{Value: strconv.FormatInt(x.ID, 10), Label: label})
	}
	return h.views.Render(w, r, status, "ask", p)
}

func (h *Handlers) askSubmit(w http.ResponseWriter, r *http.Request) error {
	if trapped(r) {
		return web.Redirect(w, r, "/help/guide/thanks", "")
	}
	vals := map[string]string{}
	for _, k := range []string{"kind", "topic", "phone", "hotspot", "day", "hour"} {
		vals[k] = r.PostFormValue(k)
	}
	in := RequestInput{Kind: vals["kind"], Topic: vals["topic"], Phone: vals["phone"], HotspotID: formID(vals["hotspot"]), Day: vals["day"], Hour: formInt(vals["hour"])}
	// Only requests that are made count against the address: a form sent
	// back for a mistake does not.
	ticket, err := h.limits.Take(r.Context(), auth.ClientBucket("guide-ask", r), AsksPerAddress)
	if err == nil {
		if _, err = h.svc.Ask(r.Context(), in); err != nil {
			ticket.Return(r.Context())
		}
	}
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			web.RetryAfter(w, err)
			return h.renderAsk(w, r, status, form)
		})
	}
	return web.Redirect(w, r, "/help/guide/thanks?kind="+in.Kind, "")
}

func (h *Handlers) askThanks(w http.ResponseWriter, r *http.Request) error {
	kind := r.URL.Query().Get("kind")
	if kind != VisitAt {
		kind = Callback
	}
	return h.views.Render(w, r, http.StatusOK, "ask_done", map[string]string{"Kind": kind})
}
