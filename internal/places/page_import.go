package places

import (
	"io"
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/web"
)

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

func (h *Handlers) importSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	return web.ImportForm(w, r, MaxImportBytes, func(file io.Reader) (ImportResult, error) {
		f, err := ParseImport(file)
		if err != nil {
			return ImportResult{}, err
		}
		return h.svc.Import(r.Context(), f)
	}, func(status int, res *ImportResult, out web.ImportOutcome) error {
		return h.renderImport(w, r, status, importPage{ImportOutcome: out, Result: res})
	})
}
