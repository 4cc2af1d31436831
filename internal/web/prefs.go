package web

import (
	"context"
	"net/http"
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

func setPref(w http.ResponseWriter, name, value string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int((400 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

// SafeNext keeps redirects on this site.
func SafeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// RegisterPrefs adds the language switch and the display toggles. The
// language switch is a link (GET) so it works from any page without a form;
// the toggles are forms.
func RegisterPrefs(rt *Router) {
	rt.Handle("GET /lang/{lang}", func(w http.ResponseWriter, r *http.Request) error {
		lang := r.PathValue("lang")
		if i18n.For(lang).Lang == lang {
			setPref(w, langCookie, lang)
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
			setPref(w, textCookie, v)
		case "contrast":
			v := "high"
			if PrefsFrom(r.Context()).HighContrast {
				v = "normal"
			}
			setPref(w, contrastCookie, v)
		}
		if r.Header.Get("Accept") == "application/json" {
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		http.Redirect(w, r, SafeNext(r.PostFormValue("next")), http.StatusSeeOther)
		return nil
	})
}
