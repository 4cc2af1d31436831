package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/app/apptest"
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

// BenchmarkHome serves 내 마을 to a signed-in citizen and the staff's home to
// a programme admin, in process, with the full demo city (its places,
// bookings and news included), beside the catalogue page for scale.
func BenchmarkHome(b *testing.B) {
	d := dbtest.SQLite(b)
	res, err := demo.Generate(context.Background(), d, demo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	drivers, messages := apptest.MessagesFile(b)
	a, err := app.New(d, app.Options{Demo: true, IssuerSecret: []byte("maeul test issuer secret, 32 by."), Drivers: drivers})
	if err != nil {
		b.Fatal(err)
	}
	ta := &apptest.App{App: a, Staff: map[string]string{}, Phone: res.SamplePhone, Messages: messages}
	for _, acc := range res.Accounts {
		ta.Staff[acc.Username] = acc.Password
	}
	ta.Server = httptest.NewServer(ta)
	b.Cleanup(ta.Server.Close)
	citizen, staff := ta.Client(b), ta.Client(b)
	ta.SignInCitizen(b, citizen, ta.Phone)
	ta.SignInStaff(b, staff, "funds")
	u, _ := url.Parse(ta.Server.URL)
	for _, c := range []struct {
		name string
		who  *apptest.Client
		path string
	}{{"citizen", citizen, "/"}, {"staff", staff, "/"}, {"citizen-api", citizen, "/api/v1/me/home"}, {"catalogue", citizen, "/courses"}} {
		cookies := c.who.HTTP.Jar.Cookies(u)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest(http.MethodGet, c.path, nil)
					for _, ck := range cookies {
						req.AddCookie(ck)
					}
					w := httptest.NewRecorder()
					a.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}
