package guides

import (
	"bytes"
	"io"
	"net/http"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/web"
)

type importPage struct {
	web.ImportOutcome
	Result   *ImportResult
	Columns  []string
	Required int
}

func (h *Handlers) renderImport(w http.ResponseWriter, r *http.Request, status int, p importPage) error {
	p.Columns, p.Required = HotspotColumns[:8], requiredHotspotColumns
	return h.views.Render(w, r, status, "import", p)
}

func (h *Handlers) importPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, adminRoles...); err != nil {
		return err
	}
	return h.renderImport(w, r, http.StatusOK, importPage{})
}

func (h *Handlers) importSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, adminRoles...); err != nil {
		return err
	}
	return web.ImportForm(w, r, MaxImportBytes, func(file io.Reader) (ImportResult, error) {
		return h.svc.ImportCSV(r.Context(), file)
	}, func(status int, res *ImportResult, out web.ImportOutcome) error {
		return h.renderImport(w, r, status, importPage{ImportOutcome: out, Result: res})
	})
}

// hotspotsCSV downloads every hotspot as an import file, to edit and send
// back: with no hotspot yet it is the empty file to start from.
func (h *Handlers) hotspotsCSV(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, adminRoles...); err != nil {
		return err
	}
	hs, err := h.svc.Hotspots(r.Context())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := WriteHotspots(&buf, hs); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="maeul-hotspots.csv"`)
	_, err = w.Write(buf.Bytes())
	return err
}
