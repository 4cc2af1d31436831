package board

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/ical"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/web"
)

// NewsOnBoard is how many notices a zone's board shows.
const NewsOnBoard = 10

type zonePage struct {
	web.FormState
	Zone         places.Zone
	Name         string
	District     string
	News         []News
	Posts        PostPage
	Days         []Day
	CanPost      bool
	MaxTitle     int
	MaxBody      int
	CalendarDays int
}

func (h *Handlers) zone(w http.ResponseWriter, r *http.Request) error {
	return h.renderZone(w, r, http.StatusOK, web.FormState{})
}

func (h *Handlers) renderZone(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	ctx := r.Context()
	z, err := h.opts.Zones.Zone(ctx, r.PathValue("zone"))
	if err != nil {
		return err
	}
	page := web.PageNumber(r.URL.Query().Get("page"))
	p := zonePage{FormState: form, Zone: z, Name: z.Name(lang(r)), District: h.districtName(r, z.District),
		CanPost: canPost(r), MaxTitle: MaxTitle, MaxBody: MaxBody, CalendarDays: CalendarDays}
	if p.News, err = h.svc.ZoneNews(ctx, z.Code, NewsOnBoard); err != nil {
		return err
	}
	if p.Posts, err = h.svc.Posts(ctx, z.Code, page); err != nil {
		return err
	}
	events, err := h.svc.Events(ctx, z.Code)
	if err != nil {
		return err
	}
	p.Days = ByDay(events, h.svc.Now())
	return h.views.Render(w, r, status, "zone", p)
}

func (h *Handlers) createPost(w http.ResponseWriter, r *http.Request) error {
	zone := r.PathValue("zone")
	vals := map[string]string{"title": r.PostFormValue("title"), "body": r.PostFormValue("body")}
	if trapped(r) {
		slog.InfoContext(r.Context(), "board: dropped a form with its trap field filled", "route", r.Pattern)
		return web.Redirect(w, r, "/board/"+zone, "board.flash_posted")
	}
	p, err := h.svc.CreatePost(r.Context(), zone, PostInput{Title: vals["title"], Body: vals["body"]})
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderZone(w, r, status, form)
		})
	}
	return web.Redirect(w, r, postURL(zone, p.ID), "board.flash_posted")
}

// eventsICS is a subscribable feed of the zone's coming events.
func (h *Handlers) eventsICS(w http.ResponseWriter, r *http.Request) error {
	z, err := h.opts.Zones.Zone(r.Context(), r.PathValue("zone"))
	if err != nil {
		return err
	}
	events, err := h.svc.Events(r.Context(), z.Code)
	if err != nil {
		return err
	}
	l := i18n.For(lang(r))
	out := make([]ical.Event, len(events))
	for i, e := range events {
		out[i] = ical.Event{
			UID:         ical.UID("place-event", e.ID),
			Summary:     e.Title(l.Lang),
			Description: e.Summary(l.Lang),
			Location:    e.At.Name(l.Lang),
			Start:       e.StartsAt,
			End:         e.EndsAt,
			Status:      ical.StatusConfirmed,
		}
		if e.At.ID != 0 {
			out[i].URL = web.AbsURL(r, "/places/facilities/"+strconv.FormatInt(e.At.ID, 10))
		}
	}
	return ical.Serve(w, l.T("board.calendar_name", z.Name(l.Lang)), "board-events.ics", out)
}
