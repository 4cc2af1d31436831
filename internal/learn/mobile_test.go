package learn

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// adminTableCounts counts the rows of every table the admin features touch.
type adminTableCounts struct{ mobile, venues, sessions, courses, regs, outbox, audit int }

func adminCountTables(t *testing.T, d *db.DB) adminTableCounts {
	t.Helper()
	var c adminTableCounts
	ctx := context.Background()
	for q, dst := range map[string]*int{
		`SELECT COUNT(*) FROM mobile_requests`: &c.mobile, `SELECT COUNT(*) FROM venues`: &c.venues,
		`SELECT COUNT(*) FROM class_sessions`: &c.sessions, `SELECT COUNT(*) FROM courses`: &c.courses,
		`SELECT COUNT(*) FROM registrations`: &c.regs, `SELECT COUNT(*) FROM outbox`: &c.outbox, `SELECT COUNT(*) FROM audit_log`: &c.audit,
	} {
		if err := d.Read().QueryRowContext(ctx, q).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func mobGoodRequest() MobileRequest {
	return MobileRequest{CentreName: "양정경로당", CentreKind: "senior", District: "21050", Address: "부산진구 양정로 1",
		ContactName: "김담당", ContactPhone: "010-2222-3333", Theme: "everyday", PreferredDates: "4월 중 화요일 오전", Learners: 12}
}

func mobWantErr(t *testing.T, name string, err error, code errs.Code, key string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != code || (key != "" && e.Key != key) {
		t.Errorf("%s: err = %v, want %s %s", name, err, code, key)
	}
}

func TestMobileRequestValidationChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizen := f.citizens(t, 1)[0]
		cases := []struct {
			name, field string
			edit        func(*MobileRequest)
		}{
			{"no centre name", "centre_name", func(m *MobileRequest) { m.CentreName = "  " }},
			{"unknown kind", "centre_kind", func(m *MobileRequest) { m.CentreKind = "school" }},
			{"unknown district", "district", func(m *MobileRequest) { m.District = "99999" }},
			{"no address", "address", func(m *MobileRequest) { m.Address = "" }},
			{"no contact", "contact_name", func(m *MobileRequest) { m.ContactName = "" }},
			{"malformed phone", "contact_phone", func(m *MobileRequest) { m.ContactPhone = "051-12-34" }},
			{"unknown theme", "theme", func(m *MobileRequest) { m.Theme = "cooking" }},
			{"no dates", "preferred_dates", func(m *MobileRequest) { m.PreferredDates = "" }},
			{"no learners", "learners", func(m *MobileRequest) { m.Learners = 0 }},
			{"too many learners", "learners", func(m *MobileRequest) { m.Learners = 101 }},
			{"long notes", "notes", func(m *MobileRequest) { m.Notes = strings.Repeat("가", 1001) }},
		}
		for _, c := range cases {
			before := adminCountTables(t, d)
			m := mobGoodRequest()
			c.edit(&m)
			_, err := f.svc.RequestMobileClass(citizen, m)
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid || e.Field != c.field {
				t.Errorf("%s: err = %v, want invalid %s", c.name, err, c.field)
			}
			if after := adminCountTables(t, d); after != before {
				t.Errorf("%s: changed the database: %+v -> %+v", c.name, before, after)
			}
		}
		before := adminCountTables(t, d)
		_, err := f.svc.RequestMobileClass(context.Background(), mobGoodRequest())
		mobWantErr(t, "anonymous", err, errs.Unauthorized, "error.unauthorized")
		if after := adminCountTables(t, d); after != before {
			t.Errorf("anonymous: changed the database")
		}

		m, err := f.svc.RequestMobileClass(citizen, mobGoodRequest())
		if err != nil {
			t.Fatal(err)
		}
		if m.ContactPhone != "+821022223333" || m.Status != MobileRequested || m.RequestedBy != actor.From(citizen).ID {
			t.Fatalf("stored %+v", m)
		}
		mine, err := f.svc.MyMobileRequests(citizen)
		if err != nil || len(mine) != 1 || mine[0].ID != m.ID {
			t.Fatalf("mine = %v, %v", mine, err)
		}
		if _, err := f.svc.MobileRequests(citizen, ""); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("citizen lists the queue: %v", err)
		}
	})
}

