package web

import (
	"context"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/maeul/maeul/internal/errs"
)

// HandlerFunc is a handler that returns its error for Error to answer.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one registered pattern, for the OpenAPI check and the route list.
type Route struct {
	Method string
	Path   string
	API    bool
}

// Router wraps http.ServeMux so every route is timed and counted under its
// pattern, and so the set of API routes can be compared with the OpenAPI
// document.
type Router struct {
	mux     *http.ServeMux
	routes  []Route
	metrics *Metrics
	nav     []NavItem
	uploads map[string]int64 // pattern -> the most its body may hold, for routes that take files
}

// NewRouter returns an empty router reporting to m.
func NewRouter(m *Metrics) *Router {
	return &Router{mux: http.NewServeMux(), metrics: m, uploads: map[string]int64{}}
}

// RouteOption changes how a route is served.
type RouteOption func(rt *Router, pattern string)

// Upload marks a route that takes a file: its body may hold maxBytes
// rather than DefaultMaxBody, and it has UploadTimeout to arrive rather
// than the server's read timeout (see LimitBodies).
func Upload(maxBytes int64) RouteOption {
	return func(rt *Router, pattern string) { rt.uploads[pattern] = maxBytes }
}

// Handle registers h for a pattern such as "GET /courses/{id}".
func (rt *Router) Handle(pattern string, h HandlerFunc, opts ...RouteOption) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		panic("web: route pattern without method: " + pattern)
	}
	for _, o := range opts {
		o(rt, pattern)
	}
	rt.routes = append(rt.routes, Route{Method: method, Path: path, API: strings.HasPrefix(path, "/api/")})
	hist := rt.metrics.duration.MustCurryWith(prometheus.Labels{"route": pattern})
	count := rt.metrics.requests.MustCurryWith(prometheus.Labels{"route": pattern})
	rt.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		if err := h(sw, r); err != nil {
			Error(sw, r, err)
		}
		took := time.Since(start)
		hist.WithLabelValues().Observe(took.Seconds())
		// Only the pattern: paths and queries may hold personal data.
		slog.LogAttrs(r.Context(), slog.LevelDebug, "http", slog.String("route", pattern),
			slog.Int("status", sw.status), slog.Duration("took", took))
		count.WithLabelValues(statusClass(sw.status)).Inc()
	})
}

// HandleHTTP registers a plain http.Handler (static files, metrics).
func (rt *Router) HandleHTTP(pattern string, h http.Handler) {
	rt.Handle(pattern, func(w http.ResponseWriter, r *http.Request) error {
		h.ServeHTTP(w, r)
		return nil
	})
}

// Routes returns the registered routes sorted by path and method.
func (rt *Router) Routes() []Route {
	out := append([]Route(nil), rt.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// ServeHTTP answers 404 in the layout for unknown paths.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(context.WithValue(r.Context(), navKey{}, rt.nav))
	if _, pattern := rt.mux.Handler(r); pattern == "" {
		if allow := rt.allowed(r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			Error(w, r, errs.New(errs.MethodNotAllowed, "error.method_not_allowed"))
			return
		}
		NotFound(w, r)
		return
	}
	rt.mux.ServeHTTP(w, r)
}

type statusWriter struct {
	http.ResponseWriter
	status  int
	written bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.written {
		s.status = code
		s.written = true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.written = true
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func statusClass(code int) string {
	return string(rune('0'+code/100)) + "xx"
}

// allowed lists the methods that have a route for r's path.
func (rt *Router) allowed(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := rt.mux.Handler(probe); pattern != "" {
			out = append(out, m)
		}
	}
	return out
}
