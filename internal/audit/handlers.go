package audit

import (
	"context"
	"embed"
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Names resolves account ids to names for the audit page; the app passes
// the accounts store's, so that audit imports no part.
type Names func(ctx context.Context, ids []int64) (map[int64]string, error)

// Handlers serves the audit log to system admins.
type Handlers struct {
	db    *db.DB
	names Names
	views *web.Views
}

// Register adds the audit log page and API for system admins. Reading the
// log is itself recorded.
func Register(rt *web.Router, d *db.DB, names Names) {
	h := &Handlers{db: d, names: names, views: web.MustViews(templateFS)}
	rt.Handle("GET /admin/audit", h.page)
	rt.Handle("GET /api/v1/audit", h.api)
	rt.AddNav(web.NavItem{Key: "nav.audit", Href: "/admin/audit", Group: web.GroupWorkAdmin, Roles: []actor.Role{actor.SysAdmin}})
}

// list is the entries the request's filter asks for and the names of
// their accounts; the reading is recorded.
func (h *Handlers) list(r *http.Request) ([]Row, map[int64]string, error) {
	if _, err := actor.Require(r.Context(), actor.SysAdmin); err != nil {
		return nil, nil, err
	}
	q := r.URL.Query()
	f := Filter{SubjectType: q.Get("subject_type"), SubjectID: q.Get("subject_id"), Limit: 200}
	f.ActorID, _ = strconv.ParseInt(q.Get("actor"), 10, 64)
	rows, err := List(r.Context(), h.db, f)
	if err != nil {
		return nil, nil, err
	}
	var ids []int64
	for _, row := range rows {
		ids = append(ids, row.ActorID, row.OnBehalfOf)
	}
	who, err := h.names(r.Context(), ids)
	if err != nil {
		return nil, nil, err
	}
	return rows, who, Record(r.Context(), h.db.Write(), Entry{Action: "audit.read", SubjectType: "audit_log"})
}

func (h *Handlers) page(w http.ResponseWriter, r *http.Request) error {
	rows, who, err := h.list(r)
	if err != nil {
		return err
	}
	types, err := SubjectTypes(r.Context(), h.db)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "audit", map[string]any{"Rows": rows, "Names": who, "Query": r.URL.Query(), "SubjectTypes": types})
}

func (h *Handlers) api(w http.ResponseWriter, r *http.Request) error {
	rows, _, err := h.list(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"entries": rows})
}
