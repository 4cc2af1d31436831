package booking

import (
	"embed"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves the booking pages.
type Handlers struct {
	svc   *Service
	views *web.Views
	opts  Options
}

// Register adds the booking pages to rt.
func Register(rt *web.Router, svc *Service, opts Options) {
	h := &Handlers{svc: svc, views: web.MustViews(templateFS), opts: opts}
	rt.Handle("GET /book", h.index)
	rt.Handle("GET /api/v1/booking/facilities", h.apiFacilities)
	rt.Handle("GET /book/facilities/{id}", h.facility)
	rt.Handle("GET /book/resources/{id}", h.week)
	rt.Handle("GET /book/resources/{id}/slot", h.slotForm)
	rt.Handle("POST /book/resources/{id}", h.book)
	rt.Handle("GET /my/bookings", h.mine)
	rt.Handle("GET /my/bookings/{id}", h.ticket)
	rt.Handle("GET /my/bookings/{id}/booking.ics", h.ics)
	rt.Handle("POST /my/bookings/{id}/cancel", h.cancel)
	// page_staff.go
	rt.Handle("GET /staff/booking", h.staffHome)
	rt.Handle("GET /staff/booking/facilities/{id}/day", h.day)
	rt.Handle("POST /staff/booking/facilities/{id}/checkin", h.dayCheckIn)
	rt.Handle("GET /staff/booking/checkin", h.checkInPage)
	rt.Handle("POST /staff/booking/checkin", h.checkInTicket)
	rt.Handle("GET /staff/booking/approvals", h.approvals)
	rt.Handle("POST /staff/booking/bookings/{id}/approve", h.approve)
	rt.Handle("POST /staff/booking/bookings/{id}/refuse", h.refuse)
	rt.Handle("POST /staff/booking/bookings/{id}/cancel", h.staffCancel)
	// page_admin.go
	rt.Handle("GET /staff/booking/resources/new", h.newResource)
	rt.Handle("POST /staff/booking/resources", h.saveResource)
	rt.Handle("GET /staff/booking/resources/{id}", h.editResource)
	rt.Handle("POST /staff/booking/resources/{id}", h.saveResource)
	rt.AddNav(
		web.NavItem{Key: "booking.nav_book", Href: "/book", Group: web.GroupTown},
		web.NavItem{Key: "booking.nav_mine", Href: "/my/bookings", Group: web.GroupTown, SignedIn: true},
		web.NavItem{Key: "booking.nav_staff", Href: "/staff/booking", Group: web.GroupWorkTown, Roles: []actor.Role{actor.CentreAdmin}},
	)
}

func lang(r *http.Request) string { return web.PrefsFrom(r.Context()).Lang }

// AtLayout is how a slot's start travels in links and forms: city time
// to the minute.
const AtLayout = "2006-01-02T15:04"

// FormatAt writes a slot's start for a link or a form.
func FormatAt(t time.Time) string { return t.In(i18n.Zone).Format(AtLayout) }

func parseAt(s string) (time.Time, error) {
	t, err := time.ParseInLocation(AtLayout, strings.TrimSpace(s), i18n.Zone)
	if err != nil {
		return t, errs.Field("at", "booking.at_invalid")
	}
	return t, nil
}

const dateLayout = "2006-01-02"

// parseDate reads a date (city time) from a query, or gives def.
func parseDate(s string, def time.Time) time.Time {
	if t, err := time.ParseInLocation(dateLayout, s, i18n.Zone); err == nil {
		return t
	}
	return cityDay(def)
}

func bookingPath(id int64) string { return "/my/bookings/" + strconv.FormatInt(id, 10) }
