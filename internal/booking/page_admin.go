package booking

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

type resourcePage struct {
	web.FormState
	ID            int64
	FacilityName  string
	Kinds         []string
	Eligibilities []string
	SlotLengths   []string
}

var resourceFields = []string{"facility_id", "kind", "name_ko", "name_en", "capacity", "max_party", "slot_minutes", "hours",
	"days_ahead", "weekly_limit", "eligibility", "approval", "allocation", "monthly_wins", "draw_days", "draw_hour", "active"}

func resourceValues(res Resource) map[string]string {
	b := map[bool]string{true: "yes", false: ""}
	return map[string]string{
		"facility_id": strconv.FormatInt(res.FacilityID, 10), "kind": res.Kind, "name_ko": res.NameKo, "name_en": res.NameEn,
		"capacity": strconv.Itoa(res.Capacity), "max_party": strconv.Itoa(res.MaxParty), "slot_minutes": strconv.Itoa(res.SlotMinutes),
		"hours": res.HoursText, "days_ahead": strconv.Itoa(res.DaysAhead), "weekly_limit": strconv.Itoa(res.WeeklyLimit),
		"eligibility": res.Eligibility, "approval": b[res.Approval], "allocation": res.Allocation,
		"monthly_wins": strconv.Itoa(res.MonthlyWins), "draw_days": strconv.Itoa(res.DrawDays), "draw_hour": strconv.Itoa(res.DrawHour),
		"active": b[res.Active],
	}
}

// resourceFromForm reads the form; a number that is not one names its field.
func resourceFromForm(vals map[string]string) (Resource, error) {
	res := Resource{Kind: vals["kind"], NameKo: vals["name_ko"], NameEn: vals["name_en"], HoursText: vals["hours"],
		Eligibility: vals["eligibility"], Allocation: vals["allocation"], Approval: vals["approval"] == "yes", Active: vals["active"] == "yes"}
	ints := []struct {
		field string
		to    *int
	}{{"capacity", &res.Capacity}, {"max_party", &res.MaxParty}, {"slot_minutes", &res.SlotMinutes}, {"days_ahead", &res.DaysAhead},
		{"weekly_limit", &res.WeeklyLimit}, {"monthly_wins", &res.MonthlyWins}, {"draw_days", &res.DrawDays}, {"draw_hour", &res.DrawHour}}
	for _, x := range ints {
		s := strings.TrimSpace(vals[x.field])
		switch {
		case s == "" && (x.field == "weekly_limit" || x.field == "monthly_wins"):
			continue
		case s == "" && x.field == "draw_days":
			*x.to = DefaultDrawDays
			continue
		case s == "" && x.field == "draw_hour":
			*x.to = DefaultDrawHour
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return res, errs.Field(x.field, "booking.number_invalid")
		}
		*x.to = n
	}
	id, err := strconv.ParseInt(strings.TrimSpace(vals["facility_id"]), 10, 64)
	if err != nil {
		return res, errs.Field("facility_id", "booking.facility_required")
	}
	res.FacilityID = id
	return res, nil
}

func (h *Handlers) newResource(w http.ResponseWriter, r *http.Request) error {
	vals := resourceValues(Resource{Kind: "room", Capacity: 1, MaxParty: 1, SlotMinutes: 60, DaysAhead: 14, Eligibility: Everyone,
		Allocation: FirstCome, DrawDays: DefaultDrawDays, DrawHour: DefaultDrawHour, Active: true})
	vals["facility_id"] = r.URL.Query().Get("facility")
	return h.renderResource(w, r, 0, http.StatusOK, web.FormState{Values: vals})
}

func (h *Handlers) editResource(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	res, err := h.svc.Resource(r.Context(), id)
	if err != nil {
		return err
	}
	return h.renderResource(w, r, id, http.StatusOK, web.FormState{Values: resourceValues(res)})
}

func (h *Handlers) renderResource(w http.ResponseWriter, r *http.Request, id int64, status int, form web.FormState) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	p := resourcePage{FormState: form, ID: id, Kinds: Kinds, Eligibilities: Eligibilities}
	for _, n := range SlotLengths {
		p.SlotLengths = append(p.SlotLengths, strconv.Itoa(n))
	}
	if fid, err := strconv.ParseInt(form.Values["facility_id"], 10, 64); err == nil {
		if f, err := h.svc.facilities.Facility(r.Context(), fid); err == nil {
			p.FacilityName = f.Name(lang(r))
		}
	}
	return h.views.Render(w, r, status, "staff_resource", p)
}

// saveResource creates (no id in the path) or changes a resource; a
// refusal shows the form again as typed, with nothing saved.
func (h *Handlers) saveResource(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = web.PathID(r, "id"); err != nil {
			return err
		}
	}
	vals := map[string]string{}
	for _, k := range resourceFields {
		vals[k] = r.PostFormValue(k)
	}
	res, err := resourceFromForm(vals)
	if err == nil {
		res.ID = id
		res, err = h.svc.SaveResource(r.Context(), res)
	}
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderResource(w, r, id, status, form)
		})
	}
	return web.Redirect(w, r, "/staff/booking", "booking.flash_resource_saved")
}
