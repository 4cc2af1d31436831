package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/i18n"
)

// Prefs are the visitor's display choices. They live in cookies so that they
// hold before sign-in and on every instance behind a load balancer.
type Prefs struct {
	Lang         string
	LargeText    bool
	HighContrast bool
}

type prefsKey struct{}

// PrefsFrom returns the preferences of a request (Korean by default).
func PrefsFrom(ctx context.Context) Prefs {
	if p, ok := ctx.Value(prefsKey{}).(Prefs); ok {
		return p
	}
	return Prefs{Lang: i18n.Langs[0]}
}

// WithPrefs returns ctx carrying p; for tests and background jobs.
func WithPrefs(ctx context.Context, p Prefs) context.Context {
	return context.WithValue(ctx, prefsKey{}, p)
}

const (
	langCookie     = "maeul_lang"
	textCookie     = "maeul_text"
	contrastCookie = "maeul_contrast"
)

func readPrefs(r *http.Request) Prefs {
	var chosen string
	if c, err := r.Cookie(langCookie); err == nil {
		chosen = c.Value
	}
	p := Prefs{Lang: i18n.Negotiate(r, chosen)}
	if c, err := r.Cookie(textCookie); err == nil && c.Value == "large" {
		p.LargeText = true
	}
	if c, err := r.Cookie(contrastCookie); err == nil && c.Value == "high" {
		p.HighContrast = true
	}
	return p
}

func setPref(w http.ResponseWriter, r *http.Request, name, value string) {
	SetCookie(w, r, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int((400 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

// SafeNext keeps redirects on this site: it returns next when it is a path
// of this site ("/courses?x=1"), else "/". It is the one check of every
// "next", "back" or return address that a request carries; whatever a
// browser could read as another site or a script is refused:
//
//   - anything that does not start with one "/": "https://evil.example",
//     "javascript:…", `\/\/evil`, "evil.example";
//   - "//evil.example" and `/\evil.example`, which browsers read as
//     another host (a backslash is a slash to them);
//   - control characters anywhere (tab, CR, LF, NUL, DEL), which browsers
//     drop from addresses, so that "/<tab>/evil.example" becomes
//     "//evil.example";
//   - a path that decodes to any of these ("/%2F%2Fevil.example",
//     "/%5Cevil", "/%09/evil"), or does not decode, since a proxy or a
//     later redirect may decode it once more.
func SafeNext(next string) string {
	if !sameSitePath(next) {
		return "/"
	}
	return next
}

func sameSitePath(next string) bool {
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	path, _, _ := strings.Cut(next, "?")
	path, _, _ = strings.Cut(path, "#")
	// Decode until nothing changes, so that double encoding hides nothing.
	for range 4 {
		if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.Contains(path, "\\") {
			return false
		}
		for _, c := range path {
			if c < 0x20 || c == 0x7f {
				return false
			}
		}
		dec, err := url.PathUnescape(path)
		if err != nil {
			return false
		}
		if dec == path {
			return true
		}
		path = dec
	}
	return false
}

// RegisterPrefs adds the language switch and the display toggles. The
// language switch is a link (GET) so it works from any page without a form;
// the toggles are forms.
func RegisterPrefs(rt *Router) {
	rt.Handle("GET /lang/{lang}", func(w http.ResponseWriter, r *http.Request) error {
		lang := r.PathValue("lang")
		if i18n.For(lang).Lang == lang {
			setPref(w, r, langCookie, lang)
		}
		http.Redirect(w, r, SafeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	})
	rt.Handle("GET /accessibility", func(w http.ResponseWriter, r *http.Request) error {
		return errorViews.Render(w, r, http.StatusOK, "accessibility", nil)
	})
	// The menu as a page: what the "메뉴" button opens on a phone, where
	// the grouped menu does not fit beside the page.
	rt.Handle("GET /menu", func(w http.ResponseWriter, r *http.Request) error {
		back := ""
		if next := r.URL.Query().Get("next"); next != "" {
			if back = SafeNext(next); back == "/menu" || strings.HasPrefix(back, "/menu?") {
				back = ""
			}
		}
		return errorViews.Render(w, r, http.StatusOK, "menu", map[string]any{"Back": back})
	})
	rt.AddNav(NavItem{Key: "layout.accessibility", Href: "/accessibility", Group: GroupHelp})
	// The toggles answer a script (prefs.js) with 204, so the page stays
	// as it is, with whatever was typed in it; without a script the form
	// comes back to the page it was on.
	rt.Handle("POST /prefs", func(w http.ResponseWriter, r *http.Request) error {
		switch r.PostFormValue("toggle") {
		case "text":
			v := "large"
			if PrefsFrom(r.Context()).LargeText {
				v = "normal"
			}
			setPref(w, r, textCookie, v)
		case "contrast":
			v := "high"
			if PrefsFrom(r.Context()).HighContrast {
				v = "normal"
			}
			setPref(w, r, contrastCookie, v)
		}
		if r.Header.Get("Accept") == "application/json" {
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		http.Redirect(w, r, SafeNext(r.PostFormValue("next")), http.StatusSeeOther)
		return nil
	})
}
