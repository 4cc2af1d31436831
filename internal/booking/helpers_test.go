package booking

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/places"
)

// fakePlaces is the places part as booking sees it.
type fakePlaces struct {
	facilities map[int64]places.Facility
	zones      map[string]places.Zone
	gazetteer  []places.Place // what Locate finds
}

func (f *fakePlaces) Facility(_ context.Context, id int64) (places.Facility, error) {
	x, ok := f.facilities[id]
	if !ok {
		return x, errs.New(errs.NotFound, "places.facility_not_found")
	}
	return x, nil
}

func (f *fakePlaces) Zone(_ context.Context, code string) (places.Zone, error) {
	z, ok := f.zones[code]
	if !ok {
		return z, errs.New(errs.NotFound, "places.zone_not_found")
	}
	return z, nil
}

const facilityID = 7

type fixture struct {
	t      testing.TB
	svc    *Service
	db     *db.DB
	users  *auth.Users
	places *fakePlaces
	now    time.Time
	admin  context.Context
	// district and birth year of each citizen, as the app would give them
	district map[int64]string
	born     map[int64]int
}

// start is Tuesday 1 December 2026, 10:00 in the city.
var start = time.Date(2026, 12, 1, 10, 0, 0, 0, i18n.Zone)

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	h, err := places.ParseHours("Mo-Sa 09:00-21:00; Su off")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: d, users: auth.NewUsers(d), now: start, district: map[int64]string{}, born: map[int64]int{},
		places: &fakePlaces{
			facilities: map[int64]places.Facility{facilityID: {ID: facilityID, NameKo: "해운대 체육센터", NameEn: "Haeundae Sports Centre", Zone: "Z1", Hours: h}},
			zones:      map[string]places.Zone{"Z1": {Code: "Z1", District: "26350"}},
		}}
	n := notify.New(d, f.users, nil)
	f.svc = New(d, f.places, n, Options{
		District:  func(_ context.Context, id int64) (string, error) { return f.district[id], nil },
		BirthYear: func(_ context.Context, id int64) (int, error) { return f.born[id], nil },
		Names:     f.users.Names,
	})
	f.svc.Now = func() time.Time { return f.now }
	f.admin = f.staff(actor.CentreAdmin, "centre")
	return f
}

func (f *fixture) staff(role actor.Role, username string) context.Context {
	f.t.Helper()
	u, err := f.users.Create(context.Background(), auth.NewUser{Role: role, Name: username, Username: username, Password: "correct horse battery"})
	if err != nil {
		f.t.Fatal(err)
	}
	return actor.With(context.Background(), &actor.Actor{Person: actor.Person{ID: u.ID, Name: u.Name, Role: role}, Channel: actor.Online})
}

var phoneSeq atomic.Int64

// citizens creates n citizen accounts at once and returns a signed-in
// context for each.
func (f *fixture) citizens(n int) []context.Context {
	f.t.Helper()
	ns := make([]auth.NewUser, n)
	for i := range ns {
		n := phoneSeq.Add(1)
		ns[i] = auth.NewUser{Name: fmt.Sprintf("시민%d", n), Phone: fmt.Sprintf("010-7%03d-%04d", n/10000, n%10000)}
	}
	var ids map[string]int64
	err := f.db.Tx(context.Background(), func(tx *sql.Tx) error {
		var err error
		ids, err = f.users.CreateCitizensTx(context.Background(), tx, ns)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]context.Context, n)
	for i, u := range ns {
		phone, err := auth.NormalizePhone(u.Phone)
		if err != nil {
			f.t.Fatal(err)
		}
		id, ok := ids[phone]
		if !ok {
			f.t.Fatalf("no id for %s", phone)
		}
		out[i] = actor.With(context.Background(), &actor.Actor{Person: actor.Person{ID: id, Name: u.Name, Role: actor.Citizen}, Channel: actor.Online})
	}
	return out
}

func userOf(ctx context.Context) int64 { return actor.From(ctx).ID }

