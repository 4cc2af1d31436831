package learn

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// scheduled schedules a session of a course, taught by tutorID (0: none),
// starting at starts and lasting two hours.
func (f *fixture) scheduleAt(t testing.TB, code string, courseID, tutorID int64, starts time.Time, capacity int, alloc string) Session {
	t.Helper()
	n := NewSession{Code: code, CourseID: courseID, VenueID: f.venue.ID, TutorID: tutorID, StartsAt: starts,
		EndsAt: starts.Add(2 * time.Hour), Capacity: capacity, Allocation: alloc}
	if alloc == Lottery {
		n.LotteryClosesAt = starts.Add(-time.Hour)
	}
	s, err := f.svc.ScheduleSession(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *fixture) registerFor(t testing.TB, ctx context.Context, sessionID int64) Registration {
	t.Helper()
	r, err := f.svc.Register(ctx, Request{SessionID: sessionID})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return r
}

func userIDOf(ctx context.Context) int64 { return actor.From(ctx).ID }

// wantErrKey checks an error's code and catalogue key.
func wantErrKey(t *testing.T, name string, err error, code errs.Code, key string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != code || e.Key != key {
		t.Errorf("%s: err = %v, want %s %s", name, err, code, key)
	}
}

// dbState is every table a staff action may touch, to prove that a
// refused action changed nothing.
type dbState struct {
	counts
	completions, feedback int
	sessions, regs        string
}

func dbStateOf(t *testing.T, f *fixture) dbState {
	t.Helper()
	ctx := context.Background()
	q := f.db.Read()
	st := dbState{counts: snapshot(t, f)}
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM completions`).Scan(&st.completions)
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback`).Scan(&st.feedback)
	var b strings.Builder
	rows, err := q.QueryContext(ctx, `SELECT id, capacity, seats_taken, allocation, COALESCE(tutor_id, 0), lottery_closes_at, lottery_drawn_at, status
		FROM class_sessions ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, tutor int64
		var capacity, taken int
		var alloc, status string
		var closes, drawn sql.NullTime
		if err := rows.Scan(&id, &capacity, &taken, &alloc, &tutor, &closes, &drawn, &status); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d:%d/%d/%s/%d/%v/%v/%s;", id, capacity, taken, alloc, tutor, closes.Time.Unix(), drawn.Valid, status)
	}
	rows.Close()
	st.sessions = b.String()
	b.Reset()
	rows, err = q.QueryContext(ctx, `SELECT id, status, queue_pos, attended_at FROM registrations ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var status string
		var pos int
		var att sql.NullTime
		if err := rows.Scan(&id, &status, &pos, &att); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d:%s/%d/%v;", id, status, pos, att.Valid)
	}
	rows.Close()
	st.regs = b.String()
	return st
}

func TestNormalizeTicket(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"K7QM2XPA9RTD4HWE", "K7QM2XPA9RTD4HWE"},
		{"k7qm-2xpa-9rtd-4hwe", "K7QM2XPA9RTD4HWE"},
		{"  K7QM 2XPA 9RTD 4HWE  ", "K7QM2XPA9RTD4HWE"},
		{TicketPrefix + "K7QM2XPA9RTD4HWE", "K7QM2XPA9RTD4HWE"},
		{"maeul-ticket:k7qm2xpa", "K7QM2XPA"},
		{" " + TicketPrefix + " abc DEF\n", "ABCDEF"},
		{"", ""},
		{TicketPrefix, ""},
		{"MAEUL-TICKET", "MAEULTICKET"},
	}
	for _, c := range cases {
		if got := NormalizeTicket(c.in); got != c.want {
			t.Errorf("NormalizeTicket(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCheckInWindow(t *testing.T) {
	t.Parallel()
	kst := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, i18n.Zone) }
	cases := []struct {
		name              string
		starts, ends      time.Time
		wantFrom, wantEnd time.Time
	}{
		{"morning", kst(4, 10, 0), kst(4, 12, 0), kst(4, 8, 0), kst(5, 0, 0)},
		{"early morning opens the day before", kst(4, 1, 0), kst(4, 3, 0), kst(3, 23, 0), kst(5, 0, 0)},
		{"past midnight ends the next day", kst(4, 23, 0), kst(5, 1, 0), kst(4, 21, 0), kst(6, 0, 0)},
	}
	for _, c := range cases {
		from, until := CheckInWindow(Session{StartsAt: c.starts.UTC(), EndsAt: c.ends.UTC()})
		if !from.Equal(c.wantFrom) || !until.Equal(c.wantEnd) {
			t.Errorf("%s: window %v – %v, want %v – %v", c.name, from, until, c.wantFrom, c.wantEnd)
		}
	}
}

