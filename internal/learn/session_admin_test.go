package learn

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// sessionAdminOp is one session-admin action, for tables of refusals.
type sessionAdminOp struct {
	name string
	do   func(ctx context.Context, id int64) error
}

func sessionAdminOps(f *fixture) []sessionAdminOp {
	return []sessionAdminOp{
		{"capacity", func(ctx context.Context, id int64) error { _, err := f.svc.SetCapacity(ctx, id, 9); return err }},
		{"tutor", func(ctx context.Context, id int64) error { _, err := f.svc.SetTutor(ctx, id, 0); return err }},
		{"allocation", func(ctx context.Context, id int64) error {
			_, err := f.svc.SetAllocation(ctx, id, Lottery, f.now.Add(time.Hour))
			return err
		}},
		{"close applications", func(ctx context.Context, id int64) error { _, err := f.svc.CloseApplications(ctx, id); return err }},
		{"draw", func(ctx context.Context, id int64) error { _, _, err := f.svc.DrawNow(ctx, id); return err }},
		{"cancel", func(ctx context.Context, id int64) error { return f.svc.CancelSessionByAdmin(ctx, id) }},
	}
}

func TestSessionAdminNeedsACentreAdmin(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tutor := f.staff(t, actor.Tutor, "tutor1")
		operator := f.staff(t, actor.Operator, "op1")
		people := f.citizens(t, 1)
		s := f.scheduleAt(t, "ADM-0", f.course.ID, userIDOf(tutor), f.now.Add(48*time.Hour), 5, Lottery)
		f.registerFor(t, people[0], s.ID)
		for _, op := range sessionAdminOps(f) {
			for _, who := range []struct {
				name string
				ctx  context.Context
				code errs.Code
				key  string
			}{
				{"anonymous", context.Background(), errs.Unauthorized, "error.unauthorized"},
				{"citizen", people[0], errs.Forbidden, "error.forbidden"},
				{"the session's tutor", tutor, errs.Forbidden, "error.forbidden"},
				{"operator", operator, errs.Forbidden, "error.forbidden"},
			} {
				before := dbStateOf(t, f)
				wantErrKey(t, op.name+" by "+who.name, op.do(who.ctx, s.ID), who.code, who.key)
				if dbStateOf(t, f) != before {
					t.Errorf("%s by %s changed the database", op.name, who.name)
				}
			}
		}
		// Unknown sessions, and sessions that have started or are cancelled.
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		started := f.scheduleAt(t, "ADM-STARTED", f.course.ID, 0, f.now.Add(-time.Minute), 5, FirstCome)
		gone := f.scheduleAt(t, "ADM-GONE", f.course.ID, 0, f.now.Add(time.Hour), 5, FirstCome)
		if err := f.svc.CancelSessionByAdmin(admin, gone.ID); err != nil {
			t.Fatal(err)
		}
		for _, op := range sessionAdminOps(f) {
			for _, c := range []struct {
				name string
				id   int64
				code errs.Code
				key  string
			}{
				{"unknown", 99999, errs.NotFound, "learn.session_not_found"},
				{"cancelled", gone.ID, errs.Conflict, "learn.session_cancelled"},
			} {
				before := dbStateOf(t, f)
				wantErrKey(t, op.name+" of "+c.name, op.do(admin, c.id), c.code, c.key)
				if dbStateOf(t, f) != before {
					t.Errorf("%s of %s changed the database", op.name, c.name)
				}
			}
		}
		for _, op := range sessionAdminOps(f) {
			if op.name == "tutor" || op.name == "draw" || op.name == "close applications" {
				continue // a tutor can change after the start; the lottery ops refuse first-come sessions
			}
			before := dbStateOf(t, f)
			wantErrKey(t, op.name+" after the start", op.do(admin, started.ID), errs.Conflict, "staff.session_started")
			if dbStateOf(t, f) != before {
				t.Errorf("%s after the start changed the database", op.name)
			}
		}
	})
}

