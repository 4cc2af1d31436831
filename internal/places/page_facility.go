package places

import (
	"net/http"
	"time"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

type facilityPage struct {
	Facility
	Name, Address, Category, ZoneName string
	Hours                             []string
	Open                              string
	Features                          []string
	Events                            []EventAt
	BookingURL                        string
}

func (h *Handlers) facility(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := h.svc.Facility(r.Context(), id)
	if err != nil {
		return err
	}
	l := i18n.For(lang(r))
	p := facilityPage{Facility: f, Name: f.Name(l.Lang), Address: f.Address(l.Lang), Category: l.T("places.category." + f.Category),
		Hours: f.Hours.Lines(l.Lang), Open: "unknown"}
	now := h.svc.Now()
	if f.Hours.Known() {
		p.Open = "closed"
		if f.Hours.OpenAt(now) {
			p.Open = "open"
		}
	}
	for _, k := range f.Features() {
		p.Features = append(p.Features, l.T(k))
	}
	if f.Zone != "" {
		if z, err := h.svc.Zone(r.Context(), f.Zone); err == nil {
			p.ZoneName = z.Name(l.Lang)
		}
	}
	if h.opts.BookingURL != nil {
		if p.BookingURL, err = h.opts.BookingURL(r.Context(), f.ID); err != nil {
			return err
		}
	}
	if p.Events, err = h.svc.Events(r.Context(), EventFilter{Facility: f.ID, From: now, To: now.Add(60 * 24 * time.Hour), Limit: 20}); err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "facility", p)
}

type zonesPage struct {
	Zones []zoneRow
	Total int64
}

type zoneRow struct {
	Code, Name, District string
	Population           int64
	Facilities           int
}

func (h *Handlers) zones(w http.ResponseWriter, r *http.Request) error {
	zones, err := h.svc.Zones(r.Context())
	if err != nil {
		return err
	}
	sn, err := h.svc.snap(r.Context())
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, f := range sn.facilities {
		count[f.Zone]++
	}
	var p zonesPage
	for _, z := range zones {
		p.Zones = append(p.Zones, zoneRow{Code: z.Code, Name: z.Name(lang(r)), District: h.districtName(r, z.District), Population: z.Population, Facilities: count[z.Code]})
		p.Total += z.Population
	}
	return h.views.Render(w, r, http.StatusOK, "zones", p)
}

type zonePage struct {
	Zone
	Name, District string
	Groups         []categoryGroup
	Events         []EventAt
	Island         web.MapData
}

type categoryGroup struct {
	Code, Label string
	Facilities  []Facility
}

func (h *Handlers) zone(w http.ResponseWriter, r *http.Request) error {
	z, err := h.svc.Zone(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	l := i18n.For(lang(r))
	fs, err := h.svc.FacilitiesIn(r.Context(), z.Code)
	if err != nil {
		return err
	}
	p := zonePage{Zone: z, Name: z.Name(l.Lang), District: h.districtName(r, z.District), Island: h.newIsland(r, "places")}
	for _, c := range Categories {
		g := categoryGroup{Code: c.Code, Label: l.T("places.category." + c.Code)}
		for _, f := range fs {
			if f.Category == c.Code {
				g.Facilities = append(g.Facilities, f)
				p.Island.Facilities = append(p.Island.Facilities, web.MapPlace{ID: f.ID, Name: f.Name(l.Lang), Category: f.Category,
					Lon: f.At.Lon, Lat: f.At.Lat, URL: facilityURL(f.ID)})
			}
		}
		if len(g.Facilities) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	addZones(&p.Island, []Zone{z}, nil, l.Lang, nil)
	now := h.svc.Now()
	if p.Events, err = h.svc.Events(r.Context(), EventFilter{Zone: z.Code, From: now, To: now.Add(60 * 24 * time.Hour), Limit: 50}); err != nil {
		return err
	}
	for _, e := range p.Events {
		p.Island.Events = append(p.Island.Events, web.MapEvent{ID: e.ID, Name: e.Title(l.Lang), When: l.DateTime(e.StartsAt),
			Lon: e.At.At.Lon, Lat: e.At.At.Lat, URL: facilityURL(e.Facility)})
	}
	return h.views.Render(w, r, http.StatusOK, "zone", p)
}

type eventsPage struct {
	Zone   string
	Zones  []zoneRow
	Events []EventAt
}

func (h *Handlers) events(w http.ResponseWriter, r *http.Request) error {
	zones, err := h.svc.Zones(r.Context())
	if err != nil {
		return err
	}
	p := eventsPage{}
	for _, z := range zones {
		p.Zones = append(p.Zones, zoneRow{Code: z.Code, Name: z.Name(lang(r))})
		if z.Code == r.URL.Query().Get("zone") {
			p.Zone = z.Code
		}
	}
	now := h.svc.Now()
	if p.Events, err = h.svc.Events(r.Context(), EventFilter{Zone: p.Zone, From: now, To: now.Add(30 * 24 * time.Hour), Limit: 100}); err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "events", p)
}
