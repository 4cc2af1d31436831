package learn

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/notify"
)

type fixture struct {
	svc    *Service
	users  *auth.Users
	notify *notify.Service
	db     *db.DB
	venue  Venue
	course Course
	now    time.Time
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	users := auth.NewUsers(d)
	n := notify.New(d, users, nil)
	f := &fixture{users: users, notify: n, db: d, now: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)}
	f.svc = New(d, users, n)
	f.svc.Now = func() time.Time { return f.now }
	ctx := context.Background()
	var err error
	f.venue, err = f.svc.SaveVenue(ctx, Venue{Slug: "hub-library", Kind: "hub", District: "21050", NameKo: "소담방", NameEn: "Sodambang"})
	if err != nil {
		t.Fatal(err)
	}
	f.course, err = f.svc.SaveCourse(ctx, Course{Code: "KIOSK-101", Theme: "everyday", Level: "beginner", TitleKo: "생활 속 키오스크", TitleEn: "Everyday kiosks", SessionsToComplete: 1})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) session(t testing.TB, code string, capacity int, alloc string) Session {
	t.Helper()
	n := NewSession{Code: code, CourseID: f.course.ID, VenueID: f.venue.ID, StartsAt: f.now.Add(72 * time.Hour),
		EndsAt: f.now.Add(74 * time.Hour), Capacity: capacity, Allocation: alloc}
	if alloc == Lottery {
		n.LotteryClosesAt = f.now.Add(24 * time.Hour)
	}
	s, err := f.svc.ScheduleSession(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// citizens creates n citizen accounts and returns a signed-in context for each.
func (f *fixture) citizens(t testing.TB, n int) []context.Context {
	t.Helper()
	out := make([]context.Context, n)
	for i := range out {
		u, err := f.users.Create(context.Background(), auth.NewUser{Role: actor.Citizen, Name: fmt.Sprintf("시민%d", i),
			Phone: fmt.Sprintf("010-7%03d-%04d", i/10000, i%10000), BirthYear: 1950 + i%40, District: "21050"})
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
