package api

import (
	_ "embed"
	"net/http"

	"github.com/maeul/maeul/internal/web"
)

//go:embed openapi.json
var Document []byte

// Register serves the document.
func Register(rt *web.Router) {
	rt.Handle("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, err := w.Write(Document)
		return err
	})
}
