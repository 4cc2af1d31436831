package guides

import (
	"embed"
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves the guides' pages.
type Handlers struct {
	svc    *Service
	views  *web.Views
	opts   Options
	limits *auth.Limits
}

// AsksPerAddress is how many requests for a guide one client address may
// send (web.ClientKey): anyone may ask without signing in, and each request
// puts work in a guide's queue.
var AsksPerAddress = auth.Limit{Max: 10, Per: time.Hour, Key: "guides.too_many_asks"}

var (
	guideRoles = []actor.Role{actor.Guide, actor.CentreAdmin}
	adminRoles = []actor.Role{actor.CentreAdmin}
)

// Register adds the guides' pages to rt.
func Register(rt *web.Router, svc *Service, opts Options) {
	h := &Handlers{svc: svc, views: web.MustViews(templateFS), opts: opts, limits: auth.NewLimits(svc.db)}
	h.limits.Now = func() time.Time { return svc.Now() }
	rt.Handle("GET /guides", h.home)
	rt.Handle("GET /guides/map", h.dataMap)
	rt.Handle("GET /guides/log", h.logForm)
	rt.Handle("POST /guides/log", h.logSubmit)
	rt.Handle("POST /guides/checkin", h.checkIn)
	rt.Handle("GET /guides/requests", h.requests)
	rt.Handle("GET /guides/requests/{id}", h.request)
	rt.Handle("POST /guides/requests/{id}/take", h.takeRequest)
	rt.Handle("POST /guides/requests/{id}/close", h.closeRequest)
	rt.Handle("GET /help/guide", h.askForm)
	rt.Handle("POST /help/guide", h.askSubmit)
	rt.Handle("GET /help/guide/thanks", h.askThanks)
	rt.Handle("GET /admin/guides", h.adminGuides)
	rt.Handle("POST /admin/guides", h.saveGuide)
	rt.Handle("GET /admin/guides/shifts", h.shifts)
	rt.Handle("POST /admin/guides/shifts", h.addShift)
	rt.Handle("POST /admin/guides/shifts/{id}/delete", h.removeShift)
	rt.Handle("GET /admin/guides/plan", h.plan)
	rt.Handle("POST /admin/guides/plan", h.proposePlan)
	rt.Handle("GET /admin/guides/plan/{id}/visit", h.visitForm)
	rt.Handle("POST /admin/guides/plan/{id}/assign", h.assign)
	rt.Handle("POST /admin/guides/plan/{id}/confirm", h.confirm)
	rt.Handle("GET /admin/guides/stats", h.stats)
	rt.Handle("GET /admin/guides/stats.csv", h.statsCSV)
	rt.Handle("GET /admin/guides/import", h.importPage)
	rt.Handle("POST /admin/guides/import", h.importSubmit, web.Upload(MaxImportBytes+web.FormEnvelope))
	rt.Handle("GET /admin/guides/hotspots.csv", h.hotspotsCSV)
	rt.AddNav(
		web.NavItem{Key: "nav.guides_ask", Href: "/help/guide", Group: web.GroupHelp},
		web.NavItem{Key: "nav.guides", Href: "/guides", Group: web.GroupWorkTown, Roles: guideRoles},
		web.NavItem{Key: "nav.guides_admin", Href: "/admin/guides", Group: web.GroupWorkTown, Roles: adminRoles},
	)
}

func lang(r *http.Request) string { return web.PrefsFrom(r.Context()).Lang }

// formInt reads an integer field; a missing or broken one reads as -1,
// which every check refuses.
func formInt(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

func formID(v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// hourLabel is an hour of the day as a time range, 14:00–15:00.
func hourLabel(h int) string {
	return strconv.Itoa(h) + ":00–" + strconv.Itoa(h+1) + ":00"
}

// hourOptions are the hours from..to-1 for a select.
func hourOptions(from, to int) []web.Option {
	var out []web.Option
	for h := from; h < to; h++ {
		out = append(out, web.Option{Value: strconv.Itoa(h), Label: hourLabel(h)})
	}
	return out
}

func weekdayOptions(l i18n.Localizer) []web.Option {
	var out []web.Option
	for d := range 7 {
		out = append(out, web.Option{Value: strconv.Itoa(d), Label: l.T("guides.weekday." + strconv.Itoa(d))})
	}
	return out
}

// now is the service's clock in the city.
func (h *Handlers) now() time.Time { return h.svc.Now().In(i18n.Zone) }

// hotspotNames names each hotspot by id in lang.
func hotspotNames(hs []Hotspot, lang string) map[int64]string {
	out := make(map[int64]string, len(hs))
	for _, x := range hs {
		out[x.ID] = x.Name(lang)
	}
	return out
}

// trapped reports whether the field people never see was filled: a bot.
func trapped(r *http.Request) bool { return r.PostFormValue("website") != "" }
