package booking

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/ical"
	"github.com/maeul/maeul/internal/web"
)

func (h *Handlers) mine(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r); err != nil {
		return err
	}
	others := h.opts.Others
	if others == nil {
		others = h.svc.opts.Others
	}
	upcoming, past, err := h.svc.myItems(r.Context(), lang(r), others)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "mine", map[string]any{"Upcoming": upcoming, "Past": past, "Now": h.svc.Now()})
}

type ticketPage struct {
	Booking      Booking
	FacilityName string
	Address      string
	Status       string
	QR           template.HTML
	CanCancel    bool
}

func (h *Handlers) ticket(w http.ResponseWriter, r *http.Request) error {
	b, err := web.ForPathID(r, "id", h.svc.Booking)
	if err != nil {
		return err
	}
	p := ticketPage{Booking: b, Status: statusOf(b), CanCancel: b.Active() && h.svc.Now().Before(b.StartsAt)}
	if f, err := h.svc.facilities.Facility(r.Context(), b.Resource.FacilityID); err == nil {
		p.FacilityName, p.Address = f.Name(lang(r)), f.Address(lang(r))
	}
	if b.Status == Confirmed {
		if p.QR, err = tickets.QR(b.Ticket, web.T(r, "booking.ticket_qr_label")); err != nil {
			return err
		}
	}
	return h.views.Render(w, r, http.StatusOK, "ticket", p)
}

// ics is the booking as a calendar file.
func (h *Handlers) ics(w http.ResponseWriter, r *http.Request) error {
	b, err := web.ForPathID(r, "id", h.svc.Booking)
	if err != nil {
		return err
	}
	l := i18n.For(lang(r))
	ev := ical.Event{
		UID:     ical.UID("booking", b.ID),
		Summary: b.Resource.Name(l.Lang),
		URL:     web.AbsURL(r, bookingPath(b.ID)),
		Start:   b.StartsAt,
		End:     b.EndsAt,
		Created: b.CreatedAt,
		Status:  ical.StatusConfirmed,
	}
	if f, err := h.svc.facilities.Facility(r.Context(), b.Resource.FacilityID); err == nil {
		ev.Location = f.Name(l.Lang)
		if a := f.Address(l.Lang); a != "" {
			ev.Location += ", " + a
		}
	}
	if !b.Active() {
		ev.Status = ical.StatusCancelled
	}
	return ical.Serve(w, ev.Summary, "booking-"+strconv.FormatInt(b.ID, 10)+".ics", []ical.Event{ev})
}

func (h *Handlers) cancel(w http.ResponseWriter, r *http.Request) error {
	if _, err := web.ForPathID(r, "id", h.svc.Cancel); err != nil {
		return err
	}
	return web.Redirect(w, r, "/my/bookings", "booking.flash_cancelled")
}
