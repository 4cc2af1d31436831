package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/maeul/maeul/internal/errs"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws so that the first is outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// Recover turns a panic into a 500 and a log line with the stack.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.ErrorContext(r.Context(), "panic", "value", v, "stack", string(debug.Stack()))
				// The panic may have come before the preferences were read.
				r = r.WithContext(WithPrefs(r.Context(), readPrefs(r)))
				Error(w, r, errs.New(errs.Internal, "error.internal"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// SiteInfo is what the layout shows about this installation.
type SiteInfo struct {
	Demo bool // the database holds generated demo data: say so on every page
}

type siteKey struct{}

// Site puts info into every request's context.
func Site(info SiteInfo) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), siteKey{}, info)))
		})
	}
}

// SecurityHeaders sets a strict content security policy: no inline script,
// no third-party origins (every asset is embedded).
func SecurityHeaders(next http.Handler) http.Handler { return SecurityHeadersAllowing()(next) }

// SecurityHeadersAllowing is SecurityHeaders that also lets images come
// from the given origins: the tile server a city may configure for its
// maps.
func SecurityHeadersAllowing(imageOrigins ...string) func(http.Handler) http.Handler {
	csp := "default-src 'self'; img-src 'self' data:" + strings.Join(append([]string{""}, imageOrigins...), " ") +
		"; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
			next.ServeHTTP(w, r)
		})
	}
}

// WithPrefsMiddleware reads the display preferences into the context.
func WithPrefsMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(WithPrefs(r.Context(), readPrefs(r))))
	})
}

const csrfCookie = "maeul_csrf"

type csrfKey struct{}

// CSRFToken returns the token that forms of this request must echo.
func CSRFToken(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

// CSRF protects state-changing requests twice: the browser's own
// cross-origin signals (Sec-Fetch-Site, Origin) and a double-submit token
// that every form carries in the "csrf" field and API clients in the
// X-CSRF-Token header.
func CSRF(next http.Handler) http.Handler { return CSRFExcept()(next) }

// CSRFExcept is CSRF except under the path prefixes given: protocol
// endpoints that wallets call from anywhere, authenticated by codes and
// tokens rather than cookies, so that forged requests gain nothing.
func CSRFExcept(prefixes ...string) Middleware {
	return func(next http.Handler) http.Handler { return csrf(next, prefixes) }
}

// RotateCSRF gives the browser a new double-submit token and returns it.
// Signing in calls it, so a token from before sign-in (one an attacker may
// have planted or read) does not carry over into the session.
func RotateCSRF(w http.ResponseWriter, r *http.Request) string {
	b := make([]byte, 24)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	SetCookie(w, r, &http.Cookie{Name: csrfCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
	return token
}

func csrf(next http.Handler, exempt []string) http.Handler {
	cop := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range exempt {
			if strings.HasPrefix(r.URL.Path, p) {
				next.ServeHTTP(w, r)
				return
			}
		}
		token := ""
		if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
			token = c.Value
		} else {
			token = RotateCSRF(w, r)
		}
		r = r.WithContext(context.WithValue(r.Context(), csrfKey{}, token))
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if err := cop.Check(r); err != nil {
				Error(w, r, errs.New(errs.Forbidden, "error.csrf"))
				return
			}
			sent := r.Header.Get("X-CSRF-Token")
			if sent == "" {
				sent = r.PostFormValue("csrf")
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
				Error(w, r, errs.New(errs.Forbidden, "error.csrf"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
