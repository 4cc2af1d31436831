package booking

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// site serves the booking pages as the actor of ctx, behind the site's
// security headers (its CSP) and preferences, with the static assets.
func site(t *testing.T, f *fixture, ctx context.Context) *httptest.Server {
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, Options{})
	rt.HandleHTTP("GET /static/", web.Static())
	web.RegisterPrefs(rt)
	who := actor.From(ctx)
	h := web.SecurityHeaders(web.WithPrefsMiddleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt.ServeHTTP(w, r.WithContext(actor.With(r.Context(), who)))
	})))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserPagesPassAxe books a slot with the keyboard alone and runs axe-core
// on every booking page, citizen's and staff's, in both languages.
func TestBrowserPagesPassAxe(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	f := newFixture(t, dbtest.SQLite(t))
	res := f.resource(Resource{NameKo: "탁구대", NameEn: "Table tennis", Kind: "equipment", Capacity: 2, MaxParty: 2})
	room := f.resource(Resource{NameKo: "세미나실", NameEn: "Seminar room", Kind: "room", Capacity: 1, Approval: true})
	cs := f.citizens(2)
	if _, err := f.svc.Book(cs[1], Request{ResourceID: room.ID, StartsAt: at(1, 10, 0)}); err != nil {
		t.Fatal(err)
	}
	citizen, staff := site(t, f, cs[0]).URL, site(t, f, f.admin).URL
	rid := strconv.FormatInt(res.ID, 10)

	b.Visit(t, citizen+"/lang/ko?next=/book/resources/"+rid)
	b.TabTo(t, `a[href="/book/resources/`+rid+`/slot?at=2026-12-02T10%3a00"]`, 80)
	b.PressNavigate(t, "Enter")
	b.Axe(t)
	b.TabTo(t, "#f-party", 40)
	b.Press(t, "ArrowDown")
	b.TabTo(t, `form[action="/book/resources/`+rid+`"] button[type=submit]`, 5)
	b.PressNavigate(t, "Enter")
	if loc := b.Location(t); !strings.Contains(loc, "/my/bookings/") {
		t.Fatalf("booking went to %s", loc)
	}
	b.Axe(t)
	if got := b.Text(t, "main"); !strings.Contains(got, "예약 확정") || !strings.Contains(got, "2명") && !strings.Contains(got, "2") {
		t.Fatalf("ticket: %s", got)
	}
	ticket := strings.TrimPrefix(b.Location(t), citizen)

	for _, lang := range []string{"ko", "en"} {
		b.Visit(t, citizen+"/lang/"+lang+"?next=/book")
		for _, p := range []string{"/book", "/book/facilities/7", "/book/resources/" + rid, "/book/resources/" + rid + "?week=2026-12-07",
			"/book/resources/" + rid + "/slot?at=2026-12-01T09:00", ticket, "/my/bookings"} {
			b.Visit(t, citizen+p)
		}
		b.Visit(t, staff+"/lang/"+lang+"?next=/staff/booking")
		for _, p := range []string{"/staff/booking", "/staff/booking/resources/new?facility=7", "/staff/booking/resources/" + rid,
			"/staff/booking/facilities/7/day?date=2026-12-02", "/staff/booking/checkin", "/staff/booking/approvals"} {
			b.Visit(t, staff+p)
		}
	}
	// A refused form: the error summary comes first and leads to the field.
	b.Visit(t, staff+"/lang/ko?next=/staff/booking/resources/new?facility=7")
	b.TabTo(t, "#f-name_ko", 40)
	b.Type(t, "테니스 코트")
	b.TabTo(t, "#f-max_party", 10)
	b.Press(t, "Backspace")
	b.Type(t, "5") // more than its one place: the browser allows it, the server does not
	b.TabTo(t, `form[action="/staff/booking/resources"] button[type=submit]`, 40)
	// PressNavigate insists on a success; this answer is a 422 on purpose.
	ctx, cancel := context.WithTimeout(b.Ctx(), 20*time.Second)
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter))
	cancel()
	if err != nil || resp == nil || resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("submitting the refused form: %v, %+v", err, resp)
	}
	b.Axe(t)
	if got := b.Text(t, ".error-summary"); !strings.Contains(got, "정원(1)") {
		t.Fatalf("error summary %q", got)
	}
	b.TabTo(t, `.error-summary a[href="#f-max_party"]`, 40)
	if rs, err := f.svc.Resources(context.Background(), true); err != nil || len(rs) != 2 {
		t.Fatalf("a refused resource was saved: %d, %v", len(rs), err)
	}
}
