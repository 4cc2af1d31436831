package learn

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

func (h *Handlers) home(w http.ResponseWriter, r *http.Request) error {
	soon, _, err := h.svc.Search(r.Context(), Filter{Limit: 6})
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "home", map[string]any{"Themes": Themes, "Soon": cards(r, h.svc.Now(), soon)})
}

// filterFromQuery reads the catalogue's filters; unknown values are ignored
// rather than refused, because they come from links people share.
func filterFromQuery(q url.Values) (Filter, int) {
	f := Filter{Text: strings.TrimSpace(q.Get("q")), Limit: 20}
	if oneOf(q.Get("theme"), Themes) {
		f.Theme = q.Get("theme")
	}
	if oneOf(q.Get("level"), Levels) {
		f.Level = q.Get("level")
	}
	if d := q.Get("district"); len(d) == 5 {
		f.District = d
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("from"), i18n.Zone); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("to"), i18n.Zone); err == nil {
		f.To = t.Add(24 * time.Hour)
	}
	page := web.PageNumber(q.Get("page"))
	f.Offset = (page - 1) * f.Limit
	return f, page
}

type coursesPage struct {
	Filter    Filter
	Query     url.Values
	Sessions  []card
	Page      int
	More      bool
	PrevURL   string
	NextURL   string
	Themes    []choice
	Levels    []choice
	Districts []choice
}

// choice is an <option>, labelled and marked in Go to keep the busiest
// template free of per-option calls.
type choice struct {
	Value, Label string
	Selected     bool
}

func choices(values []string, label func(string) string, selected string) []choice {
	out := make([]choice, len(values))
	for i, v := range values {
		out[i] = choice{Value: v, Label: label(v), Selected: v == selected}
	}
	return out
}

func (h *Handlers) courses(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, page := filterFromQuery(q)
	if !f.From.IsZero() && f.From.Before(h.svc.Now()) {
		f.From = time.Time{}
	}
	sessions, more, err := h.svc.Search(r.Context(), f)
	if err != nil {
		return err
	}
	l := i18n.For(web.PrefsFrom(r.Context()).Lang)
	p := coursesPage{Filter: f, Query: q, Sessions: cards(r, h.svc.Now(), sessions), Page: page, More: more,
		Themes: choices(Themes, func(v string) string { return l.T("theme." + v) }, f.Theme),
		Levels: choices(Levels, func(v string) string { return l.T("level." + v) }, f.Level)}
	for _, d := range h.districts(r) {
		p.Districts = append(p.Districts, choice{Value: d.Value, Label: d.Label, Selected: d.Value == f.District})
	}
	if page > 1 {
		p.PrevURL = pageURL(q, page-1)
	}
	if more {
		p.NextURL = pageURL(q, page+1)
	}
	return h.views.Render(w, r, http.StatusOK, "courses", p)
}

func pageURL(q url.Values, page int) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	c.Set("page", strconv.Itoa(page))
	return "/courses?" + c.Encode()
}

func (h *Handlers) course(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.CourseByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	sessions, _, err := h.svc.Search(r.Context(), Filter{CourseID: c.ID, Limit: 100})
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "course", map[string]any{"Course": c, "Sessions": cards(r, h.svc.Now(), sessions)})
}

type sessionPage struct {
	Session    Session
	Badge      string
	BadgeClass string
	District   string
	Now        time.Time
	Mine       *Registration
	Form       web.FormState
	Waiting    int
}

func (h *Handlers) session(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderSession(w, r, id, http.StatusOK, web.FormState{})
}

func (h *Handlers) renderSession(w http.ResponseWriter, r *http.Request, id int64, status int, form web.FormState) error {
	s, err := h.svc.Session(r.Context(), id)
	if err != nil {
		return err
	}
	p := sessionPage{Session: s, District: h.districtName(r, s.Venue.District), Now: h.svc.Now(), Form: form}
	p.Badge, p.BadgeClass = seatBadge(i18n.For(web.PrefsFrom(r.Context()).Lang), s, p.Now)
	if p.Waiting, err = h.svc.QueueLength(r.Context(), id); err != nil {
		return err
	}
	if mine, err := h.svc.MyRegistrationFor(r.Context(), id); err == nil {
		p.Mine = &mine
	} else if c := errs.CodeOf(err); c != errs.NotFound && c != errs.Unauthorized {
		return err
	}
	return h.views.Render(w, r, status, "session", p)
}

func (h *Handlers) venues(w http.ResponseWriter, r *http.Request) error {
	vs, err := h.svc.Venues(r.Context(), "", "")
	if err != nil {
		return err
	}
	byKind := map[string][]Venue{}
	for _, v := range vs {
		if v.Kind == "mobile" {
			continue // a centre's own site, not a place to visit
		}
		byKind[v.Kind] = append(byKind[v.Kind], v)
	}
	names := map[string]string{}
	for _, d := range h.districts(r) {
		names[d.Value] = d.Label
	}
	return h.views.Render(w, r, http.StatusOK, "venues", map[string]any{"ByKind": byKind, "Kinds": VenueKinds, "Districts": names})
}

// venueSessions is the venue the path's slug names and the first limit of
// its sessions, for its page and its calendar feed.
func (h *Handlers) venueSessions(r *http.Request, limit int) (Venue, []Session, error) {
	v, err := h.svc.VenueBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return v, nil, err
	}
	sessions, _, err := h.svc.Search(r.Context(), Filter{VenueID: v.ID, Limit: limit})
	return v, sessions, err
}

func (h *Handlers) venue(w http.ResponseWriter, r *http.Request) error {
	v, sessions, err := h.venueSessions(r, 50)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "venue", map[string]any{"Venue": v, "Sessions": cards(r, h.svc.Now(), sessions), "District": h.districtName(r, v.District)})
}