func TestSetCapacity(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 5)
		s := f.scheduleAt(t, "CAP-1", f.course.ID, 0, f.now.Add(48*time.Hour), 2, FirstCome)
		regs := make([]Registration, len(people))
		for i, p := range people {
			regs[i] = f.registerFor(t, p, s.ID)
		}
		checkSession(t, f, s.ID, 2, 3)
		for _, c := range []struct {
			name     string
			capacity int
			key      string
		}{
			{"zero", 0, "learn.capacity_invalid"},
			{"negative", -3, "learn.capacity_invalid"},
			{"huge", 1001, "learn.capacity_invalid"},
			{"below confirmed", 1, "learn.capacity_below_taken"},
			{"unchanged", 2, "staff.capacity_unchanged"},
		} {
			before := dbStateOf(t, f)
			_, err := f.svc.SetCapacity(admin, s.ID, c.capacity)
			wantErrKey(t, c.name, err, errs.Invalid, c.key)
			if e, _ := errs.As(err); e != nil && e.Field != "capacity" {
				t.Errorf("%s: field %q", c.name, e.Field)
			}
			if dbStateOf(t, f) != before {
				t.Errorf("%s: changed the database", c.name)
			}
		}
		// More seats go to the head of the waitlist, in order.
		got, err := f.svc.SetCapacity(admin, s.ID, 4)
		if err != nil || got.Capacity != 4 || got.SeatsTaken != 4 {
			t.Fatalf("raise: %+v %v", got, err)
		}
		checkSession(t, f, s.ID, 4, 1)
		for i, want := range []string{Confirmed, Confirmed, Confirmed, Confirmed, Waitlisted} {
			r, _ := f.svc.Registration(people[i], regs[i].ID)
			if r.Status != want {
				t.Errorf("registration %d is %s, want %s", i, r.Status, want)
			}
		}
		// Down to exactly the seats taken is allowed.
		if _, err := f.svc.Cancel(people[0], regs[0].ID); err != nil { // promotes the last one
			t.Fatal(err)
		}
		if _, err := f.svc.SetCapacity(admin, s.ID, 5); err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.SetCapacity(admin, s.ID, 4); err != nil || got.Capacity != 4 {
			t.Fatalf("lower to seats taken: %+v %v", got, err)
		}
		checkSession(t, f, s.ID, 4, 0)
		var audited int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'session.capacity'`).Scan(&audited)
		if audited != 3 {
			t.Fatalf("%d capacity changes audited, want 3", audited)
		}
	})
}

func TestCapacityChangesRacingRegistrationsNeverOverbook(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 60)
		s := f.scheduleAt(t, "CAP-RACE", f.course.ID, 0, f.now.Add(48*time.Hour), 10, FirstCome)
		var wg sync.WaitGroup
		for i, p := range people {
			wg.Add(2)
			go func() {
				defer wg.Done()
				if _, err := f.svc.Register(p, Request{SessionID: s.ID}); err != nil {
					t.Error(err)
				}
			}()
			go func() {
				defer wg.Done()
				_, err := f.svc.SetCapacity(admin, s.ID, 5+i%20)
				if c := errs.CodeOf(err); err != nil && c != errs.Invalid {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n, err := f.svc.Overbooked(context.Background()); err != nil || n != 0 {
			t.Fatalf("overbooked sessions: %d %v", n, err)
		}
		got, _ := f.svc.Session(context.Background(), s.ID)
		waiting, _ := f.svc.QueueLength(context.Background(), s.ID)
		if got.SeatsTaken+waiting != len(people) {
			t.Fatalf("%d confirmed + %d waiting, want %d people", got.SeatsTaken, waiting, len(people))
		}
		// Nobody waits while a seat is free.
		if waiting > 0 && got.SeatsTaken < got.Capacity {
			t.Fatalf("%d waiting with %d of %d seats taken", waiting, got.SeatsTaken, got.Capacity)
		}
	})
}

func TestSetTutor(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		tutor := f.staff(t, actor.Tutor, "tutor1")
		other := f.staff(t, actor.Tutor, "tutor2")
		people := f.citizens(t, 1)
		s := f.scheduleAt(t, "TUT-1", f.course.ID, userIDOf(other), f.now.Add(time.Hour), 5, FirstCome)
		reg := f.registerFor(t, people[0], s.ID)
		for _, c := range []struct {
			name string
			id   int64
			key  string
		}{
			{"a citizen", userIDOf(people[0]), "staff.tutor_invalid"},
			{"an admin", userIDOf(admin), "staff.tutor_invalid"},
			{"unknown", 99999, "staff.tutor_invalid"},
			{"negative", -1, "staff.tutor_invalid"},
			{"the same tutor", userIDOf(other), "staff.tutor_unchanged"},
		} {
			before := dbStateOf(t, f)
			_, err := f.svc.SetTutor(admin, s.ID, c.id)
			wantErrKey(t, c.name, err, errs.Invalid, c.key)
			if dbStateOf(t, f) != before {
				t.Errorf("%s: changed the database", c.name)
			}
		}
		_, err := f.svc.CheckIn(tutor, reg.Ticket)
		wantErrKey(t, "before the change", err, errs.Forbidden, "staff.not_your_session")
		got, err := f.svc.SetTutor(admin, s.ID, userIDOf(tutor))
		if err != nil || got.TutorID != userIDOf(tutor) {
			t.Fatalf("set tutor: %+v %v", got, err)
		}
		if _, err := f.svc.CheckIn(tutor, reg.Ticket); err != nil {
			t.Fatalf("new tutor checks in: %v", err)
		}
		// A tutor can still be changed once the class has started.
		f.now = s.StartsAt.Add(time.Minute)
		if got, err := f.svc.SetTutor(admin, s.ID, 0); err != nil || got.TutorID != 0 {
			t.Fatalf("remove tutor: %+v %v", got, err)
		}
		tutors, err := f.svc.Tutors(admin)
		if err != nil || len(tutors) != 2 {
			t.Fatalf("tutors: %+v %v", tutors, err)
		}
		if name, _ := f.svc.TutorName(admin, userIDOf(tutor)); name != "tutor1" {
			t.Fatalf("tutor name %q", name)
		}
	})
}

func TestSetAllocation(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 6)
		busy := f.scheduleAt(t, "ALLOC-BUSY", f.course.ID, 0, f.now.Add(48*time.Hour), 5, FirstCome)
		f.registerFor(t, people[0], busy.ID)
		empty := f.scheduleAt(t, "ALLOC-EMPTY", f.course.ID, 0, f.now.Add(48*time.Hour), 3, FirstCome)
		for _, c := range []struct {
			name   string
			id     int64
			alloc  string
			closes time.Time
			code   errs.Code
			key    string
		}{
			{"unknown allocation", empty.ID, "raffle", f.now.Add(time.Hour), errs.Invalid, "learn.allocation_invalid"},
			{"already first come", empty.ID, FirstCome, time.Time{}, errs.Invalid, "staff.allocation_unchanged"},
			{"no closing time", empty.ID, Lottery, time.Time{}, errs.Invalid, "staff.lottery_close_invalid"},
			{"closing in the past", empty.ID, Lottery, f.now.Add(-time.Minute), errs.Invalid, "staff.lottery_close_invalid"},
			{"closing now", empty.ID, Lottery, f.now, errs.Invalid, "staff.lottery_close_invalid"},
			{"closing at the start", empty.ID, Lottery, empty.StartsAt, errs.Invalid, "staff.lottery_close_invalid"},
			{"someone registered", busy.ID, Lottery, f.now.Add(time.Hour), errs.Conflict, "staff.allocation_has_registrations"},
		} {
			before := dbStateOf(t, f)
			_, err := f.svc.SetAllocation(admin, c.id, c.alloc, c.closes)
			wantErrKey(t, c.name, err, c.code, c.key)
			if dbStateOf(t, f) != before {
				t.Errorf("%s: changed the database", c.name)
			}
		}

		// First come → lottery on an empty session; then move the closing time.
		got, err := f.svc.SetAllocation(admin, empty.ID, Lottery, f.now.Add(time.Hour))
		if err != nil || got.Allocation != Lottery || !got.LotteryClosesAt.Equal(db.Time(f.now.Add(time.Hour))) {
			t.Fatalf("to lottery: %+v %v", got, err)
		}
		closes := f.now.Add(24 * time.Hour)
		if got, err = f.svc.SetAllocation(admin, empty.ID, Lottery, closes); err != nil || !got.LotteryClosesAt.Equal(db.Time(closes)) {
			t.Fatalf("move closing time: %+v %v", got, err)
		}
		// Five people apply, in this order.
		var regs []Registration
		for _, p := range people[1:] {
			r := f.registerFor(t, p, empty.ID)
			if r.Status != Applied {
				t.Fatalf("applied as %s", r.Status)
			}
			regs = append(regs, r)
		}
		var outboxBefore int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&outboxBefore)

		// Lottery → first come before the draw: seats in order of application.
		got, err = f.svc.SetAllocation(admin, empty.ID, FirstCome, time.Time{})
		if err != nil || got.Allocation != FirstCome || !got.LotteryClosesAt.IsZero() {
			t.Fatalf("to first come: %+v %v", got, err)
		}
		checkSession(t, f, empty.ID, 3, 2)
		var lastConfirmed, firstWaiting int
		for i, want := range []string{Confirmed, Confirmed, Confirmed, Waitlisted, Waitlisted} {
			r, _ := f.svc.Registration(people[i+1], regs[i].ID)
			if r.Status != want {
				t.Errorf("applicant %d is %s, want %s", i, r.Status, want)
			}
			if r.QueuePos != regs[i].QueuePos {
				t.Errorf("applicant %d moved in the queue: %d -> %d", i, regs[i].QueuePos, r.QueuePos)
			}
			if want == Confirmed {
				lastConfirmed = r.QueuePos
			} else if firstWaiting == 0 {
				firstWaiting = r.QueuePos
			}
		}
		if lastConfirmed > firstWaiting {
			t.Fatal("a later applicant got a seat before an earlier one")
		}
		var told int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&told)
		if told-outboxBefore != 5 {
			t.Fatalf("%d applicants told, want 5", told-outboxBefore)
		}
		// The next one to come is waitlisted behind them.
		if r := f.registerFor(t, people[0], empty.ID); r.Status != Waitlisted {
			t.Fatalf("after the switch: %s", r.Status)
		}

		// After a draw there is no going back.
		drawn := f.scheduleAt(t, "ALLOC-DRAWN", f.course.ID, 0, f.now.Add(48*time.Hour), 1, Lottery)
		f.registerFor(t, people[1], drawn.ID)
		f.registerFor(t, people[2], drawn.ID)
		if _, err := f.svc.CloseApplications(admin, drawn.ID); err != nil {
			t.Fatal(err)
		}
		if c, w, err := f.svc.DrawNow(admin, drawn.ID); err != nil || c != 1 || w != 1 {
			t.Fatalf("draw: %d %d %v", c, w, err)
		}
		for _, c := range []struct {
			alloc  string
			closes time.Time
		}{{FirstCome, time.Time{}}, {Lottery, f.now.Add(time.Hour)}} {
			before := dbStateOf(t, f)
			_, err := f.svc.SetAllocation(admin, drawn.ID, c.alloc, c.closes)
			wantErrKey(t, "after the draw to "+c.alloc, err, errs.Conflict, "learn.lottery_already_drawn")
			if dbStateOf(t, f) != before {
				t.Error("changed the database")
			}
		}
	})
}

func TestCloseApplicationsAndDraw(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 4)
		fc := f.scheduleAt(t, "DRAW-FC", f.course.ID, 0, f.now.Add(48*time.Hour), 2, FirstCome)
		s := f.scheduleAt(t, "DRAW-1", f.course.ID, 0, f.now.Add(48*time.Hour), 2, Lottery)
		for _, p := range people[:3] {
			f.registerFor(t, p, s.ID)
		}
		check := func(name string, err error, code errs.Code, key string) {
			t.Helper()
			wantErrKey(t, name, err, code, key)
		}
		before := dbStateOf(t, f)
		_, err := f.svc.CloseApplications(admin, fc.ID)
		check("close a first-come session", err, errs.Conflict, "learn.not_a_lottery")
		_, _, err = f.svc.DrawNow(admin, fc.ID)
		check("draw a first-come session", err, errs.Conflict, "learn.not_a_lottery")
		_, _, err = f.svc.DrawNow(admin, s.ID)
		check("draw while open", err, errs.Conflict, "learn.lottery_still_open")
		if dbStateOf(t, f) != before {
			t.Fatal("refused lottery actions changed the database")
		}

		got, err := f.svc.CloseApplications(admin, s.ID)
		if err != nil || got.LotteryOpen(f.now) {
			t.Fatalf("close: %+v %v", got, err)
		}
		_, err = f.svc.Register(people[3], Request{SessionID: s.ID})
		wantErrKey(t, "apply after closing", err, errs.Conflict, "learn.lottery_closed")
		before = dbStateOf(t, f)
		_, err = f.svc.CloseApplications(admin, s.ID)
		check("close twice", err, errs.Conflict, "staff.lottery_already_closed")
		if dbStateOf(t, f) != before {
			t.Fatal("closing twice changed the database")
		}
		c, w, err := f.svc.DrawNow(admin, s.ID)
		if err != nil || c != 2 || w != 1 {
			t.Fatalf("draw: %d %d %v", c, w, err)
		}
		checkSession(t, f, s.ID, 2, 1)
		_, _, err = f.svc.DrawNow(admin, s.ID)
		check("draw twice", err, errs.Conflict, "learn.lottery_already_drawn")
		_, err = f.svc.CloseApplications(admin, s.ID)
		check("close after the draw", err, errs.Conflict, "learn.lottery_already_drawn")
	})
}

func TestCancelSessionByAdmin(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 3)
		s := f.scheduleAt(t, "CAN-1", f.course.ID, 0, f.now.Add(48*time.Hour), 2, FirstCome)
		for _, p := range people {
			f.registerFor(t, p, s.ID)
		}
		if err := f.svc.CancelSessionByAdmin(admin, s.ID); err != nil {
			t.Fatal(err)
		}
		var active int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status <> 'cancelled'`, s.ID).Scan(&active)
		got, _ := f.svc.Session(context.Background(), s.ID)
		if active != 0 || got.Status != "cancelled" || got.SeatsTaken != 0 {
			t.Fatalf("after cancel: %d active, %+v", active, got)
		}
		before := dbStateOf(t, f)
		wantErrKey(t, "cancel twice", f.svc.CancelSessionByAdmin(admin, s.ID), errs.Conflict, "learn.session_cancelled")
		if dbStateOf(t, f) != before {
			t.Fatal("cancelling twice changed the database")
		}
	})
}