func TestCheckInRefusals(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tutor := f.staff(t, actor.Tutor, "tutor1")
		other := f.staff(t, actor.Tutor, "tutor2")
		operator := f.staff(t, actor.Operator, "op1")
		people := f.citizens(t, 5)
		soon := f.scheduleAt(t, "ATT-SOON", f.course.ID, userIDOf(tutor), f.now.Add(time.Hour), 2, FirstCome)
		later := f.scheduleAt(t, "ATT-LATER", f.course.ID, userIDOf(tutor), f.now.Add(72*time.Hour), 5, FirstCome)
		gone := f.scheduleAt(t, "ATT-GONE", f.course.ID, userIDOf(tutor), f.now.Add(2*time.Hour), 5, FirstCome)
		confirmed := f.registerFor(t, people[0], soon.ID)
		f.registerFor(t, people[1], soon.ID)
		waiting := f.registerFor(t, people[2], soon.ID)
		cancelled := f.registerFor(t, people[3], later.ID)
		if _, err := f.svc.Cancel(people[3], cancelled.ID); err != nil {
			t.Fatal(err)
		}
		early := f.registerFor(t, people[4], later.ID)
		inGone := f.registerFor(t, people[4], gone.ID)
		if err := f.svc.CancelSession(context.Background(), gone.ID); err != nil {
			t.Fatal(err)
		}
		_, closesAt := CheckInWindow(soon)

		cases := []struct {
			name   string
			ctx    context.Context
			ticket string
			at     time.Time
			code   errs.Code
			key    string
		}{
			{"anonymous", context.Background(), confirmed.Ticket, f.now, errs.Unauthorized, "error.unauthorized"},
			{"citizen", people[0], confirmed.Ticket, f.now, errs.Forbidden, "error.forbidden"},
			{"operator", operator, confirmed.Ticket, f.now, errs.Forbidden, "error.forbidden"},
			{"empty", tutor, "   ", f.now, errs.Invalid, "staff.ticket_required"},
			{"prefix only", tutor, TicketPrefix, f.now, errs.Invalid, "staff.ticket_required"},
			{"too long", tutor, strings.Repeat("x", 101), f.now, errs.Invalid, "staff.ticket_invalid"},
			{"unknown", tutor, "no-such-ticket", f.now, errs.NotFound, "staff.ticket_not_found"},
			{"wrong case", tutor, strings.ToUpper(confirmed.Ticket) + "!", f.now, errs.NotFound, "staff.ticket_not_found"},
			{"another tutor's session", other, confirmed.Ticket, f.now, errs.Forbidden, "staff.not_your_session"},
			{"waitlisted", tutor, waiting.Ticket, f.now, errs.Conflict, "staff.not_confirmed"},
			{"cancelled registration", tutor, cancelled.Ticket, f.now, errs.Conflict, "staff.not_confirmed"},
			{"cancelled session", tutor, inGone.Ticket, f.now, errs.Conflict, "learn.session_cancelled"},
			{"days early", tutor, early.Ticket, f.now, errs.Conflict, "staff.checkin_too_early"},
			{"one second before the window", tutor, confirmed.Ticket, soon.StartsAt.Add(-CheckInOpensBefore - time.Second), errs.Conflict, "staff.checkin_too_early"},
			{"at midnight after the session", tutor, confirmed.Ticket, closesAt, errs.Conflict, "staff.checkin_closed"},
			{"next week", tutor, confirmed.Ticket, closesAt.Add(7 * 24 * time.Hour), errs.Conflict, "staff.checkin_closed"},
		}
		start := f.now
		for _, c := range cases {
			f.now = c.at
			before := dbStateOf(t, f)
			_, err := f.svc.CheckIn(c.ctx, c.ticket)
			wantErrKey(t, c.name, err, c.code, c.key)
			if after := dbStateOf(t, f); after != before {
				t.Errorf("%s: changed the database:\n%+v\n%+v", c.name, before, after)
			}
		}
		f.now = start

		// By registration id: unknown ids and other tutors are refused alike.
		before := dbStateOf(t, f)
		_, err := f.svc.CheckInRegistration(tutor, 99999)
		wantErrKey(t, "unknown registration", err, errs.NotFound, "learn.registration_not_found")
		_, err = f.svc.CheckInRegistration(other, confirmed.ID)
		wantErrKey(t, "other tutor by id", err, errs.Forbidden, "staff.not_your_session")
		if dbStateOf(t, f) != before {
			t.Error("refused check-ins by id changed the database")
		}
	})
}

