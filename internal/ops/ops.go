package ops

import (
	"context"
	"net/http"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/web"
)

// Register adds the operator endpoints.
func Register(rt *web.Router, d *db.DB, m *web.Metrics) {
	h := &Handlers{db: d}
	rt.Handle("GET /healthz", h.healthz)
	rt.Handle("GET /readyz", h.readyz)
	rt.HandleHTTP("GET /metrics", m.Handler())
}

// Handlers answers the operator's probes.
type Handlers struct{ db *db.DB }

// healthz says the process answers.
func (h *Handlers) healthz(w http.ResponseWriter, r *http.Request) error {
	return web.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says the database answers too.
func (h *Handlers) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := h.db.Ping(ctx); err != nil {
		return web.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return web.JSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
