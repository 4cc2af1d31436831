package ledger

import (
	"net/http"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// Register serves the log as C2SP tlog-tiles under /ledger/: the newest
// checkpoint, the tiles and entry bundles, and the note verifier key.
func Register(rt *web.Router, l *Log) {
	h := &Handlers{log: l}
	rt.Handle("GET /ledger/checkpoint", h.checkpoint)
	rt.Handle("GET /ledger/vkey", h.vkey)
	rt.Handle("GET /ledger/tile/{path...}", h.tile)
}

// Handlers serves the log's files.
type Handlers struct{ log *Log }

func (h *Handlers) checkpoint(w http.ResponseWriter, r *http.Request) error {
	cp, err := h.log.Checkpoint(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err = w.Write(cp)
	return err
}

func (h *Handlers) vkey(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write([]byte(h.log.VerifierKey() + "\n"))
	return err
}

func (h *Handlers) tile(w http.ResponseWriter, r *http.Request) error {
	level, index, width, err := ParseTilePath("tile/" + r.PathValue("path"))
	if err != nil {
		return errs.New(errs.NotFound, "ledger.tile_not_found")
	}
	b, err := h.log.ReadTile(r.Context(), level, index, width)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	// A tile, full or partial, never changes once it exists.
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err = w.Write(b)
	return err
}
