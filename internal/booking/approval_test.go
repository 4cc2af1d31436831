package booking

import (
	"context"
	"sync"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestApprovalHoldsPlacesUntilStaffDecide(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Kind: "room", NameKo: "세미나실", Capacity: 2, MaxParty: 1, Approval: true})
		slot := at(1, 15, 0)
		cs := f.citizens(3)
		var bs []Booking
		for _, c := range cs {
			b, err := f.svc.Book(c, Request{ResourceID: res.ID, StartsAt: slot, Waitlist: true})
			if err != nil {
				t.Fatal(err)
			}
			bs = append(bs, b)
		}
		if bs[0].Status != Requested || bs[1].Status != Requested || bs[2].Status != Waitlisted {
			t.Fatalf("statuses %s %s %s", bs[0].Status, bs[1].Status, bs[2].Status)
		}
		if taken, _ := f.slotState(res.ID, slot); taken != 2 {
			t.Fatalf("requests hold their places: taken %d", taken)
		}
		for name, try := range map[string]func() error{
			"citizen approves":       func() error { _, err := f.svc.Approve(cs[0], bs[0].ID, ""); return err },
			"refusal without a note": func() error { _, err := f.svc.Refuse(f.admin, bs[1].ID, " "); return err },
			"approve a waitlisted":   func() error { _, err := f.svc.Approve(f.admin, bs[2].ID, ""); return err },
		} {
			before := f.state()
			err := try()
			if err == nil {
				t.Fatalf("%s: allowed", name)
			}
			if f.state() != before {
				t.Fatalf("%s: changed something", name)
			}
		}
		reqs, err := f.svc.Requests(f.admin)
		if err != nil || len(reqs) != 2 || reqs[0].Name == "" {
			t.Fatalf("requests %+v %v", reqs, err)
		}
		ok, err := f.svc.Approve(f.admin, bs[0].ID, "")
		if err != nil || ok.Status != Confirmed {
			t.Fatalf("%+v %v", ok, err)
		}
		no, err := f.svc.Refuse(f.admin, bs[1].ID, "행사 준비로 사용할 수 없습니다")
		if err != nil || no.Status != Refused || no.Note == "" {
			t.Fatalf("%+v %v", no, err)
		}
		// The refused request's place went to the waitlist, as a request.
		b2, err := f.svc.Booking(cs[2], bs[2].ID)
		if err != nil || b2.Status != Requested {
			t.Fatalf("promoted: %+v %v", b2, err)
		}
		_, err = f.svc.Approve(f.admin, bs[1].ID, "")
		wantKey(t, err, "booking.not_requested")
		if taken, by := f.slotState(res.ID, slot); taken != 2 || by[Confirmed] != 1 || by[Requested] != 1 || by[Refused] != 1 {
			t.Fatalf("taken %d %v", taken, by)
		}
		var told int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE user_id IN ($1, $2, $3)`,
			userOf(cs[0]), userOf(cs[1]), userOf(cs[2])).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if told != 3 {
			t.Fatalf("%d messages, want approved, refused and promoted", told)
		}
	})
}

func TestCheckInIsIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.resource(Resource{Capacity: 1})
		cs := f.citizens(2)
		b, err := f.svc.Book(cs[0], Request{ResourceID: res.ID, StartsAt: at(0, 14, 0)})
		if err != nil {
			t.Fatal(err)
		}
		w, err := f.svc.Book(cs[1], Request{ResourceID: res.ID, StartsAt: at(0, 14, 0), Waitlist: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.CheckIn(f.admin, b.Ticket)
		wantKey(t, err, "booking.checkin_too_early")
		_, err = f.svc.CheckIn(cs[0], b.Ticket)
		wantKey(t, err, "error.forbidden")
		_, err = f.svc.CheckIn(f.admin, "2222-3333-4444-5555")
		wantKey(t, err, "booking.ticket_not_found")
		_, err = f.svc.CheckInBooking(f.admin, w.ID)
		wantKey(t, err, "booking.not_confirmed")

		f.now = at(0, 13, 30)
		// Ten scans of one ticket at once: one check-in, nine answers that it was done.
		ctxs := make([]context.Context, 10)
		for i := range ctxs {
			ctxs[i] = f.admin
		}
		var first []CheckInResult
		var mu sync.Mutex
		got, bad := run(ctxs, func(i int, ctx context.Context) (string, error) {
			text := TicketPrefix + b.TicketText()
			if i%2 == 1 {
				text = b.TicketText()
			}
			r, err := f.svc.CheckIn(ctx, text)
			if err != nil {
				return "", err
			}
			if !r.Already {
				mu.Lock()
				first = append(first, r)
				mu.Unlock()
				return "new", nil
			}
			if !r.CheckedInAt.Equal(at(0, 13, 30)) {
				return "", errTest("a repeated check-in must answer with the first")
			}
			return "again", nil
		})
		if len(bad) > 0 || got["new"] != 1 || got["again"] != 9 {
			t.Fatalf("%v %v", got, bad)
		}
		if first[0].Name == "" || first[0].Resource.ID != res.ID {
			t.Fatalf("result %+v", first[0])
		}
		f.now = at(0, 15, 0)
		again, err := f.svc.CheckInBooking(f.admin, b.ID)
		if err != nil || !again.Already || !again.CheckedInAt.Equal(at(0, 13, 30)) {
			t.Fatalf("%+v %v", again, err)
		}
		var audited int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'booking.checkin'`).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 1 {
			t.Fatalf("%d check-ins audited", audited)
		}
		day, err := f.svc.Day(f.admin, facilityID, at(0, 0, 0))
		if err != nil || len(day) != 2 || day[0].Name == "" {
			t.Fatalf("day %+v %v", day, err)
		}
		// Someone booked for later today who never came: the next day is too late.
		late, err := f.svc.Book(cs[1], Request{ResourceID: res.ID, StartsAt: at(0, 18, 0)})
		if err != nil {
			t.Fatal(err)
		}
		f.now = at(1, 0, 0)
		_, err = f.svc.CheckInBooking(f.admin, w.ID)
		wantKey(t, err, "booking.not_confirmed")
		_, err = f.svc.CheckInBooking(f.admin, late.ID)
		wantKey(t, err, "booking.checkin_closed")
	})
}

type errTest string

func (e errTest) Error() string { return string(e) }