// resource saves a resource with the rules of base, filling what is unset.
func (f *fixture) resource(base Resource) Resource {
	f.t.Helper()
	if base.FacilityID == 0 {
		base.FacilityID = facilityID
	}
	if base.Kind == "" {
		base.Kind = "court"
	}
	if base.NameKo == "" {
		base.NameKo = "배드민턴 코트"
	}
	if base.Capacity == 0 {
		base.Capacity = 4
	}
	if base.MaxParty == 0 {
		base.MaxParty = base.Capacity
	}
	if base.SlotMinutes == 0 {
		base.SlotMinutes = 60
	}
	if base.DaysAhead == 0 {
		base.DaysAhead = 14
	}
	if base.Eligibility == "" {
		base.Eligibility = Everyone
	}
	if base.Allocation == "" {
		base.Allocation = FirstCome
	}
	if base.DrawDays == 0 {
		base.DrawDays, base.DrawHour = DefaultDrawDays, DefaultDrawHour
	}
	base.Active = true
	r, err := f.svc.SaveResource(f.admin, base)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// at is a time on the day days after the fixture's start, city time.
func at(days, hour, minute int) time.Time {
	return time.Date(2026, 12, 1+days, hour, minute, 0, 0, i18n.Zone)
}

func wantKey(t testing.TB, err error, key string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Key != key {
		t.Fatalf("got %v, want the refusal %s", err, key)
	}
}

// state is everything a refusal must leave unchanged.
type state struct{ slots, taken, bookings, people, audit int }

func (f *fixture) state() state {
	f.t.Helper()
	var s state
	err := f.db.QueryRow(context.Background(), `SELECT (SELECT COUNT(*) FROM booking_slots), (SELECT COALESCE(SUM(taken), 0) FROM booking_slots),
		(SELECT COUNT(*) FROM bookings), (SELECT COALESCE(SUM(seq), 0) FROM booking_people), (SELECT COUNT(*) FROM audit_log)`).
		Scan(&s.slots, &s.taken, &s.bookings, &s.people, &s.audit)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// slotState is a slot's places taken and its bookings by status.
func (f *fixture) slotState(resourceID int64, startsAt time.Time) (taken int, byStatus map[string]int) {
	f.t.Helper()
	byStatus = map[string]int{}
	ctx := context.Background()
	if err := f.db.QueryRow(ctx, `SELECT taken FROM booking_slots WHERE resource_id = $1 AND starts_at = $2`, resourceID, db.Time(startsAt)).Scan(&taken); err != nil {
		f.t.Fatal(err)
	}
	rows, err := f.db.Query(ctx, `SELECT b.status, COUNT(*) FROM bookings b JOIN booking_slots s ON s.id = b.slot_id
		WHERE s.resource_id = $1 AND s.starts_at = $2 GROUP BY b.status`, resourceID, db.Time(startsAt))
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			f.t.Fatal(err)
		}
		byStatus[st] = n
	}
	return taken, byStatus
}

func (f *fakePlaces) Zones(context.Context) ([]places.Zone, error) {
	out := make([]places.Zone, 0, len(f.zones))
	for _, z := range f.zones {
		out = append(out, z)
	}
	return out, nil
}

// Locate finds the places of the fake's gazetteer whose name contains the
// text, as the places part's locator finds facilities.
// Suggest gives the places of the fake's gazetteer that share two
// characters in a row with text.
func (f *fakePlaces) Suggest(_ context.Context, text string) ([]places.Place, error) {
	rs := []rune(strings.TrimSpace(text))
	var out []places.Place
	for _, p := range f.gazetteer {
		for i := 0; i+1 < len(rs); i++ {
			if strings.Contains(p.NameKo, string(rs[i:i+2])) {
				out = append(out, p)
				break
			}
		}
	}
	return out, nil
}

func (f *fakePlaces) Locate(_ context.Context, text string) ([]places.Place, error) {
	text = strings.TrimSpace(text)
	if len([]rune(text)) < 2 {
		return nil, nil
	}
	var out []places.Place
	for _, p := range f.gazetteer {
		if strings.Contains(p.NameKo, text) || strings.Contains(strings.ToLower(p.NameEn), strings.ToLower(text)) {
			out = append(out, p)
		}
	}
	return out, nil
}