func TestMobileDecisions(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizen := f.citizens(t, 1)[0]
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		f.staff(t, actor.Tutor, "tutor1")
		fraud, err := f.svc.SaveCourse(context.Background(), Course{Code: "FRAUD-1", Theme: "fraud", Level: "beginner", TitleKo: "보이스피싱 예방", SessionsToComplete: 1})
		if err != nil {
			t.Fatal(err)
		}
		m, err := f.svc.RequestMobileClass(citizen, mobGoodRequest())
		if err != nil {
			t.Fatal(err)
		}
		day := f.now.AddDate(0, 0, 10)
		good := MobileSchedule{CourseID: f.course.ID, StartsAt: day, EndsAt: day.Add(2 * time.Hour), TutorUsername: "tutor1"}

		// Refusals change nothing.
		bad := []struct {
			name string
			ctx  context.Context
			in   MobileSchedule
			code errs.Code
			key  string
		}{
			{"citizen", citizen, good, errs.Forbidden, "error.forbidden"},
			{"wrong theme", admin, MobileSchedule{CourseID: fraud.ID, StartsAt: good.StartsAt, EndsAt: good.EndsAt}, errs.Invalid, "mobile.course_wrong_theme"},
			{"no course", admin, MobileSchedule{StartsAt: good.StartsAt, EndsAt: good.EndsAt}, errs.Invalid, "mobile.course_required"},
			{"past", admin, MobileSchedule{CourseID: f.course.ID, StartsAt: f.now.Add(-time.Hour), EndsAt: f.now}, errs.Invalid, "mobile.date_past"},
			{"end before start", admin, MobileSchedule{CourseID: f.course.ID, StartsAt: good.StartsAt, EndsAt: good.StartsAt}, errs.Invalid, "learn.end_before_start"},
			{"unknown tutor", admin, MobileSchedule{CourseID: f.course.ID, StartsAt: good.StartsAt, EndsAt: good.EndsAt, TutorUsername: "nobody"}, errs.Invalid, "import.tutor_unknown"},
			{"admin as tutor", admin, MobileSchedule{CourseID: f.course.ID, StartsAt: good.StartsAt, EndsAt: good.EndsAt, TutorUsername: "admin1"}, errs.Invalid, "import.tutor_not_tutor"},
		}
		for _, c := range bad {
			before := adminCountTables(t, d)
			_, err := f.svc.ScheduleMobileClass(c.ctx, m.ID, c.in)
			mobWantErr(t, c.name, err, c.code, c.key)
			if after := adminCountTables(t, d); after != before {
				t.Errorf("%s: changed the database: %+v -> %+v", c.name, before, after)
			}
		}
		if _, err := f.svc.ScheduleMobileClass(admin, 99999, good); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown request: %v", err)
		}

		before := adminCountTables(t, d)
		got, err := f.svc.ScheduleMobileClass(admin, m.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		after := adminCountTables(t, d)
		if after.venues != before.venues+1 || after.sessions != before.sessions+1 || after.outbox != before.outbox+1 {
			t.Errorf("schedule wrote %+v -> %+v, want one venue, one session, one message", before, after)
		}
		if got.Status != MobileScheduled || got.SessionID == 0 || got.DecidedBy != actor.From(admin).ID {
			t.Fatalf("scheduled request %+v", got)
		}
		s, err := f.svc.Session(context.Background(), got.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		if s.Capacity != 12 || s.Venue.Kind != "mobile" || s.Venue.Slug != MobileSlug(m.ID) || s.Venue.District != "21050" || s.TutorID == 0 || !s.StartsAt.Equal(day) {
			t.Errorf("session %+v venue %+v", s, s.Venue)
		}
		var kind string
		if err := d.Read().QueryRowContext(context.Background(), `SELECT kind FROM outbox WHERE user_id = $1 ORDER BY id DESC LIMIT 1`,
			actor.From(citizen).ID).Scan(&kind); err != nil || kind != "mobile_class" {
			t.Errorf("requester's message: kind %q, %v", kind, err)
		}

		// Deciding again is a conflict and changes nothing.
		before = adminCountTables(t, d)
		_, err = f.svc.ScheduleMobileClass(admin, m.ID, good)
		mobWantErr(t, "schedule twice", err, errs.Conflict, "mobile.already_decided")
		_, err = f.svc.DeclineMobileClass(admin, m.ID, "no tutor")
		mobWantErr(t, "decline after schedule", err, errs.Conflict, "mobile.already_decided")
		if after := adminCountTables(t, d); after != before {
			t.Errorf("second decision changed the database: %+v -> %+v", before, after)
		}

		// Declining needs a reason, and happens once.
		m2, err := f.svc.RequestMobileClass(citizen, mobGoodRequest())
		if err != nil {
			t.Fatal(err)
		}
		before = adminCountTables(t, d)
		_, err = f.svc.DeclineMobileClass(admin, m2.ID, "   ")
		mobWantErr(t, "no reason", err, errs.Invalid, "mobile.reason_required")
		if after := adminCountTables(t, d); after != before {
			t.Errorf("refused decline changed the database")
		}
		if _, err := f.svc.DeclineMobileClass(admin, m2.ID, "강사가 부족합니다."); err != nil {
			t.Fatal(err)
		}
		before = adminCountTables(t, d)
		_, err = f.svc.DeclineMobileClass(admin, m2.ID, "again")
		mobWantErr(t, "decline twice", err, errs.Conflict, "mobile.already_decided")
		_, err = f.svc.ScheduleMobileClass(admin, m2.ID, good)
		mobWantErr(t, "schedule after decline", err, errs.Conflict, "mobile.already_decided")
		if after := adminCountTables(t, d); after != before {
			t.Errorf("decision after decline changed the database")
		}
		queue, err := f.svc.MobileRequests(admin, MobileDeclined)
		if err != nil || len(queue) != 1 || queue[0].DeclineReason != "강사가 부족합니다." {
			t.Fatalf("declined queue = %+v, %v", queue, err)
		}
	})
}