// staffPageClient drives the staff pages through the router, signed in as the
// actor of a context. CSRF and sessions are the app's middleware, not
// tested here.
type staffPageClient struct {
	t  *testing.T
	rt *web.Router
}

func (c staffPageClient) do(ctx context.Context, lang, method, path string, body string, contentType string) *httptest.ResponseRecorder {
	c.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r = r.WithContext(web.WithPrefs(ctx, web.Prefs{Lang: lang}))
	w := httptest.NewRecorder()
	c.rt.ServeHTTP(w, r)
	if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		if m := untranslatedKey.FindString(w.Body.String()); m != "" {
			c.t.Errorf("%s %s: untranslated key %q", method, path, m)
		}
	}
	return w
}

func (c staffPageClient) form(ctx context.Context, path string, vals url.Values) *httptest.ResponseRecorder {
	return c.do(ctx, "ko", "POST", path, vals.Encode(), "application/x-www-form-urlencoded")
}

var untranslatedKey = regexp.MustCompile(`\b(staff|feedback|learn|nav|status|form)\.[a-z0-9_]+\b`)

func expectPage(t *testing.T, name string, w *httptest.ResponseRecorder, status int, contains ...string) {
	t.Helper()
	if w.Code != status {
		t.Errorf("%s: status %d, want %d\n%s", name, w.Code, status, w.Body.String())
		return
	}
	for _, s := range contains {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("%s: response lacks %q", name, s)
		}
	}
}

