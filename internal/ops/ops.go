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
	rt.Handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) error {
		return web.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	rt.Handle("GET /readyz", func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.Ping(ctx); err != nil {
			return web.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		}
		return web.JSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	rt.HandleHTTP("GET /metrics", m.Handler())
}
