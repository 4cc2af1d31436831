package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/demo"
)

// BenchmarkCatalogue serves the catalogue page and its API in process, with
// the full demo city, to measure the server's own cost per request.
func BenchmarkCatalogue(b *testing.B) {
	d := dbtest.SQLite(b)
	if _, err := demo.Generate(context.Background(), d, demo.Options{}); err != nil {
		b.Fatal(err)
	}
	a, err := app.New(d, app.Options{Demo: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/courses", "/api/v1/sessions", "/courses?theme=ai&page=2"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					a.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
					if w.Code != http.StatusOK {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}
