package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// Public is how people reach the site, the one source of every absolute
// link, issuer URL, did:web identifier and cookie flag.
type Public struct {
	// URL is the public base address: scheme, host, optional port and
	// path, no trailing slash (see ParsePublicURL). Empty: each request's
	// own scheme and Host header, which the client chooses, so only for a
	// server started on a loopback address (development).
	URL string
	// SecureCookies marks every cookie Secure even when URL is not https
	// (an HTTPS proxy in front of a plain-HTTP public address).
	SecureCookies bool
}

// HSTS is the Strict-Transport-Security header sent on HTTPS responses:
// two years, subdomains included.
const HSTS = "max-age=63072000; includeSubDomains"

// ParsePublicURL checks a configured public address: absolute http or
// https, with a host, without user, query or fragment. It returns it
// without a trailing slash.
func ParsePublicURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", errors.New("public URL: " + err.Error())
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" {
		return "", errors.New("public URL " + s + ": it must start with https:// (or http://) and name a host")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", errors.New("public URL " + s + ": no user, query or fragment")
	}
	return strings.TrimSuffix(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

type publicKey struct{}

// Middleware puts p into every request's context, where BaseURL,
// AbsURL and SetCookie find it, and sends HSTS on HTTPS responses: those
// served over TLS here, or through a proxy to an https public address.
func (p Public) Middleware() Middleware {
	https := strings.HasPrefix(p.URL, "https://")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if https || r.TLS != nil {
				w.Header().Set("Strict-Transport-Security", HSTS)
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), publicKey{}, p)))
		})
	}
}

func publicOf(r *http.Request) Public {
	p, _ := r.Context().Value(publicKey{}).(Public)
	return p
}

// BaseURL is the site's public base address for r, without a trailing
// slash: the configured one, or, when none is (a development server on
// loopback), the scheme and Host the request came with.
func BaseURL(r *http.Request) string {
	if p := publicOf(r); p.URL != "" {
		return p.URL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// AbsURL is the absolute public address of a path on this site.
func AbsURL(r *http.Request, path string) string { return BaseURL(r) + path }

// SecureRequest reports whether cookies set in answer to r must be
// Secure: the request came over TLS, the public address is https, or
// Secure cookies were asked for.
func SecureRequest(r *http.Request) bool {
	p := publicOf(r)
	return r.TLS != nil || p.SecureCookies || strings.HasPrefix(p.URL, "https://")
}

// SetCookie sets c, Secure whenever SecureRequest says so. Every cookie of
// the site goes through here.
func SetCookie(w http.ResponseWriter, r *http.Request, c *http.Cookie) {
	c.Secure = c.Secure || SecureRequest(r)
	http.SetCookie(w, c)
}
