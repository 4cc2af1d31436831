package learn

import (
	"embed"
	"net/http"

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
	h.registerCatalog(rt)
	h.registerRegistration(rt)
	h.registerCalendar(rt)
	h.registerStaff(rt)
	h.registerAdmin(rt)
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
