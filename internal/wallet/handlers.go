package wallet

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// staticFS holds the wallet's scripts and stylesheet, served under
// /static/wallet/: the protocol runs in them, in the browser.
//
//go:embed static
var staticFS embed.FS

// Options are what the wallet pages need from other parts.
type Options struct {
	// Districts and Zones list the city's districts and living zones in a
	// language: a card carries only their codes.
	Districts func(lang string) []web.Option
	Zones     func(lang string) []web.Option
}

// page is what every wallet page gets: its script's name and the data
// island that script reads.
type page struct {
	Script string
	Island island
}

// Handlers serves the wallet's pages and files.
type Handlers struct {
	views *web.Views
	opts  Options
}

// Register serves the wallet's pages. They need no account: the wallet is
// the browser, and a citizen who never signed in holds a card all the same.
func Register(rt *web.Router, opts Options) {
	h := &Handlers{views: web.MustViews(templateFS), opts: opts}
	files, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	rt.Handle("GET /wallet", h.home)
	rt.Handle("GET /wallet/receive", h.receive)
	rt.Handle("GET /wallet/present", h.present)
	rt.Handle("GET /wallet/history", h.history)
	rt.HandleHTTP("GET /static/wallet/", web.StaticFiles("/static/wallet/", files))
	rt.AddNav(web.NavItem{Key: "nav.wallet", Href: "/wallet", Group: web.GroupCard, Roles: []actor.Role{actor.Citizen}})
}

// The four screens are each a page and its script (static/<name>.js),
// which does all the work in the browser.
func (h *Handlers) home(w http.ResponseWriter, r *http.Request) error { return h.page(w, r, "home") }
func (h *Handlers) receive(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, r, "receive")
}
func (h *Handlers) present(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, r, "present")
}
func (h *Handlers) history(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, r, "history")
}

func (h *Handlers) page(w http.ResponseWriter, r *http.Request, name string) error {
	// The receive link carries the offer's pre-authorized code.
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.views.Render(w, r, http.StatusOK, name, page{Script: name, Island: newIsland(r, h.opts)})
}
