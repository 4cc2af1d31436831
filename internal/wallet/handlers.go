package wallet

import (
	"embed"
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

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

// Register serves the wallet's pages. They need no account: the wallet is
// the browser, and a citizen who never signed in holds a card all the same.
func Register(rt *web.Router, opts Options) {
	views := web.MustViews(templateFS)
	serve := func(name string) {
		path := "/wallet/" + name
		if name == "home" {
			path = "/wallet"
		}
		rt.Handle("GET "+path, func(w http.ResponseWriter, r *http.Request) error {
			// The receive link carries the offer's pre-authorized code.
			w.Header().Set("Referrer-Policy", "no-referrer")
			return views.Render(w, r, http.StatusOK, name, page{Script: name, Island: newIsland(r, opts)})
		})
	}
	for _, name := range []string{"home", "receive", "present", "history"} {
		serve(name)
	}
	rt.AddNav(web.NavItem{Key: "nav.wallet", Href: "/wallet", Group: web.GroupCard, Roles: []actor.Role{actor.Citizen}})
}
