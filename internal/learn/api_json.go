package learn

import (
	"net/http"
	"time"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// The JSON shapes of the API. Both languages are given for stored text, so
// clients need not ask twice.

type courseJSON struct {
	ID                 int64  `json:"id"`
	Code               string `json:"code"`
	Theme              string `json:"theme"`
	Level              string `json:"level"`
	TitleKo            string `json:"title_ko"`
	TitleEn            string `json:"title_en"`
	SummaryKo          string `json:"summary_ko"`
	SummaryEn          string `json:"summary_en"`
	SessionsToComplete int    `json:"sessions_to_complete"`
}

type venueJSON struct {
	ID             int64  `json:"id"`
	Slug           string `json:"slug"`
	Kind           string `json:"kind"`
	District       string `json:"district"`
	NameKo         string `json:"name_ko"`
	NameEn         string `json:"name_en"`
	AddressKo      string `json:"address_ko"`
	AddressEn      string `json:"address_en"`
	HoursKo        string `json:"hours_ko,omitempty"`
	HoursEn        string `json:"hours_en,omitempty"`
	AccessKo       string `json:"access_ko,omitempty"`
	AccessEn       string `json:"access_en,omitempty"`
	NoRegistration bool   `json:"no_registration"`
}

type sessionJSON struct {
	ID              int64      `json:"id"`
	Code            string     `json:"code"`
	StartsAt        time.Time  `json:"starts_at"`
	EndsAt          time.Time  `json:"ends_at"`
	Capacity        int        `json:"capacity"`
	SeatsLeft       int        `json:"seats_left"`
	Allocation      string     `json:"allocation"`
	LotteryClosesAt *time.Time `json:"lottery_closes_at,omitempty"`
	LotteryDrawn    bool       `json:"lottery_drawn"`
	Status          string     `json:"status"`
	AccessKo        string     `json:"access_ko,omitempty"`
	AccessEn        string     `json:"access_en,omitempty"`
	Course          courseJSON `json:"course"`
	Venue           venueJSON  `json:"venue"`
}

type registrationJSON struct {
	ID         int64        `json:"id"`
	SessionID  int64        `json:"session_id"`
	Status     string       `json:"status"`
	Seats      int          `json:"seats"`
	QueuePos   int          `json:"queue_position"`
	GroupName  string       `json:"group_name,omitempty"`
	Channel    string       `json:"channel"`
	Ticket     string       `json:"ticket,omitempty"`
	CreatedAt  time.Time    `json:"created_at"`
	AttendedAt *time.Time   `json:"attended_at,omitempty"`
	Session    *sessionJSON `json:"session,omitempty"`
}

func toCourseJSON(c Course) courseJSON {
	return courseJSON{ID: c.ID, Code: c.Code, Theme: c.Theme, Level: c.Level, TitleKo: c.TitleKo, TitleEn: c.TitleEn,
		SummaryKo: c.SummaryKo, SummaryEn: c.SummaryEn, SessionsToComplete: c.SessionsToComplete}
}

func toVenueJSON(v Venue) venueJSON {
	return venueJSON{ID: v.ID, Slug: v.Slug, Kind: v.Kind, District: v.District, NameKo: v.NameKo, NameEn: v.NameEn,
		AddressKo: v.AddressKo, AddressEn: v.AddressEn, HoursKo: v.HoursKo, HoursEn: v.HoursEn, AccessKo: v.AccessKo, AccessEn: v.AccessEn,
		NoRegistration: v.NoRegistration()}
}

func toSessionJSON(s Session) sessionJSON {
	j := sessionJSON{ID: s.ID, Code: s.Code, StartsAt: s.StartsAt, EndsAt: s.EndsAt, Capacity: s.Capacity, SeatsLeft: s.SeatsLeft(),
		Allocation: s.Allocation, LotteryDrawn: !s.LotteryDrawnAt.IsZero(), Status: s.Status, AccessKo: s.AccessKo, AccessEn: s.AccessEn,
		Course: toCourseJSON(s.Course), Venue: toVenueJSON(s.Venue)}
	if s.Allocation == Lottery {
		t := s.LotteryClosesAt
		j.LotteryClosesAt = &t
	}
	return j
}

func toRegistrationJSON(r Registration) registrationJSON {
	j := registrationJSON{ID: r.ID, SessionID: r.SessionID, Status: r.Status, Seats: r.Seats, QueuePos: r.QueuePos,
		GroupName: r.GroupName, Channel: r.Channel, CreatedAt: r.CreatedAt}
	if r.Status == Confirmed {
		j.Ticket = r.Ticket
	}
	if !r.AttendedAt.IsZero() {
		t := r.AttendedAt
		j.AttendedAt = &t
	}
	if r.Session.ID != 0 {
		s := toSessionJSON(r.Session)
		j.Session = &s
	}
	return j
}

func (h *Handlers) apiThemes(w http.ResponseWriter, r *http.Request) error {
	type theme struct {
		Code   string `json:"code"`
		NameKo string `json:"name_ko"`
		NameEn string `json:"name_en"`
	}
	out := web.JSONList(Themes, func(t string) theme {
		return theme{Code: t, NameKo: i18n.For("ko").T("theme." + t), NameEn: i18n.For("en").T("theme." + t)}
	})
	return web.JSON(w, http.StatusOK, map[string]any{"themes": out})
}

func (h *Handlers) apiCourses(w http.ResponseWriter, r *http.Request) error {
	cs, err := h.svc.Courses(r.Context(), r.URL.Query().Get("theme"))
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"courses": web.JSONList(cs, toCourseJSON)})
}

func (h *Handlers) apiSessions(w http.ResponseWriter, r *http.Request) error {
	f, page := filterFromQuery(r.URL.Query())
	sessions, more, err := h.svc.Search(r.Context(), f)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"sessions": web.JSONList(sessions, toSessionJSON), "page": page, "more": more})
}

func (h *Handlers) apiSession(w http.ResponseWriter, r *http.Request) error {
	s, err := web.ForPathID(r, "id", h.svc.Session)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"session": toSessionJSON(s)})
}

func (h *Handlers) apiVenues(w http.ResponseWriter, r *http.Request) error {
	vs, err := h.svc.Venues(r.Context(), r.URL.Query().Get("kind"), r.URL.Query().Get("district"))
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"venues": web.JSONList(vs, toVenueJSON)})
}

func (h *Handlers) apiRegister(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Seats        int    `json:"seats"`
		GroupName    string `json:"group_name"`
		GroupContact string `json:"group_contact"`
	}
	if r.ContentLength != 0 {
		if err := web.DecodeJSON(w, r, &in); err != nil {
			return err
		}
	}
	reg, err := h.svc.Register(r.Context(), Request{SessionID: id, Seats: in.Seats, GroupName: in.GroupName, GroupContact: in.GroupContact})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"registration": toRegistrationJSON(reg)})
}

func (h *Handlers) apiMyRegistrations(w http.ResponseWriter, r *http.Request) error {
	regs, err := h.svc.MyRegistrations(r.Context())
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"registrations": web.JSONList(regs, toRegistrationJSON)})
}

func (h *Handlers) apiRegistration(w http.ResponseWriter, r *http.Request) error {
	reg, err := web.ForPathID(r, "id", h.svc.Registration)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"registration": toRegistrationJSON(reg)})
}

func (h *Handlers) apiCancel(w http.ResponseWriter, r *http.Request) error {
	reg, err := web.ForPathID(r, "id", h.svc.Cancel)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"registration": toRegistrationJSON(reg)})
}