func TestStaffPages(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	f := newFixture(t, d)
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, Options{})
	c := staffPageClient{t: t, rt: rt}
	tutor := f.staff(t, actor.Tutor, "tutor1")
	admin := f.staff(t, actor.CentreAdmin, "admin1")
	people := f.citizens(t, 3)
	s := f.scheduleAt(t, "PAGE-1", f.course.ID, userIDOf(tutor), f.now.Add(time.Hour), 3, FirstCome)
	regs := make([]Registration, 3)
	for i, p := range people {
		regs[i] = f.registerFor(t, p, s.ID)
	}
	if _, err := f.svc.Register(people[0], Request{SessionID: f.session(t, "PAGE-2", 5, FirstCome).ID, Seats: 2, GroupName: "해운대 경로당", GroupContact: "051-1"}); err != nil {
		t.Fatal(err)
	}
	sid := strconv.FormatInt(s.ID, 10)

	for _, lang := range []string{"ko", "en"} {
		expectPage(t, "sessions "+lang, c.do(tutor, lang, "GET", "/staff/sessions", "", ""), 200, "/staff/sessions/"+sid)
		expectPage(t, "admin sessions "+lang, c.do(admin, lang, "GET", "/staff/sessions", "", ""), 200, "/admin/sessions/"+sid)
		expectPage(t, "roster "+lang, c.do(tutor, lang, "GET", "/staff/sessions/"+sid, "", ""), 200, "시민0", `name="registration" value="`)
		expectPage(t, "checkin "+lang, c.do(tutor, lang, "GET", "/staff/checkin", "", ""), 200, `id="scanner" hidden`, `src="/static/js/scan.js"`, `for="f-ticket"`)
		expectPage(t, "feedback results "+lang, c.do(admin, lang, "GET", "/staff/sessions/"+sid+"/feedback", "", ""), 200)
		expectPage(t, "admin "+lang, c.do(admin, lang, "GET", "/admin/sessions/"+sid, "", ""), 200, `id="f-capacity"`, `<option value="`+strconv.FormatInt(userIDOf(tutor), 10)+`" selected>tutor1</option>`)
	}
	expectPage(t, "roster by citizen", c.do(people[0], "ko", "GET", "/staff/sessions/"+sid, "", ""), 403)
	expectPage(t, "admin page by tutor", c.do(tutor, "ko", "GET", "/admin/sessions/"+sid, "", ""), 403)

	// Check-in by ticket: a wrong code keeps the field and says why.
	w := c.form(tutor, "/staff/checkin", url.Values{"ticket": {"nope"}})
	expectPage(t, "bad ticket", w, 404, `role="alert"`, `aria-invalid="true"`, `value="nope"`, "이 번호의 입장권이 없습니다")
	w = c.form(tutor, "/staff/checkin", url.Values{"ticket": {TicketPrefix + regs[0].Ticket}})
	if w.Code != 303 || w.Header().Get("Location") != "/staff/checkin?done="+strconv.FormatInt(regs[0].ID, 10) {
		t.Fatalf("check-in: %d %s", w.Code, w.Header().Get("Location"))
	}
	expectPage(t, "after check-in", c.do(tutor, "en", "GET", w.Header().Get("Location"), "", ""), 200, `role="status"`, "시민0 checked in", "completion requirement")
	w = c.form(admin, "/staff/checkin", url.Values{"ticket": {regs[0].Ticket}})
	expectPage(t, "second check-in", w, 409, "이미 출석 확인했습니다")

	// From the roster.
	w = c.form(tutor, "/staff/sessions/"+sid+"/checkin", url.Values{"registration": {strconv.FormatInt(regs[1].ID, 10)}})
	if w.Code != 303 {
		t.Fatalf("roster check-in: %d %s", w.Code, w.Body.String())
	}
	expectPage(t, "roster after check-in", c.do(tutor, "ko", "GET", w.Header().Get("Location"), "", ""), 200, `role="status"`, "시민1 님 출석 확인")
	expectPage(t, "roster check-in of nothing", c.form(tutor, "/staff/sessions/"+sid+"/checkin", url.Values{"registration": {"x"}}), 404, `role="alert"`)

	// API.
	w = c.do(admin, "en", "POST", "/api/v1/checkin", `{"ticket":"`+regs[1].Ticket+`"}`, "application/json")
	expectPage(t, "api second check-in", w, 409, `"conflict"`, "Already checked in")
	w = c.do(admin, "en", "POST", "/api/v1/checkin", `{"ticket":"`+regs[2].Ticket+`"}`, "application/json")
	expectPage(t, "api check-in", w, 200, `"name":"시민2"`, `"completed":true`)
	expectPage(t, "api roster", c.do(tutor, "en", "GET", "/api/v1/sessions/"+sid+"/roster", "", ""), 200, `"attended_at"`)
	if strings.Contains(c.do(tutor, "en", "GET", "/api/v1/sessions/"+sid+"/roster", "", "").Body.String(), regs[2].Ticket) {
		t.Error("the roster API shows tickets")
	}

	// Feedback, by the learner, once the class has started.
	f.now = s.StartsAt.Add(time.Hour)
	fb := "/my/registrations/" + strconv.FormatInt(regs[0].ID, 10) + "/feedback"
	w = c.do(people[0], "ko", "GET", fb, "", "")
	expectPage(t, "feedback form", w, 200, "<fieldset", "<legend>", "5점: 아주 좋았어요", `id="f-rating"`, `id="f-comment"`)
	if n := strings.Count(w.Body.String(), `type="radio"`); n != 5 {
		t.Errorf("%d radio buttons, want 5", n)
	}
	expectPage(t, "feedback without rating", c.form(people[0], fb, url.Values{"comment": {"좋아요"}}), 422, `role="alert"`, `href="#f-rating"`, "좋아요")
	w = c.form(people[0], fb, url.Values{"rating": {"4"}, "comment": {"친절했어요"}})
	if w.Code != 303 {
		t.Fatalf("feedback: %d %s", w.Code, w.Body.String())
	}
	expectPage(t, "feedback given", c.do(people[0], "ko", "GET", fb, "", ""), 200, "4점: 좋았어요", "친절했어요")
	expectPage(t, "feedback by someone else", c.do(people[1], "ko", "GET", fb, "", ""), 404)
	expectPage(t, "feedback not attended", c.do(people[2], "ko", "GET", "/my/registrations/"+strconv.FormatInt(regs[2].ID, 10)+"/feedback", "", ""), 200)
	w = c.do(people[1], "en", "POST", "/api/v1/registrations/"+strconv.FormatInt(regs[1].ID, 10)+"/feedback", `{"rating":2}`, "application/json")
	expectPage(t, "api feedback", w, 201, `"rating":2`)
	expectPage(t, "results", c.do(tutor, "en", "GET", "/staff/sessions/"+sid+"/feedback", "", ""), 200, "Average 3.0 out of 5 (2 ratings)", "친절했어요", "<table")
	expectPage(t, "api results", c.do(tutor, "en", "GET", "/api/v1/sessions/"+sid+"/feedback", "", ""), 200, `"average":3`, `"4":1`)

	// Session admin forms.
	future := f.scheduleAt(t, "PAGE-3", f.course.ID, 0, f.now.Add(48*time.Hour), 3, FirstCome)
	fid := strconv.FormatInt(future.ID, 10)
	expectPage(t, "capacity not a number", c.form(admin, "/admin/sessions/"+fid+"/capacity", url.Values{"capacity": {"many"}}), 422, `href="#f-capacity"`, `value="many"`)
	if w := c.form(admin, "/admin/sessions/"+fid+"/capacity", url.Values{"capacity": {"8"}}); w.Code != 303 {
		t.Fatalf("capacity: %d %s", w.Code, w.Body.String())
	}
	expectPage(t, "bad closing time", c.form(admin, "/admin/sessions/"+fid+"/allocation", url.Values{"allocation": {"lottery"}, "closes_date": {"2026-12-02"}, "closes_time": {"25:00"}}), 422, `href="#f-lottery_closes_at"`)
	if w := c.form(admin, "/admin/sessions/"+fid+"/allocation", url.Values{"allocation": {"lottery"}, "closes_date": {"2026-12-02"}, "closes_time": {"18:00"}}); w.Code != 303 {
		t.Fatalf("allocation: %d %s", w.Code, w.Body.String())
	}
	got, _ := f.svc.Session(context.Background(), future.ID)
	if want := time.Date(2026, 12, 2, 18, 0, 0, 0, i18n.Zone); got.Allocation != Lottery || !got.LotteryClosesAt.Equal(want) {
		t.Fatalf("allocation saved as %s closing %v, want lottery closing %v", got.Allocation, got.LotteryClosesAt, want)
	}
	expectPage(t, "lottery section", c.do(admin, "ko", "GET", "/admin/sessions/"+fid, "", ""), 200, `action="/admin/sessions/`+fid+`/close-applications"`)
	if w := c.form(admin, "/admin/sessions/"+fid+"/close-applications", nil); w.Code != 303 {
		t.Fatalf("close: %d %s", w.Code, w.Body.String())
	}
	expectPage(t, "draw section", c.do(admin, "ko", "GET", "/admin/sessions/"+fid, "", ""), 200, `action="/admin/sessions/`+fid+`/draw"`)
	if w := c.form(admin, "/admin/sessions/"+fid+"/draw", nil); w.Code != 303 {
		t.Fatalf("draw: %d %s", w.Code, w.Body.String())
	}
	expectPage(t, "cancel unconfirmed", c.form(admin, "/admin/sessions/"+fid+"/cancel", nil), 422, `href="#f-confirm"`)
	if w := c.form(admin, "/admin/sessions/"+fid+"/cancel", url.Values{"confirm": {"yes"}}); w.Code != 303 {
		t.Fatalf("cancel: %d %s", w.Code, w.Body.String())
	}
	expectPage(t, "cancelled admin page", c.do(admin, "en", "GET", "/admin/sessions/"+fid, "", ""), 200, "This class has been cancelled")
	other := strconv.FormatInt(f.scheduleAt(t, "PAGE-4", f.course.ID, 0, f.now.Add(48*time.Hour), 3, FirstCome).ID, 10)
	expectPage(t, "api capacity", c.do(admin, "en", "POST", "/api/v1/admin/sessions/"+other+"/capacity", `{"capacity":0}`, "application/json"), 422, `"field":"capacity"`)
	expectPage(t, "api capacity ok", c.do(admin, "en", "POST", "/api/v1/admin/sessions/"+other+"/capacity", `{"capacity":6}`, "application/json"), 200, `"capacity":6`)
	expectPage(t, "api capacity after the start", c.do(admin, "en", "POST", "/api/v1/admin/sessions/"+sid+"/capacity", `{"capacity":9}`, "application/json"), 409)
	expectPage(t, "api tutor", c.do(admin, "en", "POST", "/api/v1/admin/sessions/"+sid+"/tutor", `{"tutor_id":0}`, "application/json"), 200, `"session"`)
	expectPage(t, "api by tutor", c.do(tutor, "en", "POST", "/api/v1/admin/sessions/"+sid+"/cancel", ``, "application/json"), 403)
}

