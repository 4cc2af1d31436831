package learn

import (
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/ical"
	"github.com/maeul/maeul/internal/web"
)

func (h *Handlers) registerCalendar(rt *web.Router) {
	rt.Handle("GET /sessions/{id}/calendar.ics", h.sessionICS)
	rt.Handle("GET /venues/{slug}/calendar.ics", h.venueICS)
}

func (h *Handlers) event(r *http.Request, s Session) ical.Event {
	l := i18n.For(web.PrefsFrom(r.Context()).Lang)
	status := ical.StatusConfirmed
	if s.Status == "cancelled" {
		status = ical.StatusCancelled
	}
	return ical.Event{
		UID:         ical.UID("session", s.ID),
		Summary:     l.Pick(s.Course.TitleKo, s.Course.TitleEn),
		Description: l.Pick(s.Course.SummaryKo, s.Course.SummaryEn),
		Location:    l.Pick(s.Venue.NameKo, s.Venue.NameEn) + ", " + l.Pick(s.Venue.AddressKo, s.Venue.AddressEn),
		URL:         "/sessions/" + strconv.FormatInt(s.ID, 10),
		Start:       s.StartsAt,
		End:         s.EndsAt,
		Created:     s.StartsAt,
		Status:      status,
	}
}

func (h *Handlers) sessionICS(w http.ResponseWriter, r *http.Request) error {
	s, err := web.ForPathID(r, "id", h.svc.Session)
	if err != nil {
		return err
	}
	ev := h.event(r, s)
	ev.URL = web.AbsURL(r, ev.URL)
	return ical.Serve(w, ev.Summary, "session-"+strconv.FormatInt(s.ID, 10)+".ics", []ical.Event{ev})
}

// venueICS is a subscribable feed of a venue's coming sessions.
func (h *Handlers) venueICS(w http.ResponseWriter, r *http.Request) error {
	v, sessions, err := h.venueSessions(r, 500)
	if err != nil {
		return err
	}
	events := make([]ical.Event, len(sessions))
	for i, s := range sessions {
		events[i] = h.event(r, s)
		events[i].URL = web.AbsURL(r, events[i].URL)
	}
	l := i18n.For(web.PrefsFrom(r.Context()).Lang)
	return ical.Serve(w, l.Pick(v.NameKo, v.NameEn), v.Slug+".ics", events)
}
