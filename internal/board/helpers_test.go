package board

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/places"
)

// fakeZones stands in for the places part.
type fakeZones struct {
	zones  []places.Zone
	events []places.EventAt
}

func (f *fakeZones) Zones(context.Context) ([]places.Zone, error) { return f.zones, nil }

func (f *fakeZones) Zone(_ context.Context, code string) (places.Zone, error) {
	for _, z := range f.zones {
		if z.Code == code {
			return z, nil
		}
	}
	return places.Zone{}, errs.New(errs.NotFound, "places.zone_not_found")
}

func (f *fakeZones) Events(_ context.Context, flt places.EventFilter) ([]places.EventAt, error) {
	var out []places.EventAt
	for _, e := range f.events {
		if (flt.Zone == "" || e.At.Zone == flt.Zone) && e.EndsAt.After(flt.From) && e.StartsAt.Before(flt.To) {
			out = append(out, e)
		}
	}
	return out, nil
}

type fixture struct {
	svc    *Service
	db     *db.DB
	users  *auth.Users
	zones  *fakeZones
	opts   Options
	now    time.Time
	myZone string
}

const zoneA, zoneB = "26230-01", "26230-02"

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{db: d, users: auth.NewUsers(d), now: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)}
	f.zones = &fakeZones{zones: []places.Zone{
		{Code: zoneA, District: "26230", NameKo: "부전생활권", NameEn: "Bujeon"},
		{Code: zoneB, District: "26230", NameKo: "전포생활권", NameEn: "Jeonpo"},
		{Code: "26440-01", District: "26440", NameKo: "명지생활권", NameEn: "Myeongji"},
		{Code: "x-01", NameKo: "시험생활권", NameEn: "Test zone"},
	}}
	f.opts = Options{Zones: f.zones, People: f.users, MyZone: func(context.Context) string { return f.myZone },
		DistrictName: func(code, lang string) string {
			return map[string]string{"26230": "부산진구", "26440": "강서구"}[code]
		}}
	f.svc = New(d, f.opts)
	f.svc.Now = func() time.Time { return f.now }
	return f
}

// citizens creates n citizen accounts and returns a signed-in context for each.
func (f *fixture) citizens(t testing.TB, n int) []context.Context {
	t.Helper()
	out := make([]context.Context, n)
	for i := range out {
		u, err := f.users.Create(context.Background(), auth.NewUser{Role: actor.Citizen, Name: fmt.Sprintf("%c민수%d", []rune("김이박최정")[i%5], i),
			Phone: fmt.Sprintf("010-6%03d-%04d", i/10000, i%10000), BirthYear: 1950, District: "26230"})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = actor.With(context.Background(), &actor.Actor{Person: actor.Person{ID: u.ID, Name: u.Name, Role: actor.Citizen}, Channel: actor.Online})
	}
	return out
}

func (f *fixture) staff(t testing.TB, role actor.Role, username string) context.Context {
	t.Helper()
	u, err := f.users.Create(context.Background(), auth.NewUser{Role: role, Name: username, Username: username, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return actor.With(context.Background(), &actor.Actor{Person: actor.Person{ID: u.ID, Name: u.Name, Role: role}, Channel: actor.Online})
}

func idOf(ctx context.Context) int64 { return actor.From(ctx).ID }

// wantErr checks an error's code and catalogue key.
func wantErr(t *testing.T, name string, err error, code errs.Code, key string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != code || e.Key != key {
		t.Errorf("%s: err = %v, want %s %s", name, err, code, key)
	}
}

// state is every row of the board's tables, to prove that a refusal
// changed nothing.
func state(t *testing.T, d *db.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, zone_code, author_id, title, body, status, reports, created_at, edited_at FROM board_posts ORDER BY id`,
		`SELECT id, post_id, author_id, body, status, reports, created_at, edited_at FROM board_comments ORDER BY id`,
		`SELECT id, item_kind, item_id, reporter_id, reason, resolved_at FROM board_reports ORDER BY id`,
		`SELECT id, item_kind, item_id, action, note, reports FROM board_moderation ORDER BY id`,
		`SELECT id, zone_code, title, body, published, pinned, published_at FROM board_news ORDER BY id`,
		`SELECT id, user_id, kind, digest, at FROM board_rate_events ORDER BY id`,
		`SELECT COUNT(*) FROM audit_log`,
	} {
		rows, err := d.Read().QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%v;", vals)
		}
		rows.Close()
		b.WriteByte('\n')
	}
	return b.String()
}

// count counts the rows a query selects.
func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) post(t *testing.T, ctx context.Context, zone, title string) Post {
	t.Helper()
	p, err := f.svc.CreatePost(ctx, zone, PostInput{Title: title, Body: "본문: " + title})
	if err != nil {
		t.Fatalf("post %q: %v", title, err)
	}
	return p
}