func TestParseCloses(t *testing.T) {
	t.Parallel()
	at := func(h, m int) time.Time { return time.Date(2026, 12, 2, h, m, 0, 0, i18n.Zone) }
	cases := []struct {
		date, clock string
		want        time.Time
		bad         bool
	}{
		{"", "", time.Time{}, false},
		{"2026-12-02", "18:00", at(18, 0), false},
		{"2026-12-02", "1800", at(18, 0), false},
		{"2026-12-02", "18", at(18, 0), false},
		{"2026-12-02", "9", at(9, 0), false},
		{"2026-12-02", "9:30", at(9, 30), false},
		{"2026-12-02", "930", at(9, 30), false},
		{"2026-12-02", "18.30", at(18, 30), false},
		{"2026-12-02", "18시 30분", at(18, 30), false},
		{"2026-12-02", "", at(0, 0), false},
		{"2026-12-02", "25:00", time.Time{}, true},
		{"2026-12-02", "6pm", time.Time{}, true},
		{"", "18:00", time.Time{}, true},
		{"02/12/2026", "18:00", time.Time{}, true},
	}
	for _, c := range cases {
		got, err := parseCloses(c.date, c.clock)
		if c.bad {
			wantErrKey(t, c.date+" "+c.clock, err, errs.Invalid, "staff.lottery_close_format")
			continue
		}
		if err != nil || !got.Equal(c.want) {
			t.Errorf("parseCloses(%q, %q) = %v, %v; want %v", c.date, c.clock, got, err, c.want)
		}
	}
}
