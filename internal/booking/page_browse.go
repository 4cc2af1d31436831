package booking

import (
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/web"
)

type facilityRow struct {
	ID        int64
	Name      string
	Address   string
	Resources []Resource
}

// index lists the facilities that have something to book.
func (h *Handlers) index(w http.ResponseWriter, r *http.Request) error {
	all, err := h.svc.Resources(r.Context(), false)
	if err != nil {
		return err
	}
	var rows []facilityRow
	for _, res := range all {
		if len(rows) == 0 || rows[len(rows)-1].ID != res.FacilityID {
			f, err := h.svc.facilities.Facility(r.Context(), res.FacilityID)
			if errs.CodeOf(err) == errs.NotFound {
				continue // the facility has closed down
			}
			if err != nil {
				return err
			}
			rows = append(rows, facilityRow{ID: f.ID, Name: f.Name(lang(r)), Address: f.Address(lang(r))})
		}
		rows[len(rows)-1].Resources = append(rows[len(rows)-1].Resources, res)
	}
	return h.views.Render(w, r, http.StatusOK, "index", map[string]any{"Facilities": rows})
}

type facilityPage struct {
	Facility  places.Facility
	Name      string
	Hours     []string
	Resources []Resource
}

func (h *Handlers) facility(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := h.svc.facilities.Facility(r.Context(), id)
	if err != nil {
		return err
	}
	rs, err := h.svc.ResourcesOf(r.Context(), id, false)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "facility", facilityPage{Facility: f, Name: f.Name(lang(r)), Hours: f.Hours.Lines(lang(r)), Resources: rs})
}

type slotView struct {
	Slot
	At       string
	Applying bool
}

type dayView struct {
	Date  time.Time
	Slots []slotView
}

type weekPage struct {
	Resource     Resource
	FacilityName string
	Hours        []string
	Week         time.Time
	Prev, Next   string
	Days         []dayView
}

// week shows a resource's slots of one week with what is left of each.
func (h *Handlers) week(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	res, err := h.svc.Resource(r.Context(), id)
	if err != nil {
		return err
	}
	if !res.Active {
		return errs.New(errs.NotFound, "booking.resource_not_found")
	}
	f, err := h.svc.facilities.Facility(r.Context(), res.FacilityID)
	if err != nil {
		return err
	}
	now := h.svc.Now()
	this := WeekStart(now)
	week := WeekStart(parseDate(r.URL.Query().Get("week"), now))
	if week.Before(this) || !week.Before(res.lastDay(now)) {
		week = this
	}
	days, err := h.svc.Week(r.Context(), res, week)
	if err != nil {
		return err
	}
	p := weekPage{Resource: res, FacilityName: f.Name(lang(r)), Hours: res.hours(f).Lines(lang(r)), Week: week}
	if week.After(this) {
		p.Prev = week.AddDate(0, 0, -7).Format(dateLayout)
	}
	if next := week.AddDate(0, 0, 7); next.Before(res.lastDay(now)) {
		p.Next = next.Format(dateLayout)
	}
	for _, d := range days {
		dv := dayView{Date: d.Date}
		for _, sl := range d.Slots {
			dv.Slots = append(dv.Slots, slotView{Slot: sl, At: FormatAt(sl.StartsAt), Applying: sl.Applying(now)})
		}
		p.Days = append(p.Days, dv)
	}
	return h.views.Render(w, r, http.StatusOK, "week", p)
}

func resourcePath(id int64) string { return "/book/resources/" + strconv.FormatInt(id, 10) }
