package booking

import (
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/web"
)

// choice is an <option>, labelled and marked in Go.
type choice struct {
	Value, Label string
	Selected     bool
}

// browseCard is a facility as the catalogue shows it.
type browseCard struct {
	ID        int64
	Name      string
	Address   string
	Category  string
	District  string
	Distance  string // from the search's place, "" without one
	StepFree  bool
	Resources []Resource
}

// placeChoice is a place the typed one may mean, with the search from it.
type placeChoice struct {
	Name, URL string
}

type browsePage struct {
	web.FormState
	Search     Search
	Found      Found
	Cards      []browseCard
	Districts  []choice
	Categories []choice
	Choices    []placeChoice
	// Suggestions are close names, when the place was not found.
	Suggestions []placeChoice
	Origin      string
	// Refined opens the search's further conditions: one of them is set,
	// or the place was not found.
	Refined          bool
	PrevURL, NextURL string
	// WithoutNear is the search without its place, after the place was
	// not found.
	WithoutNear string
}

// index is the catalogue of the facilities that have something to book:
// searched by name, district, category, step-free access and "near me",
// a page at a time.
func (h *Handlers) index(w http.ResponseWriter, r *http.Request) error {
	q := searchFromQuery(r.URL.Query())
	l := i18n.For(lang(r))
	found, err := h.svc.Find(r.Context(), q, l.Lang)
	p := browsePage{Search: q, Found: found, Refined: q.District != "" || q.Category != "" || q.StepFree || q.Near != ""}
	status := http.StatusOK
	if err != nil {
		if p.FormState, status, err = web.Refused(r, err, nil); err != nil {
			return err
		}
		without := q
		without.Near, without.At = "", nil
		p.WithoutNear = searchURL(without, 1)
	}
	for _, d := range city.Districts() {
		p.Districts = append(p.Districts, choice{Value: d.Code, Label: d.Name(l.Lang), Selected: d.Code == q.District})
	}
	for _, c := range places.Categories {
		p.Categories = append(p.Categories, choice{Value: c.Code, Label: l.T("places.category." + c.Code), Selected: c.Code == q.Category})
	}
	for _, c := range found.Choices {
		p.Choices = append(p.Choices, placeChoice{Name: c.Name(l.Lang), URL: searchURL(q.Choose(c, l.Lang), 1)})
	}
	for _, c := range found.Suggestions {
		p.Suggestions = append(p.Suggestions, placeChoice{Name: c.Name(l.Lang), URL: searchURL(q.Choose(c, l.Lang), 1)})
	}
	if found.Origin != nil {
		p.Origin = found.Origin.Name(l.Lang)
	}
	for _, x := range found.Listings {
		f := &x.Facility
		c := browseCard{ID: f.ID, Name: f.Name(l.Lang), Address: f.Address(l.Lang), StepFree: f.StepFree, Resources: x.Resources}
		if places.IsCategory(f.Category) {
			c.Category = l.T("places.category." + f.Category)
		}
		if d, ok := city.DistrictByCode(x.District); ok {
			c.District = d.Name(l.Lang)
		}
		if found.Origin != nil {
			c.Distance = places.DistanceText(x.Metres)
		}
		p.Cards = append(p.Cards, c)
	}
	if found.Page > 1 {
		p.PrevURL = searchURL(q, found.Page-1)
	}
	if found.Page < found.Pages {
		p.NextURL = searchURL(q, found.Page+1)
	}
	return h.views.Render(w, r, status, "index", p)
}

func searchURL(q Search, page int) string {
	if v := q.Query(page).Encode(); v != "" {
		return "/book?" + v
	}
	return "/book"
}

type facilityPage struct {
	Facility  places.Facility
	Name      string
	Hours     []string
	Resources []Resource
}

func (h *Handlers) facility(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ForPathID(r, "id", h.svc.facilities.Facility)
	if err != nil {
		return err
	}
	rs, err := h.svc.ResourcesOf(r.Context(), f.ID, false)
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
	res, err := web.ForPathID(r, "id", h.svc.Resource)
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
