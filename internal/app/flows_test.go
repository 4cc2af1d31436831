package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/learn"
)

// futureSession schedules a fresh first-come session with capacity seats.
func futureSession(t testing.TB, a *app.App, code string, capacity int) learn.Session {
	t.Helper()
	ctx := context.Background()
	cs, err := a.Learn.Courses(ctx, "everyday")
	if err != nil || len(cs) == 0 {
		t.Fatal("no courses", err)
	}
	vs, err := a.Learn.Venues(ctx, "hub", "")
	if err != nil || len(vs) == 0 {
		t.Fatal("no venues", err)
	}
	start := time.Now().Add(10 * 24 * time.Hour).Truncate(time.Hour)
	s, err := a.Learn.ScheduleSession(ctx, learn.NewSession{Code: code, CourseID: cs[0].ID, VenueID: vs[0].ID,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Capacity: capacity})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCitizenRegistersAndCancels(t *testing.T) {
	t.Parallel()
	apptest.EachBackend(t, func(t *testing.T, ta *apptest.App) {
		s := futureSession(t, ta.App, "FLOW-1", 1)
		first, second := ta.Client(t), ta.Client(t)
		ta.SignInCitizen(t, first, ta.Phone)
		ta.SignInCitizen(t, second, "010-5555-0101") // a new citizen: signs up on the way
		if st, body := second.Post("/account", url.Values{"name": {"새 시민"}, "district": {"21090"}, "birth_year": {"1948"}, "lang": {"ko"}}); st != 200 {
			t.Fatalf("profile: %d %s", st, apptest.Trim(body))
		}

		path := fmt.Sprintf("/sessions/%d/register", s.ID)
		st, body := first.Post(path, url.Values{"seats": {"1"}})
		if st != 200 || !strings.Contains(body, "신청이 확정되었습니다") || !strings.Contains(body, `role="img"`) {
			t.Fatalf("first registration: %d\n%s", st, apptest.Trim(body))
		}
		st, body = second.Post(path, url.Values{"seats": {"1"}})
		if st != 200 || !strings.Contains(body, "대기 명단") {
			t.Fatalf("second registration: %d\n%s", st, apptest.Trim(body))
		}
		if st, body := first.Post(path, url.Values{"seats": {"1"}}); st != 409 || !strings.Contains(body, "이미 이 수업을 신청") {
			t.Fatalf("duplicate: %d\n%s", st, apptest.Trim(body))
		}

		// The first cancels; the second is promoted and told by message.
		regID := myRegistrationID(t, first)
		if st, body := first.Post("/my/registrations/"+regID+"/cancel", url.Values{}); st != 200 || !strings.Contains(body, "취소했습니다") {
			t.Fatalf("cancel: %d\n%s", st, apptest.Trim(body))
		}
		if _, body := second.Get("/my/registrations"); !strings.Contains(body, "확정") {
			t.Fatalf("second not promoted:\n%s", apptest.Trim(body))
		}
		msgs, err := ta.Notify.Outbox(context.Background(), "+821055550101", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) < 3 || !strings.Contains(msgs[0].Body, "확정되었습니다") {
			t.Fatalf("promotion message missing: %+v", msgs)
		}
	})
}

func myRegistrationID(t *testing.T, c *apptest.Client) string {
	t.Helper()
	_, body := c.Get("/my/registrations")
	i := strings.Index(body, `href="/my/registrations/`)
	if i < 0 {
		t.Fatalf("no registration listed:\n%s", apptest.Trim(body))
	}
	rest := body[i+len(`href="/my/registrations/`):]
	return rest[:strings.IndexByte(rest, '"')]
}

func TestOperatorActsForCitizenByPhone(t *testing.T) {
	t.Parallel()
	apptest.EachBackend(t, func(t *testing.T, ta *apptest.App) {
		s := futureSession(t, ta.App, "FLOW-2", 10)
		op := ta.Client(t)
		ta.SignInStaff(t, op, "operator")

		// A caller who has never used Maeul: found by phone, created, helped.
		if _, body := op.Get("/acting?phone=010-4444-0001"); !strings.Contains(body, "010-4444-0001") || !strings.Contains(body, `name="name"`) {
			t.Fatalf("lookup:\n%s", apptest.Trim(body))
		}
		st, body := op.Post("/acting/start", url.Values{"phone": {"+821044440001"}, "name": {"전화 시민"}, "channel": {"phone"}})
		if st != 200 || !strings.Contains(body, "전화 시민 님을 대신하여") {
			t.Fatalf("start acting: %d\n%s", st, apptest.Trim(body))
		}
		st, body = op.Post(fmt.Sprintf("/sessions/%d/register", s.ID), url.Values{"seats": {"1"}})
		if st != 200 || !strings.Contains(body, "전화 시민 님을 대신하여") || !strings.Contains(body, "전화") {
			t.Fatalf("register on behalf: %d\n%s", st, apptest.Trim(body))
		}
		citizen, err := ta.Auth.Users.ByPhone(context.Background(), "010-4444-0001")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := audit.List(context.Background(), ta.DB, audit.Filter{SubjectType: "registration"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || rows[0].OnBehalfOf != citizen.ID || rows[0].Channel != actor.Phone {
			t.Fatalf("audit does not record acting for: %+v", rows)
		}
		if st, body := op.Post("/acting/end", url.Values{}); st != 200 || strings.Contains(body, "acting-banner") {
			t.Fatalf("end acting: %d", st)
		}
	})
}

// TestTwoInstancesShareState runs two servers, each with its own pool, on
// one PostgreSQL database: a session started on one is valid on the other,
// and a registration race split across both is still exact.
func TestTwoInstancesShareState(t *testing.T) {
	t.Parallel()
	dsn := dbtest.PostgresDSN(t)
	ctx := context.Background()
	open := func() *db.DB {
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return d
	}
	ta := apptest.New(t, open())
	other, err := app.New(open(), app.Options{Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	srvB := httptest.NewServer(other)
	t.Cleanup(srvB.Close)

	c := ta.Client(t)
	ta.SignInCitizen(t, c, ta.Phone)
	cb := &apptest.Client{T: t, Base: srvB.URL, HTTP: c.HTTP}
	// Cookies are per host: copy them to the second server's URL.
	ua, _ := url.Parse(ta.Server.URL)
	ub, _ := url.Parse(srvB.URL)
	c.HTTP.Jar.SetCookies(ub, c.HTTP.Jar.Cookies(ua))
	if st, body := cb.Get("/api/v1/me"); st != 200 || !strings.Contains(body, `"role":"citizen"`) {
		t.Fatalf("session not valid on the second instance: %d %s", st, body)
	}

	s := futureSession(t, ta.App, "TWO-1", 20)
	const n = 500
	ns := make([]auth.NewUser, n)
	for i := range ns {
		ns[i] = auth.NewUser{Name: fmt.Sprintf("경쟁 %d", i), Phone: fmt.Sprintf("+82106%07d", i)}
	}
	var ids map[string]int64
	if err := ta.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		ids, err = ta.Auth.Users.CreateCitizensTx(ctx, tx, ns)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	tokens := make([]string, n)
	for i, nu := range ns {
		tok, _, err := ta.Auth.Sessions.Issue(ctx, auth.User{ID: ids[nu.Phone], Role: actor.Citizen})
		if err != nil {
			t.Fatal(err)
		}
		tokens[i] = tok
	}
	hc := &http.Client{Timeout: time.Minute}
	var wg sync.WaitGroup
	statuses := make([]string, n)
	for i := range n {
		wg.Go(func() {
			base := ta.Server.URL
			if i%2 == 1 {
				base = srvB.URL
			}
			req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/sessions/%d/registrations", base, s.ID), nil)
			req.Header.Set("Cookie", auth.CookieName+"="+tokens[i]+"; maeul_csrf=race-csrf-token-race-csrf-token-00")
			req.Header.Set("X-CSRF-Token", "race-csrf-token-race-csrf-token-00")
			resp, err := hc.Do(req)
			if err != nil {
				statuses[i] = err.Error()
				return
			}
			resp.Body.Close()
			statuses[i] = resp.Status
		})
	}
	wg.Wait()
	for i, st := range statuses {
		if st != "201 Created" {
			t.Fatalf("request %d: %s", i, st)
		}
	}
	var confirmed, waiting int
	q := ta.DB.Read()
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status = 'confirmed'`, s.ID).Scan(&confirmed)
	q.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status = 'waitlisted'`, s.ID).Scan(&waiting)
	if confirmed != 20 || waiting != n-20 {
		t.Fatalf("confirmed %d, waitlisted %d; want 20 and %d", confirmed, waiting, n-20)
	}
	if over, err := ta.Learn.Overbooked(ctx); err != nil || over != 0 {
		t.Fatalf("overbooked sessions: %d (%v)", over, err)
	}
}
