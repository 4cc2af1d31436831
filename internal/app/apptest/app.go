package apptest

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/notify"
)

// App is a running app over a demo city of 300 citizens.
type App struct {
	*app.App
	Server   *httptest.Server
	Staff    map[string]string // username -> password
	Phone    string            // a demo citizen's number
	Messages string            // the file every message is written to, as with serve --demo
}

// MessagesFile returns drivers that write every message, whole, to a file,
// as `serve --demo` does, and the file: the tests read sign-in codes there,
// where the demo's operator reads them, never in the outbox.
func MessagesFile(t testing.TB) (map[string]notify.Driver, string) {
	path := filepath.Join(t.TempDir(), "messages.jsonl")
	fd := notify.FileDriver{Path: path}
	return map[string]notify.Driver{notify.SMS: fd, notify.Email: fd}, path
}

// DemoCity is the demo city of 300 citizens, generated once per test binary
// and backend and copied for each test: every test starts from the same city
// without paying for its generation, and may run in parallel with others.
var DemoCity = &dbtest.Template[demo.Result]{Name: "demo", Build: func(ctx context.Context, d *db.DB) (demo.Result, error) {
	return demo.Generate(ctx, d, demo.Options{Citizens: 300})
}}

// SQLite is a running app over its own copy of the demo city on SQLite.
func SQLite(t testing.TB) *App {
	t.Helper()
	d, res := DemoCity.SQLite(t)
	return Start(t, d, res)
}

// Postgres is SQLite on PostgreSQL (skipped without it).
func Postgres(t testing.TB) *App {
	t.Helper()
	d, res := DemoCity.Postgres(t)
	return Start(t, d, res)
}

// EachBackend runs fn on an app over each database, as subtests named
// after them.
func EachBackend(t *testing.T, fn func(t *testing.T, ta *App)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// New generates the demo city in d, which the test has opened and
// migrated itself, and starts an app over it.
func New(t testing.TB, d *db.DB) *App {
	t.Helper()
	res, err := demo.Generate(context.Background(), d, demo.Options{Citizens: 300})
	if err != nil {
		t.Fatal(err)
	}
	return Start(t, d, res)
}

// Start starts an app over d, which holds the demo city res describes.
func Start(t testing.TB, d *db.DB, res demo.Result) *App {
	t.Helper()
	drivers, messages := MessagesFile(t)
	a, err := app.New(d, app.Options{Demo: true, IssuerSecret: []byte("maeul test issuer secret, 32 by."), Drivers: drivers})
	if err != nil {
		t.Fatal(err)
	}
	ta := &App{App: a, Staff: map[string]string{}, Phone: res.SamplePhone, Messages: messages}
	for _, a := range res.Accounts {
		ta.Staff[a.Username] = a.Password
	}
	ta.Server = httptest.NewServer(ta)
	t.Cleanup(ta.Server.Close)
	return ta
}
