package ledger

import (
	"net/http"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// Register serves the log as C2SP tlog-tiles under /ledger/: the newest
// checkpoint, the tiles and entry bundles, and the note verifier key.
func Register(rt *web.Router, l *Log) {
	rt.Handle("GET /ledger/checkpoint", func(w http.ResponseWriter, r *http.Request) error {
		cp, err := l.Checkpoint(r.Context())
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, err = w.Write(cp)
		return err
	})
	rt.Handle("GET /ledger/vkey", func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, err := w.Write([]byte(l.VerifierKey() + "\n"))
		return err
	})
	rt.Handle("GET /ledger/tile/{path...}", func(w http.ResponseWriter, r *http.Request) error {
		level, index, width, err := ParseTilePath("tile/" + r.PathValue("path"))
		if err != nil {
			return errs.New(errs.NotFound, "ledger.tile_not_found")
		}
		b, err := l.ReadTile(r.Context(), level, index, width)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		// A tile, full or partial, never changes once it exists.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		_, err = w.Write(b)
		return err
	})
}
