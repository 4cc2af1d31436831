package audit

import (
	"context"
	"embed"
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Names resolves account ids to names for the audit page; the app passes
// the accounts store's, so that audit imports no part.
type Names func(ctx context.Context, ids []int64) (map[int64]string, error)

// Register adds the audit log page and API for system admins. Reading the
// log is itself recorded.
func Register(rt *web.Router, d *db.DB, names Names) {
	views := web.MustViews(templateFS)
	list := func(r *http.Request) ([]Row, map[int64]string, error) {
		a := actor.From(r.Context())
		if a == nil {
			return nil, nil, errs.New(errs.Unauthorized, "error.unauthorized")
		}
		if !a.Is(actor.SysAdmin) {
			return nil, nil, errs.New(errs.Forbidden, "error.forbidden")
		}
		q := r.URL.Query()
		f := Filter{SubjectType: q.Get("subject_type"), SubjectID: q.Get("subject_id"), Limit: 200}
		f.ActorID, _ = strconv.ParseInt(q.Get("actor"), 10, 64)
		rows, err := List(r.Context(), d, f)
		if err != nil {
			return nil, nil, err
		}
		var ids []int64
		for _, row := range rows {
			ids = append(ids, row.ActorID, row.OnBehalfOf)
		}
		who, err := names(r.Context(), ids)
		if err != nil {
			return nil, nil, err
		}
		return rows, who, Record(r.Context(), d.Write(), Entry{Action: "audit.read", SubjectType: "audit_log"})
	}
	rt.Handle("GET /admin/audit", func(w http.ResponseWriter, r *http.Request) error {
		rows, who, err := list(r)
		if err != nil {
			return err
		}
		types, err := SubjectTypes(r.Context(), d)
		if err != nil {
			return err
		}
		return views.Render(w, r, http.StatusOK, "audit", map[string]any{"Rows": rows, "Names": who, "Query": r.URL.Query(), "SubjectTypes": types})
	})
	rt.Handle("GET /api/v1/audit", func(w http.ResponseWriter, r *http.Request) error {
		rows, _, err := list(r)
		if err != nil {
			return err
		}
		return web.JSON(w, http.StatusOK, map[string]any{"entries": rows})
	})
	rt.AddNav(web.NavItem{Key: "nav.audit", Href: "/admin/audit", Group: web.GroupWorkAdmin, Roles: []actor.Role{actor.SysAdmin}})
}
