package booking

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/web"
)

type slotPage struct {
	web.FormState
	Resource     Resource
	FacilityName string
	Slot         slotView
	Parties      []int
	Full         bool   // the last try found it full: offer the waitlist
	Unavailable  string // why the slot cannot be booked at all, if it cannot
}

func (h *Handlers) slotForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	at, err := parseAt(r.URL.Query().Get("at"))
	if err != nil {
		return err
	}
	return h.renderSlot(w, r, id, at, http.StatusOK, web.FormState{Values: map[string]string{"party": "1"}}, false)
}

// renderSlot shows the booking form of one slot, with the state of its
// last submission.
func (h *Handlers) renderSlot(w http.ResponseWriter, r *http.Request, id int64, at time.Time, status int, form web.FormState, full bool) error {
	res, err := h.svc.Resource(r.Context(), id)
	if err != nil {
		return err
	}
	f, err := h.svc.facilities.Facility(r.Context(), res.FacilityID)
	if err != nil {
		return err
	}
	sl := Slot{ResourceID: res.ID, StartsAt: at, EndsAt: at.Add(res.SlotLength()), Capacity: res.Capacity}
	days, err := h.svc.Week(r.Context(), res, at)
	if err != nil {
		return err
	}
	for _, d := range days {
		for _, x := range d.Slots {
			if x.StartsAt.Equal(at) {
				sl = x
			}
		}
	}
	p := slotPage{FormState: form, Resource: res, FacilityName: f.Name(lang(r)), Full: full,
		Slot: slotView{Slot: sl, At: FormatAt(at), Applying: sl.Applying(h.svc.Now())}}
	switch err := res.checkTime(res.hours(f), at, h.svc.Now()); {
	case !res.Active:
		p.Unavailable = web.T(r, "booking.resource_inactive")
	case err != nil && form.Error == "":
		p.Unavailable = web.Message(r, err)
	}
	for n := 1; n <= res.MaxParty; n++ {
		p.Parties = append(p.Parties, n)
	}
	return h.views.Render(w, r, status, "slot", p)
}

func (h *Handlers) book(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r); err != nil {
		return err
	}
	vals := map[string]string{"at": r.PostFormValue("at"), "party": r.PostFormValue("party")}
	at, err := parseAt(vals["at"])
	if err != nil {
		return err
	}
	req := Request{ResourceID: id, StartsAt: at, Party: 1, Waitlist: r.PostFormValue("waitlist") == "yes"}
	if s := strings.TrimSpace(vals["party"]); s != "" {
		if req.Party, err = strconv.Atoi(s); err != nil {
			req.Party = -1
		}
	}
	b, err := h.svc.Book(r.Context(), req)
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderSlot(w, r, id, at, status, form, IsFull(err))
		})
	}
	return web.Redirect(w, r, bookingPath(b.ID), "booking.flash_"+b.Status)
}
