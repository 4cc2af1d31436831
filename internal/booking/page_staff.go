package booking

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

type staffFacility struct {
	ID        int64
	Name      string
	Resources []Resource
}

// staffHome lists every resource by facility, active or not.
func (h *Handlers) staffHome(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	all, err := h.svc.Resources(r.Context(), true)
	if err != nil {
		return err
	}
	var fs []staffFacility
	for _, res := range all {
		if len(fs) == 0 || fs[len(fs)-1].ID != res.FacilityID {
			name := "#" + strconv.FormatInt(res.FacilityID, 10)
			if f, err := h.svc.facilities.Facility(r.Context(), res.FacilityID); err == nil {
				name = f.Name(lang(r))
			}
			fs = append(fs, staffFacility{ID: res.FacilityID, Name: name})
		}
		fs[len(fs)-1].Resources = append(fs[len(fs)-1].Resources, res)
	}
	return h.views.Render(w, r, http.StatusOK, "staff_home", map[string]any{"Facilities": fs, "Today": cityDay(h.svc.Now()).Format(dateLayout)})
}

type dayPage struct {
	web.FormState
	FacilityID   int64
	FacilityName string
	Date         time.Time
	DateValue    string
	Prev, Next   string
	Entries      []Entry
	Done         *CheckInResult
	Now          time.Time
}

func (h *Handlers) day(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderDay(w, r, id, parseDate(r.URL.Query().Get("date"), h.svc.Now()), http.StatusOK, web.FormState{}, nil)
}

func (h *Handlers) renderDay(w http.ResponseWriter, r *http.Request, id int64, date time.Time, status int, form web.FormState, done *CheckInResult) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	f, err := h.svc.facilities.Facility(r.Context(), id)
	if err != nil {
		return err
	}
	entries, err := h.svc.Day(r.Context(), id, date)
	if err != nil {
		return err
	}
	p := dayPage{FormState: form, FacilityID: id, FacilityName: f.Name(lang(r)), Date: date, DateValue: date.Format(dateLayout),
		Prev: date.AddDate(0, 0, -1).Format(dateLayout), Next: date.AddDate(0, 0, 1).Format(dateLayout), Entries: entries, Done: done, Now: h.svc.Now()}
	return h.views.Render(w, r, status, "staff_day", p)
}

// dayCheckIn checks in one booking from the day's list.
func (h *Handlers) dayCheckIn(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	date := parseDate(r.PostFormValue("date"), h.svc.Now())
	bid, err := strconv.ParseInt(r.PostFormValue("booking"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "booking.not_found")
	}
	res, err := h.svc.CheckInBooking(r.Context(), bid)
	if err != nil {
		return web.Redraw(r, err, nil, func(status int, form web.FormState) error {
			return h.renderDay(w, r, id, date, status, form, nil)
		})
	}
	return h.renderDay(w, r, id, date, http.StatusOK, web.FormState{}, &res)
}

type checkInPage struct {
	web.FormState
	Done   *CheckInResult
	Prefix string
}

func (h *Handlers) checkInPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "staff_checkin", checkInPage{Prefix: TicketPrefix})
}

// checkInTicket checks in the ticket typed or scanned; the page stays on
// the form, ready for the next person.
func (h *Handlers) checkInTicket(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	vals := map[string]string{"ticket": r.PostFormValue("ticket")}
	res, err := h.svc.CheckIn(r.Context(), vals["ticket"])
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.views.Render(w, r, status, "staff_checkin", checkInPage{FormState: form, Prefix: TicketPrefix})
		})
	}
	return h.views.Render(w, r, http.StatusOK, "staff_checkin", checkInPage{Done: &res, Prefix: TicketPrefix})
}

type approvalsPage struct {
	web.FormState
	FailedID int64
	Entries  []Entry
}

func (h *Handlers) approvals(w http.ResponseWriter, r *http.Request) error {
	return h.renderApprovals(w, r, http.StatusOK, approvalsPage{})
}

func (h *Handlers) renderApprovals(w http.ResponseWriter, r *http.Request, status int, p approvalsPage) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	var err error
	if p.Entries, err = h.svc.Requests(r.Context()); err != nil {
		return err
	}
	return h.views.Render(w, r, status, "staff_approvals", p)
}

func (h *Handlers) approve(w http.ResponseWriter, r *http.Request) error {
	return h.decide(w, r, h.svc.Approve, "booking.flash_approved")
}

func (h *Handlers) refuse(w http.ResponseWriter, r *http.Request) error {
	return h.decide(w, r, h.svc.Refuse, "booking.flash_refused")
}

func (h *Handlers) decide(w http.ResponseWriter, r *http.Request, fn func(context.Context, int64, string) (Booking, error), flash string) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	vals := map[string]string{"note": r.PostFormValue("note")}
	if _, err := fn(r.Context(), id, vals["note"]); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderApprovals(w, r, status, approvalsPage{FormState: form, FailedID: id})
		})
	}
	return web.Redirect(w, r, "/staff/booking/approvals", flash)
}

func (h *Handlers) staffCancel(w http.ResponseWriter, r *http.Request) error {
	b, err := web.ForPathID(r, "id", h.svc.Cancel)
	if err != nil {
		return err
	}
	res, err := h.svc.Resource(r.Context(), b.ResourceID)
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/staff/booking/facilities/"+strconv.FormatInt(res.FacilityID, 10)+"/day?date="+cityDay(b.StartsAt).Format(dateLayout),
		"booking.flash_cancelled")
}