// Two admins deciding one request at once: exactly one wins.
func TestMobileConcurrentDecisions(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizen := f.citizens(t, 1)[0]
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		for round := range 5 {
			m, err := f.svc.RequestMobileClass(citizen, mobGoodRequest())
			if err != nil {
				t.Fatal(err)
			}
			day := f.now.AddDate(0, 0, 3+round)
			var wg sync.WaitGroup
			results := make([]error, 6)
			for i := range results {
				wg.Go(func() {
					if i%2 == 0 {
						_, results[i] = f.svc.ScheduleMobileClass(admin, m.ID, MobileSchedule{CourseID: f.course.ID, StartsAt: day, EndsAt: day.Add(time.Hour)})
					} else {
						_, results[i] = f.svc.DeclineMobileClass(admin, m.ID, "busy")
					}
				})
			}
			wg.Wait()
			wins := 0
			for _, err := range results {
				switch {
				case err == nil:
					wins++
				case errs.CodeOf(err) != errs.Conflict:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if wins != 1 {
				t.Fatalf("round %d: %d decisions succeeded, want 1", round, wins)
			}
		}
	})
}

// adminRouter is the learning centre's routes on their own.
func adminRouter(f *fixture) *web.Router {
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, Options{})
	return rt
}

// adminTestServer serves the learning centre's routes with a fixed actor, as the
// session middleware would.
func adminTestServer(t *testing.T, f *fixture) func(ctx context.Context, method, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	rt := adminRouter(f)
	return func(ctx context.Context, method, path string, form url.Values) *httptest.ResponseRecorder {
		var r *http.Request
		if form != nil {
			r = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			r = httptest.NewRequest(method, path, nil)
		}
		w := httptest.NewRecorder()
		rt.ServeHTTP(w, r.WithContext(ctx))
		return w
	}
}

