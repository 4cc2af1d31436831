package places

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/maeul/maeul/internal/errs"
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

// choiceView is a place the text may have named, with its kind, linked
// to the search from it.
type choiceView struct {
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	KindLabel string  `json:"kind_label"`
	Lon       float64 `json:"lon"`
	Lat       float64 `json:"lat"`
	URL       string  `json:"url"`
}

type resultView struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Category string   `json:"category"`
	Symbol   string   `json:"-"`
	Minutes  int      `json:"minutes"`
	Distance string   `json:"distance"`
	Address  string   `json:"address,omitempty"`
	Features []string `json:"features,omitempty"`
	Open     string   `json:"open"` // "open", "closed" or "unknown"
	Phone    string   `json:"phone,omitempty"`
	// Estimated marks a straight-line estimate among times along the
	// streets: the streets did not reach it.
	Estimated bool `json:"estimated,omitempty"`
}

type placesPage struct {
	Form       searchForm
	Categories []web.Option
	Error      string
	Choices    []choiceView
	// Suggestions are close names when nothing matched.
	Suggestions []choiceView
	Origin      string
	Results     []resultView
	Estimate    string
	Island      web.MapData
}

// placesJSON is the page for a client asking for JSON: the choices, or
// the refusal with its suggestions (as web.Error writes an error, with
// the suggestions beside it), or the origin and what is near it.
type placesJSON struct {
	Error       map[string]any `json:"error,omitempty"`
	Choices     []choiceView   `json:"choices,omitempty"`
	Suggestions []choiceView   `json:"suggestions,omitempty"`
	Origin      *choiceView    `json:"origin,omitempty"`
	Results     []resultView   `json:"results,omitempty"`
}

// choice is a place linked to the search from it.
func (f searchForm) choice(p Place, l i18n.Localizer) choiceView {
	return choiceView{Name: p.Name(l.Lang), Kind: p.Kind, KindLabel: l.T("places.kind." + p.Kind), Lon: p.At.Lon, Lat: p.At.Lat,
		URL: "/places?" + f.query(p, l.Lang)}
}

// render answers with the page, or its JSON at /api/v1/places (or to a
// client asking /places for JSON).
func (h *Handlers) render(w http.ResponseWriter, r *http.Request, status int, p placesPage, origin *Place) error {
	if !web.IsAPI(r) {
		return h.views.Render(w, r, status, "places", p)
	}
	out := placesJSON{Choices: p.Choices, Suggestions: p.Suggestions, Results: p.Results}
	if p.Error != "" {
		out.Error = map[string]any{"code": errs.Invalid, "message": p.Error, "field": "near"}
	}
	if origin != nil {
		o := p.Form.choice(*origin, i18n.For(lang(r)))
		o.Name = p.Origin
		out.Origin = &o
	}
	return web.JSON(w, status, out)
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
		origin = &Place{NameKo: label, NameEn: label, At: pt, Kind: KindPoint}
	case form.Near != "":
		found, err := h.svc.Locate(r.Context(), form.Near)
		if err != nil {
			return err
		}
		switch len(found) {
		case 0:
			p.Error = l.T("places.not_found", form.Near)
			alike, err := h.svc.Suggest(r.Context(), form.Near)
			if err != nil {
				return err
			}
			for _, c := range alike {
				p.Suggestions = append(p.Suggestions, form.choice(c, l))
			}
		case 1:
			origin = &found[0]
		default:
			for _, c := range found {
				p.Choices = append(p.Choices, form.choice(c, l))
			}
		}
	}
	status := http.StatusOK
	if p.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	if origin == nil {
		return h.render(w, r, status, p, nil)
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
	p.Island.Origin = &web.MapOrigin{Lon: origin.At.Lon, Lat: origin.At.Lat, Label: p.Origin}
	b := orb.Bound{Min: orb.Point{origin.At.Lon, origin.At.Lat}, Max: orb.Point{origin.At.Lon, origin.At.Lat}}
	now := h.svc.Now()
	for _, res := range results {
		v := resultView{ID: res.ID, Name: res.Name(l.Lang), Category: l.T("places.category." + res.Category), Minutes: res.Walk.Minutes(),
			Distance: DistanceText(res.Walk.Straight), Address: res.Address(l.Lang), Phone: res.Phone, Open: "unknown",
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
		p.Island.Facilities = append(p.Island.Facilities, web.MapPlace{ID: res.ID, Name: v.Name, Category: res.Category,
			Lon: res.At.Lon, Lat: res.At.Lat, Minutes: v.Minutes, Distance: v.Distance, URL: facilityURL(res.ID)})
		b = b.Extend(orb.Point{res.At.Lon, res.At.Lat})
	}
	zones, err := h.svc.Zones(r.Context())
	if err != nil {
		return err
	}
	addZones(&p.Island, zones, &b, l.Lang, nil)
	return h.render(w, r, status, p, origin)
}
