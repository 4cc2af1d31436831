package guides

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

type planRow struct {
	Hour      int
	HourLabel string
	GuideID   int64
	Guide     string
	Hotspot   string // "" for a guide on shift without a visit
	Need      int64
}

type planPage struct {
	Day    string
	Plan   *Plan
	Rows   []planRow
	Visits int
	Shifts int
}

// plan is the day's patrol: proposed by need, adjusted visit by visit,
// confirmed by the coordinator.
func (h *Handlers) plan(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, adminRoles...); err != nil {
		return err
	}
	day := r.URL.Query().Get("day")
	if _, err := ParseDay(day); err != nil {
		day = DayOf(h.now())
	}
	p := planPage{Day: day}
	shs, err := h.svc.Shifts(r.Context(), day)
	if err != nil {
		return err
	}
	p.Shifts = len(shs)
	pl, err := h.svc.PlanOf(r.Context(), day)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		return h.views.Render(w, r, http.StatusOK, "plan", p)
	case err != nil:
		return err
	}
	p.Plan, p.Visits = &pl, len(pl.Visits)
	hs, err := h.svc.Hotspots(r.Context())
	if err != nil {
		return err
	}
	names := hotspotNames(hs, lang(r))
	has := map[[2]int64]bool{}
	for _, v := range pl.Visits {
		has[[2]int64{v.GuideID, int64(v.Hour)}] = true
		p.Rows = append(p.Rows, planRow{Hour: v.Hour, HourLabel: hourLabel(v.Hour), GuideID: v.GuideID, Guide: v.GuideName, Hotspot: names[v.HotspotID], Need: v.Need})
	}
	// Guides on shift with no visit are listed too, so that the
	// coordinator can send them somewhere.
	for _, sh := range shs {
		for hr := sh.Start; hr < sh.End; hr++ {
			if !has[[2]int64{sh.GuideID, int64(hr)}] {
				p.Rows = append(p.Rows, planRow{Hour: hr, HourLabel: hourLabel(hr), GuideID: sh.GuideID, Guide: sh.GuideName})
			}
		}
	}
	slices.SortStableFunc(p.Rows, func(a, b planRow) int {
		return cmp.Or(cmp.Compare(a.Hour, b.Hour), cmp.Compare(a.Guide, b.Guide), cmp.Compare(a.GuideID, b.GuideID))
	})
	return h.views.Render(w, r, http.StatusOK, "plan", p)
}

func (h *Handlers) proposePlan(w http.ResponseWriter, r *http.Request) error {
	day := r.PostFormValue("day")
	if _, err := h.svc.ProposePlan(r.Context(), day); err != nil {
		return err
	}
	return web.Redirect(w, r, "/admin/guides/plan?day="+day, "guides.flash_proposed")
}

type spotChoice struct {
	ID     int64
	Name   string
	Need   int64
	Guides int
	Full   bool // taking it would double-book a spot that is not crowded enough
	Here   bool // this guide's current visit
}

type visitPage struct {
	web.FormState
	Plan    Plan
	GuideID int64
	Guide   string
	Hour    int
	Label   string
	Choices []spotChoice
}

// visitForm lets the coordinator choose a guide's spot for an hour among
// the spots of their area, by need, or take the visit off.
func (h *Handlers) visitForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderVisit(w, r, http.StatusOK, formID(r.URL.Query().Get("guide")), formInt(r.URL.Query().Get("hour")), web.FormState{})
}

func (h *Handlers) renderVisit(w http.ResponseWriter, r *http.Request, status int, guideID int64, hour int, form web.FormState) error {
	pl, err := web.ForPathID(r, "id", h.svc.PlanByID)
	if err != nil {
		return err
	}
	if hour < 0 || hour > 23 {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	g, err := h.svc.Guide(r.Context(), guideID)
	if err != nil {
		return err
	}
	in, err := h.svc.Needs(r.Context(), pl.Day)
	if err != nil {
		return err
	}
	p := visitPage{FormState: form, Plan: pl, GuideID: g.UserID, Guide: g.Name, Hour: hour, Label: hourLabel(hour)}
	at := map[int64]int{}
	mine := int64(0)
	for _, v := range pl.Visits {
		if v.Hour == hour {
			at[v.HotspotID]++
			if v.GuideID == g.UserID {
				mine = v.HotspotID
			}
		}
	}
	var home Hotspot
	for _, x := range in.Hotspots {
		if x.ID == g.Area.Home {
			home = x
		}
	}
	for _, x := range in.Hotspots {
		if !g.Area.Covers(x, home) {
			continue
		}
		need := in.Need(x, hour)
		others := at[x.ID]
		if x.ID == mine {
			others--
		}
		p.Choices = append(p.Choices, spotChoice{ID: x.ID, Name: x.Name(lang(r)), Need: need, Guides: others, Here: x.ID == mine,
			Full: others >= 2 || (others == 1 && need < SecondGuideNeed)})
	}
	slices.SortStableFunc(p.Choices, func(a, b spotChoice) int { return cmp.Compare(b.Need, a.Need) })
	if p.Values == nil {
		p.Values = map[string]string{"hotspot": strconv.FormatInt(mine, 10)}
	}
	return h.views.Render(w, r, status, "visit", p)
}

func (h *Handlers) assign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	vals := map[string]string{"hotspot": r.PostFormValue("hotspot")}
	guide, hour := formID(r.PostFormValue("guide")), formInt(r.PostFormValue("hour"))
	err = h.svc.Assign(r.Context(), id, formInt(r.PostFormValue("version")), guide, hour, formID(vals["hotspot"]))
	if err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			form := web.FormState{Error: web.Message(r, err), Values: vals}
			return h.renderVisit(w, r, http.StatusConflict, guide, hour, form)
		}
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderVisit(w, r, status, guide, hour, form)
		})
	}
	pl, err := h.svc.PlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/admin/guides/plan?day="+pl.Day+"#h"+strconv.Itoa(hour), "guides.flash_assigned")
}

func (h *Handlers) confirm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.svc.ConfirmPlan(r.Context(), id, formInt(r.PostFormValue("version"))); err != nil {
		return err
	}
	pl, err := h.svc.PlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/admin/guides/plan?day="+pl.Day, "guides.flash_confirmed")
}
