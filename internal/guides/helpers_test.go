package guides

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// monday is Monday 7 December 2026, 10:00 in the city.
var monday = time.Date(2026, 12, 7, 10, 0, 0, 0, i18n.Zone)

type fixture struct {
	t     testing.TB
	svc   *Service
	db    *db.DB
	users *auth.Users
	now   time.Time
	admin context.Context
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: d, users: auth.NewUsers(d), now: monday}
	f.svc = NewService(d, Options{ZoneName: func(code, lang string) string {
		return map[string]string{"Z1": "서면생활권", "Z2": "부전생활권"}[code]
	}})
	f.svc.Now = func() time.Time { return f.now }
	f.admin = f.staff(actor.CentreAdmin, "coordinator")
	return f
}

var seq atomic.Int64

func (f *fixture) staff(role actor.Role, name string) context.Context {
	f.t.Helper()
	u, err := f.users.Create(context.Background(), auth.NewUser{Role: role, Name: name, Username: fmt.Sprintf("%s%d", strings.ToLower(string(role)), seq.Add(1)), Password: "correct horse battery"})
	if err != nil {
		f.t.Fatal(err)
	}
	return actor.With(context.Background(), &actor.Actor{Person: actor.Person{ID: u.ID, Name: u.Name, Role: role}, Channel: actor.Online})
}

// guide makes an account a guide with an area given as zones.
func (f *fixture) guide(name, zones string) context.Context {
	f.t.Helper()
	ctx := f.staff(actor.Guide, name)
	if _, err := f.svc.SaveGuide(f.admin, GuideInput{UserID: idOf(ctx), Name: name, Zones: zones, Active: true}); err != nil {
		f.t.Fatal(err)
	}
	return ctx
}

func (f *fixture) shift(ctx context.Context, day string, start, end int) {
	f.t.Helper()
	if _, err := f.svc.AddShift(f.admin, Shift{GuideID: idOf(ctx), Day: day, Start: start, End: end}); err != nil {
		f.t.Fatal(err)
	}
}

// hotspots imports a file and returns the hotspots by ref.
func (f *fixture) hotspots(csv string) map[string]Hotspot {
	f.t.Helper()
	if _, err := f.svc.ImportCSV(f.admin, strings.NewReader(csv)); err != nil {
		f.t.Fatal(err)
	}
	hs, err := f.svc.Hotspots(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]Hotspot{}
	for _, h := range hs {
		out[h.Ref] = h
	}
	return out
}

func idOf(ctx context.Context) int64 { return actor.From(ctx).ID }

// hoursRow is a CSV row's h00..h23 with n people in each of hours.
func hoursRow(n int, hours ...int) string {
	cells := make([]string, 24)
	for i := range cells {
		cells[i] = "0"
	}
	for _, h := range hours {
		cells[h] = fmt.Sprint(n)
	}
	return strings.Join(cells, ",")
}

var header = strings.Join(HotspotColumns, ",")

// threeSpots: a station and a market in Z1, a senior centre in Z2.
var threeSpots = header + "\n" +
	"stn,mon-fri,서면역,station,35.157800,129.059900,Seomyeon Station,Z1," + hoursRow(300, 9, 10, 11) + "\n" +
	"stn,sat sun,,,,,,," + hoursRow(100, 10, 11) + "\n" +
	"mkt,평일,부전시장,market,35.162000,129.061000,Bujeon Market,Z1," + hoursRow(200, 9, 10) + "\n" +
	"ctr,월~금,부전노인복지관,senior_centre,35.170000,129.070000,,Z2," + hoursRow(80, 10, 11, 12, 13) + "\n"

func wantErr(t *testing.T, name string, err error, code errs.Code, key string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != code || e.Key != key {
		t.Errorf("%s: err = %v, want %s %s", name, err, code, key)
	}
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// together runs fn n times at once and returns the errors.
func together(n int, fn func(i int) error) []error {
	out := make([]error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			out[i] = fn(i)
		}()
	}
	close(gate)
	wg.Wait()
	return out
}
