package learn

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

func requestFromForm(r *http.Request, id int64) (Request, map[string]string, error) {
	vals := map[string]string{"seats": r.PostFormValue("seats"), "group_name": r.PostFormValue("group_name"), "group_contact": r.PostFormValue("group_contact")}
	req := Request{SessionID: id, Seats: 1, GroupName: vals["group_name"], GroupContact: vals["group_contact"]}
	if s := strings.TrimSpace(vals["seats"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return req, vals, errs.Field("seats", "learn.seats_invalid")
		}
		req.Seats = n
	}
	return req, vals, nil
}

func (h *Handlers) register(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r); err != nil {
		return err
	}
	req, vals, err := requestFromForm(r, id)
	var reg Registration
	if err == nil {
		reg, err = h.svc.Register(r.Context(), req)
	}
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderSession(w, r, id, status, form)
		})
	}
	return web.Redirect(w, r, "/my/registrations/"+strconv.FormatInt(reg.ID, 10), "learn.flash_"+reg.Status)
}

func (h *Handlers) myRegistrations(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r); err != nil {
		return err
	}
	regs, err := h.svc.MyRegistrations(r.Context())
	if err != nil {
		return err
	}
	now := h.svc.Now()
	var upcoming, past []Registration
	for _, reg := range regs {
		if reg.Session.Past(now) || !reg.Active() {
			past = append(past, reg)
		} else {
			upcoming = append(upcoming, reg)
		}
	}
	return h.views.Render(w, r, http.StatusOK, "my_registrations", map[string]any{"Upcoming": upcoming, "Past": past, "Now": now})
}

type ticketPage struct {
	Reg      Registration
	QR       template.HTML
	District string
	CanRate  bool
	Now      time.Time
}

func (h *Handlers) ticket(w http.ResponseWriter, r *http.Request) error {
	reg, err := web.ForPathID(r, "id", h.svc.Registration)
	if err != nil {
		return err
	}
	p := ticketPage{Reg: reg, District: h.districtName(r, reg.Session.Venue.District), Now: h.svc.Now()}
	if reg.Status == Confirmed {
		if p.QR, err = tickets.QR(reg.Ticket, web.T(r, "learn.ticket_qr_label")); err != nil {
			return err
		}
	}
	p.CanRate = !reg.AttendedAt.IsZero()
	return h.views.Render(w, r, http.StatusOK, "ticket", p)
}

func (h *Handlers) cancel(w http.ResponseWriter, r *http.Request) error {
	if _, err := web.ForPathID(r, "id", h.svc.Cancel); err != nil {
		return err
	}
	return web.Redirect(w, r, "/my/registrations", "learn.flash_cancelled")
}
