package learn

import (
	"embed"
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Options are what the pages need from other parts, passed in by the app.
type Options struct {
	Districts func(lang string) []web.Option
}

// Handlers serves the learning centre's pages and API.
type Handlers struct {
	svc   *Service
	views *web.Views
	opts  Options
}

// Register adds the learning centre's pages and API to rt.
func Register(rt *web.Router, svc *Service, opts Options) {
	h := &Handlers{svc: svc, views: web.MustViews(templateFS), opts: opts}
	// page_catalog.go
	rt.Handle("GET /learn", h.home)
	rt.Handle("GET /courses", h.courses)
	rt.Handle("GET /courses/{code}", h.course)
	rt.Handle("GET /sessions/{id}", h.session)
	rt.Handle("GET /venues", h.venues)
	rt.Handle("GET /venues/{slug}", h.venue)
	rt.Handle("GET /api/v1/themes", h.apiThemes)
	rt.Handle("GET /api/v1/courses", h.apiCourses)
	rt.Handle("GET /api/v1/sessions", h.apiSessions)
	rt.Handle("GET /api/v1/sessions/{id}", h.apiSession)
	rt.Handle("GET /api/v1/venues", h.apiVenues)
	// page_registration.go
	rt.Handle("POST /sessions/{id}/register", h.register)
	rt.Handle("GET /my/registrations", h.myRegistrations)
	rt.Handle("GET /my/registrations/{id}", h.ticket)
	rt.Handle("POST /my/registrations/{id}/cancel", h.cancel)
	rt.Handle("POST /api/v1/sessions/{id}/registrations", h.apiRegister)
	rt.Handle("GET /api/v1/me/registrations", h.apiMyRegistrations)
	rt.Handle("GET /api/v1/registrations/{id}", h.apiRegistration)
	rt.Handle("POST /api/v1/registrations/{id}/cancel", h.apiCancel)
	h.registerCalendar(rt)
	// page_staff.go
	rt.Handle("GET /staff/sessions", h.staffSessions)
	rt.Handle("GET /staff/sessions/{id}", h.staffRoster)
	rt.Handle("POST /staff/sessions/{id}/checkin", h.staffCheckInRegistration)
	rt.Handle("GET /staff/sessions/{id}/feedback", h.staffFeedback)
	rt.Handle("GET /staff/checkin", h.checkInPage)
	rt.Handle("POST /staff/checkin", h.checkInTicket)
	rt.Handle("POST /api/v1/checkin", h.apiCheckIn)
	rt.Handle("GET /api/v1/sessions/{id}/roster", h.apiRoster)
	rt.Handle("GET /api/v1/sessions/{id}/feedback", h.apiSessionFeedback)

	rt.Handle("GET /my/registrations/{id}/feedback", h.feedbackPage)
	rt.Handle("POST /my/registrations/{id}/feedback", h.feedbackPost)
	rt.Handle("POST /api/v1/registrations/{id}/feedback", h.apiFeedback)

	rt.Handle("GET /admin/sessions/{id}", h.adminSession)
	rt.Handle("POST /admin/sessions/{id}/capacity", h.adminCapacity)
	rt.Handle("POST /admin/sessions/{id}/tutor", h.adminTutor)
	rt.Handle("POST /admin/sessions/{id}/allocation", h.adminAllocation)
	rt.Handle("POST /admin/sessions/{id}/close-applications", h.adminCloseApplications)
	rt.Handle("POST /admin/sessions/{id}/draw", h.adminDraw)
	rt.Handle("POST /admin/sessions/{id}/cancel", h.adminCancel)
	rt.Handle("POST /api/v1/admin/sessions/{id}/capacity", h.apiAdminCapacity)
	rt.Handle("POST /api/v1/admin/sessions/{id}/tutor", h.apiAdminTutor)
	rt.Handle("POST /api/v1/admin/sessions/{id}/allocation", h.apiAdminAllocation)
	rt.Handle("POST /api/v1/admin/sessions/{id}/close-applications", h.apiAdminCloseApplications)
	rt.Handle("POST /api/v1/admin/sessions/{id}/draw", h.apiAdminDraw)
	rt.Handle("POST /api/v1/admin/sessions/{id}/cancel", h.apiAdminCancel)

	rt.AddNav(
		web.NavItem{Key: "nav.staff_sessions", Href: "/staff/sessions", Group: web.GroupWorkLearn, Roles: staffRoles},
		web.NavItem{Key: "nav.staff_checkin", Href: "/staff/checkin", Group: web.GroupWorkLearn, Roles: staffRoles},
	)
	// page_admin.go
	rt.Handle("GET /mobile-classes/request", h.mobileRequestPage)
	rt.Handle("POST /mobile-classes/request", h.mobileRequestSubmit)
	rt.Handle("GET /mobile-classes/mine", h.mobileMine)
	rt.Handle("GET /admin/mobile-classes", h.mobileQueue)
	rt.Handle("GET /admin/mobile-classes/{id}", h.mobileDetail)
	rt.Handle("POST /admin/mobile-classes/{id}/schedule", h.mobileSchedule)
	rt.Handle("POST /admin/mobile-classes/{id}/decline", h.mobileDecline)
	rt.Handle("POST /api/v1/mobile-requests", h.apiMobileCreate)
	rt.Handle("GET /api/v1/mobile-requests", h.apiMobileList)
	rt.Handle("POST /api/v1/mobile-requests/{id}/schedule", h.apiMobileSchedule)
	rt.Handle("POST /api/v1/mobile-requests/{id}/decline", h.apiMobileDecline)

	rt.Handle("GET /admin/stats", h.statsPage)
	rt.Handle("GET /admin/stats.csv", h.statsCSV)
	rt.Handle("GET /api/v1/stats", h.apiStats)

	rt.Handle("GET /admin/import", h.importPage)
	rt.Handle("POST /admin/import", h.importSubmit, web.Upload(MaxImportBytes+web.FormEnvelope))
	rt.Handle("GET /admin/import/sample.csv", h.importSample)
	rt.Handle("POST /api/v1/import", h.apiImport, web.Upload(MaxImportBytes))

	admin := []actor.Role{actor.CentreAdmin}
	rt.AddNav(
		web.NavItem{Key: "nav.admin_mobile", Href: "/admin/mobile-classes", Group: web.GroupWorkLearn, Roles: admin},
		web.NavItem{Key: "nav.admin_stats", Href: "/admin/stats", Group: web.GroupWorkLearn, Roles: admin},
		web.NavItem{Key: "nav.admin_import", Href: "/admin/import", Group: web.GroupWorkLearn, Roles: admin},
	)
	rt.AddNav(
		web.NavItem{Key: "learn.home_title", Href: "/learn", Group: web.GroupLearn},
		web.NavItem{Key: "nav.courses", Href: "/courses", Group: web.GroupLearn},
		web.NavItem{Key: "nav.venues", Href: "/venues", Group: web.GroupLearn},
		web.NavItem{Key: "nav.my_courses", Href: "/my/registrations", Group: web.GroupLearn, SignedIn: true},
	)
}

func (h *Handlers) districts(r *http.Request) []web.Option {
	if h.opts.Districts == nil {
		return nil
	}
	return h.opts.Districts(web.PrefsFrom(r.Context()).Lang)
}

func (h *Handlers) districtName(r *http.Request, code string) string {
	for _, d := range h.districts(r) {
		if d.Value == code {
			return d.Label
		}
	}
	return code
}
