package places

import (
	"errors"
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

func (h *Handlers) registerImport(rt *web.Router) {
	rt.Handle("GET /admin/places/import", h.importPage)
	rt.Handle("POST /admin/places/import", h.importSubmit, web.Upload(MaxImportBytes+web.FormEnvelope))
	rt.AddNav(web.NavItem{Key: "nav.admin_places_import", Href: "/admin/places/import", Group: web.GroupWorkTown, Roles: []actor.Role{actor.CentreAdmin}})
}

type importKind struct {
	Kind     string
	Columns  []string
	Required int
}

type importPage struct {
	web.ImportOutcome
	Result *ImportResult
	Kinds  []importKind
}

func (h *Handlers) renderImport(w http.ResponseWriter, r *http.Request, status int, p importPage) error {
	p.Kinds = []importKind{
		{ImportZones, ZoneProperties, requiredColumns[ImportZones]},
		{ImportFacilities, FacilityColumns, requiredColumns[ImportFacilities]},
		{ImportEvents, EventColumns, requiredColumns[ImportEvents]},
	}
	return h.views.Render(w, r, status, "import", p)
}

func (h *Handlers) importPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	return h.renderImport(w, r, http.StatusOK, importPage{})
}

// importFailure renders a refused file: every problem with its line, or
// the one error that stopped it.
func (h *Handlers) importFailure(w http.ResponseWriter, r *http.Request, err error) error {
	out, status, err := web.ImportRefusal(r, err)
	if err != nil {
		return err
	}
	return h.renderImport(w, r, status, importPage{ImportOutcome: out})
}

func (h *Handlers) importSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportBytes+web.FormEnvelope)
	file, _, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return h.importFailure(w, r, errs.Field("file", "places.import_too_big", MaxImportBytes>>20))
		}
		return h.importFailure(w, r, errs.Field("file", "import.file_required"))
	}
	defer file.Close()
	f, err := ParseImport(file)
	if err != nil {
		return h.importFailure(w, r, err)
	}
	res, err := h.svc.Import(r.Context(), f)
	if err != nil {
		return h.importFailure(w, r, err)
	}
	return h.renderImport(w, r, http.StatusOK, importPage{Result: &res})
}
