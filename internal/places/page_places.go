package places

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// resultsShown is how many facilities the search page lists.
const resultsShown = 10

type searchForm struct {
	Near     string
	Category string
	Pace     Pace
	StepFree bool
	OpenNow  bool
}

// query keeps the form's choices in the links that pick a place.
func (f searchForm) query(p Place, lang string) string {
	v := url.Values{}
	v.Set("lon", strconv.FormatFloat(p.At.Lon, 'f', 6, 64))
	v.Set("lat", strconv.FormatFloat(p.At.Lat, 'f', 6, 64))
	v.Set("label", p.Name(lang))
	v.Set("category", f.Category)
	v.Set("pace", string(f.Pace))
	if f.StepFree {
		v.Set("step_free", "1")
	}
	if f.OpenNow {
		v.Set("open_now", "1")
	}
	return v.Encode()
}

type choiceView struct {
	Name string
	URL  string
}

type resultView struct {
	ID       int64
	Name     string
	Category string
	Symbol   string
	Minutes  int
	Distance string
	Address  string
	Features []string
	Open     string // "open", "closed" or "unknown"
	Phone    string
	// Estimated marks a straight-line estimate among times along the
	// streets: the streets did not reach it.
	Estimated bool
}

type placesPage struct {
	Form       searchForm
	Categories []web.Option
	Error      string
	Choices    []choiceView
	Origin     string
	Results    []resultView
	Estimate   string
	Island     mapIsland
}

func (h *Handlers) places(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	l := i18n.For(lang(r))
	form := searchForm{Near: strings.TrimSpace(q.Get("near")), Pace: PaceAdult, StepFree: q.Get("step_free") == "1", OpenNow: q.Get("open_now") == "1"}
	if IsCategory(q.Get("category")) {
		form.Category = q.Get("category")
	}
	if Pace(q.Get("pace")) == PaceSenior {
		form.Pace = PaceSenior
	}
	p := placesPage{Form: form, Categories: []web.Option{{Value: "", Label: l.T("places.category_any")}}}
	for _, c := range Categories {
		p.Categories = append(p.Categories, web.Option{Value: c.Code, Label: l.T("places.category." + c.Code)})
	}
	var origin *Place
	lon, errLon := strconv.ParseFloat(q.Get("lon"), 64)
	lat, errLat := strconv.ParseFloat(q.Get("lat"), 64)
	switch {
	case errLon == nil && errLat == nil:
		pt := Point{Lon: lon, Lat: lat}
		if !City.Contains(pt) {
			p.Error = l.T("places.origin_outside_city")
			break
		}
		label := strings.TrimSpace(q.Get("label"))
		if label == "" || len([]rune(label)) > MaxNameLength {
			label = l.T("places.chosen_point")
		}
		origin = &Place{NameKo: label, NameEn: label, At: pt}
	case form.Near != "":
		found, err := h.svc.Locate(r.Context(), form.Near)
		if err != nil {
			return err
		}
		switch len(found) {
		case 0:
			p.Error = l.T("places.not_found", form.Near)
		case 1:
			origin = &found[0]
		default:
			for _, c := range found {
				p.Choices = append(p.Choices, choiceView{Name: c.Name(l.Lang), URL: "/places?" + form.query(c, l.Lang)})
			}
		}
	}
	status := http.StatusOK
	if p.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	if origin == nil {
		return h.views.Render(w, r, status, "places", p)
	}
	p.Origin = origin.Name(l.Lang)
	query := Query{From: origin.At, Pace: form.Pace, StepFree: form.StepFree, Limit: resultsShown}
	if form.Category != "" {
		query.Categories = []string{form.Category}
	}
	if form.OpenNow {
		query.OpenAt = h.svc.Now()
	}
	results, err := h.svc.Nearest(r.Context(), query)
	if err != nil {
		return err
	}
	speed := h.svc.Walking.Speed(form.Pace)
	extract, byStreet, err := h.svc.Streets(r.Context())
	if err != nil {
		return err
	}
	if byStreet {
		p.Estimate = l.T("places.streets_note", extract.Name, strconv.FormatFloat(speed, 'f', -1, 64), int(speed*60+0.5))
	} else {
		p.Estimate = l.T("places.estimate_note", strconv.FormatFloat(h.svc.Walking.Detour, 'f', -1, 64), strconv.FormatFloat(speed, 'f', -1, 64), int(speed*60+0.5))
	}
	p.Island = h.newIsland(r, "places")
	p.Island.Origin = &mapOrigin{Lon: origin.At.Lon, Lat: origin.At.Lat, Label: p.Origin}
	b := orb.Bound{Min: orb.Point{origin.At.Lon, origin.At.Lat}, Max: orb.Point{origin.At.Lon, origin.At.Lat}}
	now := h.svc.Now()
	for _, res := range results {
		v := resultView{ID: res.ID, Name: res.Name(l.Lang), Category: l.T("places.category." + res.Category), Minutes: res.Walk.Minutes(),
			Distance: distanceText(res.Walk.Straight), Address: res.Address(l.Lang), Phone: res.Phone, Open: "unknown",
			Estimated: byStreet && !res.Walk.Streets}
		for _, c := range Categories {
			if c.Code == res.Category {
				v.Symbol = c.Symbol(l.Lang)
			}
		}
		for _, k := range res.Features() {
			v.Features = append(v.Features, l.T(k))
		}
		if res.Hours.Known() {
			v.Open = "closed"
			if res.Hours.OpenAt(now) {
				v.Open = "open"
			}
		}
		p.Results = append(p.Results, v)
		p.Island.Facilities = append(p.Island.Facilities, mapFacility{ID: res.ID, Name: v.Name, Category: res.Category,
			Lon: res.At.Lon, Lat: res.At.Lat, Minutes: v.Minutes, Distance: v.Distance, URL: facilityURL(res.ID)})
		b = b.Extend(orb.Point{res.At.Lon, res.At.Lat})
	}
	zones, err := h.svc.Zones(r.Context())
	if err != nil {
		return err
	}
	p.Island.addZones(zones, &b, l.Lang, nil)
	return h.views.Render(w, r, status, "places", p)
}
