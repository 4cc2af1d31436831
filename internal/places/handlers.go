package places

import (
	"context"
	"embed"
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Options are what the pages need from elsewhere, passed in by the app.
type Options struct {
	// TileURL is an optional raster tile server for the map's background
	// ("https://…/{z}/{x}/{y}.png"); without one the map draws the zones
	// only, and needs nothing outside the city's own server.
	TileURL, TileAttribution string
	// DistrictName names a district in a language.
	DistrictName func(code, lang string) string
	// BookingURL is where a facility's rooms and equipment are booked,
	// "" when it has nothing to book.
	BookingURL func(ctx context.Context, facilityID int64) (string, error)
	// Landmarks are the stations and markets people name as where they
	// are (the digital guides' spots), for the locator: the app sets them
	// as the service's Landmarks.
	Landmarks func(ctx context.Context) ([]Landmark, error)
}

// Handlers serves the places pages.
type Handlers struct {
	svc   *Service
	views *web.Views
	opts  Options
}

// Register adds the places pages to rt.
func Register(rt *web.Router, svc *Service, opts Options) {
	h := &Handlers{svc: svc, views: web.MustViews(templateFS), opts: opts}
	rt.Handle("GET /places", h.places)
	rt.Handle("GET /api/v1/places", h.places)
	rt.Handle("GET /places/facilities/{id}", h.facility)
	rt.Handle("GET /places/zones", h.zones)
	rt.Handle("GET /places/zones/{code}", h.zone)
	rt.Handle("GET /places/events", h.events)
	// page_import.go
	rt.Handle("GET /admin/places/import", h.importPage)
	rt.Handle("POST /admin/places/import", h.importSubmit, web.Upload(MaxImportBytes+web.FormEnvelope))
	rt.AddNav(web.NavItem{Key: "nav.admin_places_import", Href: "/admin/places/import", Group: web.GroupWorkTown, Roles: []actor.Role{actor.CentreAdmin}})
	// page_planner.go
	rt.Handle("GET /planner", h.planner)
	rt.Handle("GET /planner/coverage.csv", h.plannerCSV)
	rt.Handle("GET /planner/coverage.geojson", h.plannerGeoJSON)
	rt.AddNav(web.NavItem{Key: "nav.planner", Href: "/planner", Group: web.GroupWorkTown, Roles: plannerRoles})
	rt.AddNav(web.NavItem{Key: "nav.places", Href: "/places", Group: web.GroupTown})
}

func lang(r *http.Request) string { return web.PrefsFrom(r.Context()).Lang }

func (h *Handlers) districtName(r *http.Request, code string) string {
	if h.opts.DistrictName == nil || code == "" {
		return code
	}
	return h.opts.DistrictName(code, lang(r))
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.New(errs.NotFound, "places.facility_not_found")
	}
	return id, nil
}
