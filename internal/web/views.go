package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/i18n"
)

//go:embed templates/*.html
var layoutFS embed.FS

// Views holds the pages of one part, each parsed once at start together with
// the shared layout.
type Views struct {
	pages map[string]*template.Template
}

// Funcs are the template functions every page may use. Translation is a
// method of View ({{.T "key"}}) because it depends on the request.
var Funcs = template.FuncMap{
	"asset": Asset,
	"add":   func(a, b int) int { return a + b },
	"sub":   func(a, b int) int { return a - b },
	"join":  strings.Join,
	"list":  func(xs ...string) []string { return xs },
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i + 1
		}
		return s
	},
}

// MustViews parses every templates/*.html of fsys as a page. A page defines
// "title" and "content"; it may define "head" for extra head elements.
// Files named partials*.html hold templates shared by the part's pages.
func MustViews(fsys fs.FS) *Views {
	layout := template.Must(template.New("layout").Funcs(Funcs).ParseFS(layoutFS, "templates/*.html"))
	if partials, _ := fs.Glob(fsys, "templates/partials*.html"); len(partials) > 0 {
		template.Must(layout.ParseFS(fsys, partials...))
	}
	v := &Views{pages: map[string]*template.Template{}}
	files, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if strings.HasPrefix(name, "partials") {
			continue
		}
		t := template.Must(layout.Clone())
		template.Must(t.ParseFS(fsys, f))
		v.pages[name] = t
	}
	return v
}

// Render writes page name with data in the layout.
func (v *Views) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := v.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	view := NewView(w, r, data)
	view.task = t.Lookup("task") != nil
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", view); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// RenderFailure renders page name after a form's failure (nil when there
// was none) as FormFailure puts it on the page: its message and the field at
// fault written at msg and field, and the status to answer with. page is
// drawn after they are written, so it is the page's address when they are
// its fields. A failure that is not a refusal is returned, for the error
// page.
func (v *Views) RenderFailure(w http.ResponseWriter, r *http.Request, name string, failure error, msg, field *string, page any) error {
	status, err := FormFailure(r, failure, msg, field)
	if err != nil {
		return err
	}
	return v.Render(w, r, status, name, page)
}

// View is what every template receives: the request's language, actor,
// preferences and CSRF token around the page's own Data.
type View struct {
	i18n.Localizer
	Actor *actor.Actor
	Prefs Prefs
	CSRF  string
	Path  string
	Query string
	Flash string
	Nav   []NavGroup
	// Here is where the display toggles and the language switch bring the
	// person back to: this page with its query, or, for a page that
	// answers a form, the page the form was on.
	Here string
	Site SiteInfo
	Data any
	// task marks a page that is one step of a task in progress (a form
	// being filled, an emulator being played): it carries its own way back
	// and no breadcrumbs, as GOV.UK's question pages do. A page says so by
	// defining a template named "task".
	task bool
}

// NewView builds the View of a request. It consumes the flash message.
func NewView(w http.ResponseWriter, r *http.Request, data any) *View {
	p := PrefsFrom(r.Context())
	v := &View{
		Localizer: i18n.For(p.Lang),
		Actor:     actor.From(r.Context()),
		Prefs:     p,
		CSRF:      CSRFToken(r.Context()),
		Path:      r.URL.Path,
		Query:     r.URL.RawQuery,
		Data:      data,
	}
	v.Nav = navFor(r.Context(), v.Actor)
	v.Here = here(r)
	v.Site, _ = r.Context().Value(siteKey{}).(SiteInfo)
	if c, err := r.Cookie(flashCookie); err == nil {
		if i18n.Has(p.Lang, c.Value) {
			v.Flash = c.Value
		}
		SetCookie(w, r, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	return v
}

// Can reports whether the actor holds one of the named roles.
func (v *View) Can(roles ...string) bool {
	rs := make([]actor.Role, len(roles))
	for i, r := range roles {
		rs[i] = actor.Role(r)
	}
	return v.Actor.Is(rs...)
}

// LangURL is the language switch's link, which comes back to this page.
func (v *View) LangURL(lang string) string {
	return "/lang/" + lang + "?next=" + url.QueryEscape(v.Here)
}

// LoginURL signs in and comes back to this page.
func (v *View) LoginURL() string {
	if v.Here == "/" || strings.HasPrefix(v.Here, "/login") {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(v.Here)
}

// MenuURL opens the menu page, which offers the way back to this page.
func (v *View) MenuURL() string {
	if v.Path == "/menu" {
		return v.Here
	}
	return "/menu?next=" + url.QueryEscape(v.Here)
}

// Crumb is one step of the breadcrumbs above a page: a catalogue key and
// where it leads.
type Crumb struct {
	Key  string
	Href string
}

// Crumbs is the way back from a page below a menu entry (a facility under
// "시설 예약", a course under "강좌"): the home, then the deepest menu entry
// whose path holds this page's path. The home and a menu entry's own page
// have none, since the menu already marks where they are, and the page's own
// heading follows the trail, so it is not repeated in it. A page may add the
// steps between its menu entry and itself with a "crumbs" template; a step
// of a task has none (see View.task).
func (v *View) Crumbs() []Crumb {
	if v.task {
		return nil
	}
	var best *NavItem
	for _, g := range v.Nav {
		for i := range g.Items {
			it := &g.Items[i]
			href, _, _ := strings.Cut(it.Href, "?")
			if href == "/" || !strings.HasPrefix(v.Path, strings.TrimSuffix(href, "/")+"/") {
				continue
			}
			if best == nil || len(href) > len(strings.SplitN(best.Href, "?", 2)[0]) {
				best = it
			}
		}
	}
	if best == nil {
		return nil
	}
	home := "layout.crumb_home"
	if v.Actor != nil {
		home = "home.title"
	}
	href, _, _ := strings.Cut(best.Href, "?")
	return []Crumb{{Key: home, Href: "/"}, {Key: best.Key, Href: href}}
}

// here is the page a person is on, to come back to after a toggle: the
// request itself when it was a GET, otherwise the page of the form that
// was sent (the Referer, if it is ours), since the answer to a POST cannot
// be fetched again.
func here(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return SafeNext(r.URL.RequestURI())
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return SafeNext(ref.RequestURI())
	}
	return "/"
}

const flashCookie = "maeul_flash"

// Flash sets a one-time message (a catalogue key) shown on the next page.
func Flash(w http.ResponseWriter, r *http.Request, key string) {
	SetCookie(w, r, &http.Cookie{Name: flashCookie, Value: key, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// Redirect answers a POST with 303 See Other, so reloading does not resubmit.
// It goes only to a path of this site (SafeNext): anything else goes home.
func Redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) error {
	if flashKey != "" {
		Flash(w, r, flashKey)
	}
	http.Redirect(w, r, SafeNext(to), http.StatusSeeOther)
	return nil
}

// Option is one choice of a <select>.
type Option struct {
	Value string
	Label string
}

// T translates key into the request's language, for text built in handlers.
func T(r *http.Request, key string, args ...any) string {
	return i18n.For(PrefsFrom(r.Context()).Lang).T(key, args...)
}