func TestCheckIn(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tutor := f.staff(t, actor.Tutor, "tutor1")
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 3)
		s := f.scheduleAt(t, "ATT-1", f.course.ID, userIDOf(tutor), f.now.Add(CheckInOpensBefore), 5, FirstCome)
		regs := make([]Registration, len(people))
		for i, p := range people {
			regs[i] = f.registerFor(t, p, s.ID)
		}

		// The scanner's text, exactly at the opening of the window.
		res, err := f.svc.CheckIn(tutor, TicketPrefix+regs[0].Ticket)
		if err != nil {
			t.Fatal(err)
		}
		if res.ID != regs[0].ID || res.Name != "시민0" || !res.AttendedAt.Equal(db.Time(f.now)) || res.Session.ID != s.ID || !res.Completed {
			t.Fatalf("check-in result %+v", res)
		}
		if ok, _ := f.svc.Completed(context.Background(), userIDOf(people[0]), f.course.ID); !ok {
			t.Fatal("one-session course not completed after attending")
		}

		// A second check-in, by anyone, says when the first one was.
		f.now = f.now.Add(10 * time.Minute)
		before := dbStateOf(t, f)
		_, err = f.svc.CheckIn(admin, regs[0].Ticket)
		wantErrKey(t, "second check-in", err, errs.Conflict, "staff.already_checked_in")
		if e, _ := errs.As(err); e == nil || len(e.Args) != 1 || !time.Time(e.Args[0].(i18n.At)).Equal(res.AttendedAt) {
			t.Errorf("second check-in: args %v, want the first check-in time %v", e, res.AttendedAt)
		} else if msg := i18n.For("en").T(e.Key, e.Args...); !strings.Contains(msg, i18n.For("en").Clock(res.AttendedAt)) {
			t.Errorf("message %q does not say when", msg)
		}
		_, err = f.svc.CheckInRegistration(tutor, regs[0].ID)
		wantErrKey(t, "second check-in by id", err, errs.Conflict, "staff.already_checked_in")
		if dbStateOf(t, f) != before {
			t.Error("a refused second check-in changed the database")
		}

		// A centre admin checks in anyone, by registration id from the roster,
		// until the last second of the day.
		_, until := CheckInWindow(s)
		f.now = until.Add(-time.Second)
		res, err = f.svc.CheckInRegistration(admin, regs[1].ID)
		if err != nil || res.Name != "시민1" {
			t.Fatalf("admin check-in: %+v %v", res, err)
		}

		roster, err := f.svc.Roster(tutor, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		attended := 0
		for _, e := range roster {
			if !e.AttendedAt.IsZero() {
				attended++
			}
		}
		if attended != 2 || len(roster) != 3 {
			t.Fatalf("roster shows %d of %d attended, want 2 of 3", attended, len(roster))
		}
		var audited int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'registration.checkin'`).Scan(&audited)
		if audited != 2 {
			t.Fatalf("%d check-ins audited, want 2", audited)
		}
		a, err := f.svc.attendee(tutor, regs[1].ID)
		if err != nil || a.Name != "시민1" {
			t.Fatalf("attendee: %+v %v", a, err)
		}
		if _, err := f.svc.attendee(tutor, regs[2].ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("attendee not checked in: %v", err)
		}
	})
}

func TestConcurrentCheckInOfOneTicket(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tutor := f.staff(t, actor.Tutor, "tutor1")
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 1)
		s := f.scheduleAt(t, "ATT-RACE", f.course.ID, userIDOf(tutor), f.now.Add(time.Hour), 5, FirstCome)
		reg := f.registerFor(t, people[0], s.ID)

		const n = 16
		var wg sync.WaitGroup
		results := make(chan error, n)
		for i := range n {
			staffCtx := tutor
			if i%2 == 1 {
				staffCtx = admin
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.CheckIn(staffCtx, TicketPrefix+reg.Ticket)
				results <- err
			}()
		}
		wg.Wait()
		close(results)
		ok := 0
		for err := range results {
			switch {
			case err == nil:
				ok++
			default:
				wantErrKey(t, "losing check-in", err, errs.Conflict, "staff.already_checked_in")
			}
		}
		if ok != 1 {
			t.Fatalf("%d check-ins succeeded, want exactly 1", ok)
		}
		var audited, completions int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'registration.checkin'`).Scan(&audited)
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM completions`).Scan(&completions)
		if audited != 1 || completions != 1 {
			t.Fatalf("audited %d, completions %d; want 1 and 1", audited, completions)
		}
	})
}

func TestCompletionNeedsEnoughDistinctSessions(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		course, err := f.svc.SaveCourse(ctx, Course{Code: "AI-201", Theme: "ai", Level: "beginner", TitleKo: "생성형 AI", TitleEn: "Generative AI", SessionsToComplete: 2})
		if err != nil {
			t.Fatal(err)
		}
		tutor := f.staff(t, actor.Tutor, "tutor1")
		people := f.citizens(t, 2)
		learner, groupLead := people[0], people[1]
		var sessions []Session
		for i := range 3 {
			sessions = append(sessions, f.scheduleAt(t, fmt.Sprintf("AI-201-%d", i), course.ID, userIDOf(tutor), f.now.Add(time.Duration(i+1)*time.Hour), 20, FirstCome))
		}
		var regs, groups []Registration
		for _, s := range sessions {
			regs = append(regs, f.registerFor(t, learner, s.ID))
			g, err := f.svc.Register(groupLead, Request{SessionID: s.ID, Seats: 3, GroupName: "경로당", GroupContact: "051-000-0000"})
			if err != nil {
				t.Fatal(err)
			}
			groups = append(groups, g)
		}
		// Within the window of all three sessions.
		f.now = sessions[2].StartsAt

		for i, want := range []bool{false, true, false} {
			res, err := f.svc.CheckIn(tutor, regs[i].Ticket)
			if err != nil {
				t.Fatal(err)
			}
			if res.Completed != want {
				t.Errorf("session %d: completed = %v, want %v", i, res.Completed, want)
			}
			if _, err := f.svc.CheckInRegistration(tutor, groups[i].ID); err != nil {
				t.Fatal(err)
			}
		}
		var rows int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM completions WHERE user_id = $1 AND course_id = $2`, userIDOf(learner), course.ID).Scan(&rows)
		if rows != 1 {
			t.Fatalf("%d completion rows, want 1", rows)
		}
		if ok, _ := f.svc.Completed(ctx, userIDOf(groupLead), course.ID); ok {
			t.Fatal("a group booking's attendance completed the course for its contact person")
		}
	})
}