func TestMobilePages(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizen := f.citizens(t, 1)[0]
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		do := adminTestServer(t, f)

		if w := do(context.Background(), "GET", "/mobile-classes/request", nil); w.Code != 200 || !strings.Contains(w.Body.String(), "1800-0096") {
			t.Fatalf("anonymous request page: %d", w.Code)
		}
		form := url.Values{}
		for k, v := range map[string]string{"centre_name": "양정경로당", "centre_kind": "senior", "district": "21050", "address": "양정로 1",
			"contact_name": "김담당", "contact_phone": "051-12-34", "theme": "everyday", "preferred_dates": "화요일", "learners": "12"} {
			form.Set(k, v)
		}
		before := adminCountTables(t, d)
		w := do(citizen, "POST", "/mobile-classes/request", form)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="f-contact_phone"`) || !strings.Contains(w.Body.String(), `aria-invalid="true"`) {
			t.Fatalf("bad phone: %d\n%s", w.Code, w.Body.String())
		}
		if adminCountTables(t, d) != before {
			t.Fatal("refused form changed the database")
		}
		form.Set("contact_phone", "051-123-4567")
		if w := do(citizen, "POST", "/mobile-classes/request", form); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/mobile-classes/mine" {
			t.Fatalf("submit: %d %s", w.Code, w.Header().Get("Location"))
		}
		if w := do(citizen, "GET", "/mobile-classes/mine", nil); w.Code != 200 || !strings.Contains(w.Body.String(), "양정경로당") {
			t.Fatalf("mine: %d", w.Code)
		}
		if w := do(citizen, "GET", "/admin/mobile-classes", nil); w.Code != http.StatusForbidden {
			t.Fatalf("citizen opens the queue: %d", w.Code)
		}
		w = do(admin, "GET", "/admin/mobile-classes", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "양정경로당") {
			t.Fatalf("queue: %d", w.Code)
		}
		reqs, _ := f.svc.MobileRequests(admin, "")
		id := strconv.FormatInt(reqs[0].ID, 10)
		if w := do(admin, "GET", "/admin/mobile-classes/"+id, nil); w.Code != 200 || !strings.Contains(w.Body.String(), f.course.TitleKo) {
			t.Fatalf("detail: %d", w.Code)
		}
		day := f.now.In(time.FixedZone("KST", 9*3600)).AddDate(0, 0, 5).Format("2006-01-02")
		sched := url.Values{"course": {strconv.FormatInt(f.course.ID, 10)}, "date": {day}, "start": {"10:00"}, "end": {"9:00"}}
		if w := do(admin, "POST", "/admin/mobile-classes/"+id+"/schedule", sched); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="s-end"`) {
			t.Fatalf("bad schedule: %d", w.Code)
		}
		sched.Set("end", "12:00")
		if w := do(admin, "POST", "/admin/mobile-classes/"+id+"/schedule", sched); w.Code != http.StatusSeeOther {
			t.Fatalf("schedule: %d\n%s", w.Code, w.Body.String())
		}
		if w := do(admin, "POST", "/admin/mobile-classes/"+id+"/decline", url.Values{"reason": {"x"}}); w.Code != http.StatusConflict {
			t.Fatalf("decline after schedule: %d", w.Code)
		}
		if w := do(admin, "GET", "/admin/mobile-classes/"+id, nil); w.Code != 200 || !strings.Contains(w.Body.String(), "/sessions/") {
			t.Fatalf("decided detail: %d", w.Code)
		}
		w = do(admin, "GET", "/api/v1/mobile-requests?status=scheduled", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"scheduled"`) {
			t.Fatalf("api list: %d %s", w.Code, w.Body.String())
		}
	})
}
