package guides

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/web"
)

type guideRow struct {
	Guide
	Zones string
	Home  string
}

type adminPage struct {
	web.FormState
	Guides   []guideRow
	Accounts []web.Option // nil: the form asks for an account number
	Hotspots []web.Option
}

func (h *Handlers) adminGuides(w http.ResponseWriter, r *http.Request) error {
	return h.renderAdmin(w, r, http.StatusOK, web.FormState{})
}

// renderAdmin lists the guides and their areas, with the form that adds
// one or changes one (the same account again).
func (h *Handlers) renderAdmin(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	if _, err := auth.Require(r, adminRoles...); err != nil {
		return err
	}
	gs, err := h.svc.Guides(r.Context())
	if err != nil {
		return err
	}
	hs, err := h.svc.Hotspots(r.Context())
	if err != nil {
		return err
	}
	l := lang(r)
	names := hotspotNames(hs, l)
	p := adminPage{FormState: form}
	if p.Values == nil {
		p.Values = map[string]string{"active": "1"}
		if id := formID(r.URL.Query().Get("edit")); id != 0 {
			for _, g := range gs {
				if g.UserID == id {
					p.Values = map[string]string{"user": strconv.FormatInt(g.UserID, 10), "name": g.Name, "zones": strings.Join(g.Area.Zones, " "),
						"home": strconv.FormatInt(g.Area.Home, 10), "radius": strconv.Itoa(g.Area.RadiusM), "active": web.Checkbox(g.Active)}
				}
			}
		}
	}
	for _, g := range gs {
		row := guideRow{Guide: g, Home: names[g.Area.Home]}
		var zs []string
		for _, z := range g.Area.Zones {
			zs = append(zs, h.svc.zoneName(z, l))
		}
		row.Zones = strings.Join(zs, ", ")
		p.Guides = append(p.Guides, row)
	}
	for _, x := range hs {
		p.Hotspots = append(p.Hotspots, web.Option{Value: strconv.FormatInt(x.ID, 10), Label: x.Name(l)})
	}
	if h.opts.Accounts != nil {
		as, err := h.opts.Accounts(r.Context())
		if err != nil {
			return err
		}
		p.Accounts = []web.Option{}
		for _, a := range as {
			p.Accounts = append(p.Accounts, web.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Name})
		}
	}
	return h.views.Render(w, r, status, "admin", p)
}

func (h *Handlers) saveGuide(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{}
	for _, k := range []string{"user", "name", "zones", "home", "radius", "active"} {
		vals[k] = r.PostFormValue(k)
	}
	in := GuideInput{UserID: formID(vals["user"]), Name: vals["name"], Zones: vals["zones"], Home: formID(vals["home"]), Active: vals["active"] == "1"}
	if vals["radius"] != "" {
		in.RadiusM = formInt(vals["radius"])
	}
	// With the accounts listed, the name is the account's, not typed.
	if h.opts.Accounts != nil {
		as, err := h.opts.Accounts(r.Context())
		if err != nil {
			return err
		}
		in.Name = ""
		for _, a := range as {
			if a.ID == in.UserID {
				in.Name = a.Name
			}
		}
		if in.Name == "" {
			in.UserID = 0
		}
	}
	if _, err := h.svc.SaveGuide(r.Context(), in); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderAdmin(w, r, status, form)
		})
	}
	return web.Redirect(w, r, "/admin/guides", "guides.flash_guide_saved")
}

type shiftsPage struct {
	web.FormState
	Day    string
	Shifts []shiftRow
	Guides []web.Option
	Starts []web.Option
	Ends   []web.Option
}

type shiftRow struct {
	Shift
	Hours string
}

func (h *Handlers) shifts(w http.ResponseWriter, r *http.Request) error {
	return h.renderShifts(w, r, http.StatusOK, r.URL.Query().Get("day"), web.FormState{})
}

// renderShifts is a day's roster with the form for another shift.
func (h *Handlers) renderShifts(w http.ResponseWriter, r *http.Request, status int, day string, form web.FormState) error {
	if _, err := auth.Require(r, adminRoles...); err != nil {
		return err
	}
	if _, err := ParseDay(day); err != nil {
		day = DayOf(h.now())
	}
	p := shiftsPage{FormState: form, Day: day}
	for e := 0; e <= 24; e++ {
		o := web.Option{Value: strconv.Itoa(e), Label: strconv.Itoa(e) + ":00"}
		if e < 24 {
			p.Starts = append(p.Starts, o)
		}
		if e > 0 {
			p.Ends = append(p.Ends, o)
		}
	}
	if p.Values == nil {
		p.Values = map[string]string{"day": day, "start": "9", "end": "13"}
	}
	gs, err := h.svc.Guides(r.Context())
	if err != nil {
		return err
	}
	for _, g := range gs {
		if g.Active {
			p.Guides = append(p.Guides, web.Option{Value: strconv.FormatInt(g.UserID, 10), Label: g.Name})
		}
	}
	shs, err := h.svc.Shifts(r.Context(), day)
	if err != nil {
		return err
	}
	for _, sh := range shs {
		p.Shifts = append(p.Shifts, shiftRow{Shift: sh, Hours: strconv.Itoa(sh.Start) + ":00–" + strconv.Itoa(sh.End) + ":00"})
	}
	return h.views.Render(w, r, status, "shifts", p)
}

func (h *Handlers) addShift(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{}
	for _, k := range []string{"guide", "day", "start", "end"} {
		vals[k] = r.PostFormValue(k)
	}
	sh := Shift{GuideID: formID(vals["guide"]), Day: vals["day"], Start: formInt(vals["start"]), End: formInt(vals["end"])}
	if _, err := h.svc.AddShift(r.Context(), sh); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderShifts(w, r, status, vals["day"], form)
		})
	}
	return web.Redirect(w, r, "/admin/guides/shifts?day="+sh.Day, "guides.flash_shift_added")
}

func (h *Handlers) removeShift(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.svc.RemoveShift(r.Context(), id); err != nil {
		return err
	}
	day := r.PostFormValue("day")
	if _, err := ParseDay(day); err != nil {
		day = ""
	}
	return web.Redirect(w, r, "/admin/guides/shifts?day="+day, "guides.flash_shift_removed")
}