func TestConcurrentCheckInsCompleteOnce(t *testing.T) {
	t.Parallel()
	// The learner's two sessions are checked in at the same moment by two
	// staff; together they complete the course, so exactly one of the two
	// must see the other and record the completion.
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		course, err := f.svc.SaveCourse(ctx, Course{Code: "ID-202", Theme: "digital_id", Level: "beginner", TitleKo: "모바일 신분증", TitleEn: "Mobile ID", SessionsToComplete: 2})
		if err != nil {
			t.Fatal(err)
		}
		tutor := f.staff(t, actor.Tutor, "tutor1")
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		learners := f.citizens(t, 5)
		for round, learner := range learners {
			var tickets []string
			for i := range 2 {
				s := f.scheduleAt(t, fmt.Sprintf("ID-202-%d-%d", round, i), course.ID, userIDOf(tutor), f.now.Add(time.Duration(i+1)*time.Hour), 5, FirstCome)
				tickets = append(tickets, f.registerFor(t, learner, s.ID).Ticket)
			}
			var wg sync.WaitGroup
			completed := make(chan bool, 2)
			for i, staffCtx := range []context.Context{tutor, admin} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := f.svc.CheckIn(staffCtx, tickets[i])
					if err != nil {
						t.Error(err)
					}
					completed <- res.Completed
				}()
			}
			wg.Wait()
			close(completed)
			n := 0
			for c := range completed {
				if c {
					n++
				}
			}
			if ok, _ := f.svc.Completed(ctx, userIDOf(learner), course.ID); !ok || n != 1 {
				t.Fatalf("round %d: completed=%v, %d check-ins reported completing; want true and 1", round, ok, n)
			}
		}
	})
}

