package booking

import (
	"context"
	"testing"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestBookConfirmsAndCountsPlaces(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 4, MaxParty: 3})
		cs := f.citizens(3)
		b, err := f.svc.Book(cs[0], Request{ResourceID: res.ID, StartsAt: at(1, 10, 0), Party: 3})
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != Confirmed || b.Party != 3 || len(b.Ticket) != 16 || !b.EndsAt.Equal(at(1, 11, 0)) {
			t.Fatalf("booking %+v", b)
		}
		_, err = f.svc.Book(cs[1], Request{ResourceID: res.ID, StartsAt: at(1, 10, 0), Party: 2})
		wantKey(t, err, "booking.full")
		w, err := f.svc.Book(cs[1], Request{ResourceID: res.ID, StartsAt: at(1, 10, 0), Party: 2, Waitlist: true})
		if err != nil || w.Status != Waitlisted {
			t.Fatalf("waitlist: %+v %v", w, err)
		}
		one, err := f.svc.Book(cs[2], Request{ResourceID: res.ID, StartsAt: at(1, 10, 0), Party: 1, Waitlist: true})
		if err != nil || one.Status != Confirmed {
			t.Fatalf("a party that fits is confirmed even when it offered to wait: %+v %v", one, err)
		}
		taken, by := f.slotState(res.ID, at(1, 10, 0))
		if taken != 4 || by[Confirmed] != 2 || by[Waitlisted] != 1 {
			t.Fatalf("taken %d, %v", taken, by)
		}
	})
}

// Every refusal leaves the database exactly as it was.
func TestRefusalsChangeNothing(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 2, MaxParty: 2, WeeklyLimit: 1})
		residents := f.resource(Resource{NameKo: "주민 회의실", Kind: "room", Capacity: 1, Eligibility: Residents})
		seniors := f.resource(Resource{NameKo: "경로 당구대", Kind: "equipment", Capacity: 2, Eligibility: Seniors})
		inactive := f.resource(Resource{NameKo: "닫은 코트"})
		inactive.Active = false
		if _, err := f.svc.SaveResource(f.admin, inactive); err != nil {
			t.Fatal(err)
		}
		cs := f.citizens(4)
		f.district[userOf(cs[0])] = "26350"
		f.district[userOf(cs[1])] = "26110"
		f.born[userOf(cs[0])] = 1950
		f.born[userOf(cs[1])] = 1970
		if _, err := f.svc.Book(cs[0], Request{ResourceID: res.ID, StartsAt: at(1, 10, 0), Party: 2}); err != nil {
			t.Fatal(err)
		}
		// One place is free elsewhere so that "full" is the slot's own.
		if _, err := f.svc.Book(cs[0], Request{ResourceID: residents.ID, StartsAt: at(1, 10, 0)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Book(cs[0], Request{ResourceID: seniors.ID, StartsAt: at(1, 10, 0)}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			ctx  context.Context
			req  Request
			key  string
		}{
			{"after closing", cs[2], Request{ResourceID: res.ID, StartsAt: at(1, 20, 30)}, "booking.not_on_boundary"},
			{"closing hour", cs[2], Request{ResourceID: res.ID, StartsAt: at(1, 21, 0)}, "booking.outside_hours"},
			{"sunday", cs[2], Request{ResourceID: res.ID, StartsAt: at(5, 10, 0)}, "booking.outside_hours"},
			{"before opening", cs[2], Request{ResourceID: res.ID, StartsAt: at(1, 8, 0)}, "booking.outside_hours"},
			{"off the boundary", cs[2], Request{ResourceID: res.ID, StartsAt: at(1, 10, 30)}, "booking.not_on_boundary"},
			{"in the past", cs[2], Request{ResourceID: res.ID, StartsAt: at(0, 9, 0)}, "booking.past"},
			{"now", cs[2], Request{ResourceID: res.ID, StartsAt: at(0, 10, 0)}, "booking.past"},
			{"too far ahead", cs[2], Request{ResourceID: res.ID, StartsAt: at(15, 10, 0)}, "booking.too_far"},
			{"weekly limit", cs[0], Request{ResourceID: res.ID, StartsAt: at(2, 10, 0)}, "booking.weekly_limit"},
			{"not a resident", cs[1], Request{ResourceID: residents.ID, StartsAt: at(1, 11, 0)}, "booking.residents_only"},
			{"district unknown", cs[2], Request{ResourceID: residents.ID, StartsAt: at(1, 11, 0)}, "booking.residents_only"},
			{"not a senior", cs[1], Request{ResourceID: seniors.ID, StartsAt: at(1, 11, 0)}, "booking.seniors_only"},
			{"age unknown", cs[2], Request{ResourceID: seniors.ID, StartsAt: at(1, 11, 0)}, "booking.seniors_only"},
			{"already booked", cs[0], Request{ResourceID: seniors.ID, StartsAt: at(1, 10, 0)}, "booking.already_booked"},
			{"inactive", cs[2], Request{ResourceID: inactive.ID, StartsAt: at(1, 10, 0)}, "booking.resource_inactive"},
			{"party too big", cs[2], Request{ResourceID: res.ID, StartsAt: at(1, 11, 0), Party: 3}, "booking.party_invalid"},
			{"party negative", cs[2], Request{ResourceID: res.ID, StartsAt: at(1, 11, 0), Party: -1}, "booking.party_invalid"},
			{"full", cs[2], Request{ResourceID: res.ID, StartsAt: at(1, 10, 0)}, "booking.full"},
			{"full room", cs[3], Request{ResourceID: residents.ID, StartsAt: at(1, 10, 0)}, "booking.residents_only"},
			{"staff for themselves", f.admin, Request{ResourceID: res.ID, StartsAt: at(1, 11, 0)}, "booking.staff_book_for_citizen"},
			{"no such resource", cs[2], Request{ResourceID: 9999, StartsAt: at(1, 11, 0)}, "booking.resource_not_found"},
			{"anonymous", context.Background(), Request{ResourceID: res.ID, StartsAt: at(1, 11, 0)}, "error.unauthorized"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := f.state()
				_, err := f.svc.Book(c.ctx, c.req)
				wantKey(t, err, c.key)
				if after := f.state(); after != before {
					t.Fatalf("state changed: %+v → %+v", before, after)
				}
			})
		}
		// The same person is eligible once they live in the district.
		f.district[userOf(cs[3])] = "26350"
		_, err := f.svc.Book(cs[3], Request{ResourceID: residents.ID, StartsAt: at(1, 10, 0)})
		wantKey(t, err, "booking.full")
		if _, err := f.svc.Book(cs[3], Request{ResourceID: residents.ID, StartsAt: at(1, 11, 0)}); err != nil {
			t.Fatal(err)
		}
		// The last bookable day is days-ahead days after today.
		if _, err := f.svc.Book(cs[2], Request{ResourceID: res.ID, StartsAt: at(14, 10, 0)}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestStaffBookForTheCitizenTheyActFor(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{})
		c := f.citizens(1)[0]
		op := actor.From(f.staff(actor.Operator, "operator"))
		citizen := actor.From(c).Person
		ctx := actor.With(context.Background(), &actor.Actor{Person: op.Person, ActingFor: &citizen, Channel: actor.Phone})
		b, err := f.svc.Book(ctx, Request{ResourceID: res.ID, StartsAt: at(1, 10, 0)})
		if err != nil || b.UserID != citizen.ID {
			t.Fatalf("%+v %v", b, err)
		}
	})
}