func TestStaffSessions(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tutor := f.staff(t, actor.Tutor, "tutor1")
		other := f.staff(t, actor.Tutor, "tutor2")
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 3)
		// f.now is 10:00 in Busan on 1 December.
		mineEarlier := f.scheduleAt(t, "ST-1", f.course.ID, userIDOf(tutor), f.now.Add(-time.Hour), 5, FirstCome) // started today
		f.now = f.now.Add(-2 * time.Hour)
		for _, p := range people {
			f.registerFor(t, p, mineEarlier.ID)
		}
		f.now = f.now.Add(2 * time.Hour)
		if _, err := f.svc.CheckIn(tutor, f.ticketFor(t, people[0], mineEarlier.ID)); err != nil {
			t.Fatal(err)
		}
		mineLater := f.scheduleAt(t, "ST-2", f.course.ID, userIDOf(tutor), f.now.Add(72*time.Hour), 5, FirstCome)
		theirs := f.scheduleAt(t, "ST-3", f.course.ID, userIDOf(other), f.now.Add(3*time.Hour), 5, FirstCome)
		f.scheduleAt(t, "ST-4", f.course.ID, userIDOf(tutor), f.now.Add(-24*time.Hour), 5, FirstCome) // yesterday

		ids := func(ss []StaffSession) []int64 {
			var out []int64
			for _, s := range ss {
				out = append(out, s.ID)
			}
			return out
		}
		got, err := f.svc.StaffSessions(tutor)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint([]int64{mineEarlier.ID, mineLater.ID}) {
			t.Fatalf("tutor sees %v, want %v", ids(got), []int64{mineEarlier.ID, mineLater.ID})
		}
		if got[0].Confirmed != 3 || got[0].Attended != 1 {
			t.Fatalf("counts %d/%d, want 3 confirmed, 1 attended", got[0].Confirmed, got[0].Attended)
		}
		got, err = f.svc.StaffSessions(admin)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint([]int64{mineEarlier.ID, theirs.ID}) {
			t.Fatalf("admin sees %v, want today's %v", ids(got), []int64{mineEarlier.ID, theirs.ID})
		}
		_, err = f.svc.StaffSessions(people[0])
		wantErrKey(t, "citizen", err, errs.Forbidden, "error.forbidden")
		_, err = f.svc.StaffSession(other, mineEarlier.ID)
		wantErrKey(t, "other tutor's roster", err, errs.Forbidden, "staff.not_your_session")
	})
}

func (f *fixture) ticketFor(t *testing.T, ctx context.Context, sessionID int64) string {
	t.Helper()
	r, err := f.svc.MyRegistrationFor(ctx, sessionID)
	if err != nil {
		t.Fatal(err)
	}
	return r.Ticket
}
