package booking

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// pages drives the pages through the router as the actor of a context.
// Sessions and CSRF are the app's middleware, not tested here.
type pages struct {
	t  *testing.T
	rt *web.Router
}

var untranslated = regexp.MustCompile(`\b(booking|error|form)\.[a-z0-9_.]+`)

func (p pages) do(ctx context.Context, lang, method, path string, form url.Values) *httptest.ResponseRecorder {
	p.t.Helper()
	var body string
	if form != nil {
		body = form.Encode()
	}
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r = r.WithContext(web.WithPrefs(ctx, web.Prefs{Lang: lang}))
	w := httptest.NewRecorder()
	p.rt.ServeHTTP(w, r)
	if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		for _, m := range untranslated.FindAllString(w.Body.String(), -1) {
			if m != "booking.ics" {
				p.t.Errorf("%s %s: untranslated key %q", method, path, m)
			}
		}
	}
	return w
}

func (p pages) get(ctx context.Context, path string) *httptest.ResponseRecorder {
	return p.do(ctx, "ko", "GET", path, nil)
}

func (p pages) post(ctx context.Context, path string, form url.Values) *httptest.ResponseRecorder {
	return p.do(ctx, "ko", "POST", path, form)
}

func expect(t *testing.T, name string, w *httptest.ResponseRecorder, status int, contains ...string) {
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

func newPages(t *testing.T, f *fixture, opts Options) pages {
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, opts)
	return pages{t: t, rt: rt}
}

func TestCitizenPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	res := f.resource(Resource{NameKo: "탁구대", NameEn: "Table tennis", Kind: "equipment", Capacity: 2, MaxParty: 2})
	others := func(_ context.Context, _ int64, lang string) ([]Item, error) {
		return []Item{{Title: "스마트폰 기초", Place: "소담방", StartsAt: at(1, 9, 0), EndsAt: at(1, 9, 50), Status: "확정", URL: "/my/registrations/1"}}, nil
	}
	p := newPages(t, f, Options{Others: others})
	cs := f.citizens(2)
	rid := strconv.FormatInt(res.ID, 10)
	anon := context.Background()

	for _, lang := range []string{"ko", "en"} {
		expect(t, "index "+lang, p.do(anon, lang, "GET", "/book", nil), 200, `href="/book/facilities/7"`, `href="/book/resources/`+rid+`"`)
		expect(t, "facility "+lang, p.do(anon, lang, "GET", "/book/facilities/7", nil), 200, `href="/book/resources/`+rid+`"`)
		expect(t, "week "+lang, p.do(anon, lang, "GET", "/book/resources/"+rid, nil), 200, `/slot?at=2026-12-01T11%3a00`, `?week=2026-12-07`)
		expect(t, "slot anonymous "+lang, p.do(anon, lang, "GET", "/book/resources/"+rid+"/slot?at=2026-12-02T10:00", nil), 200, `/login?next=`)
		expect(t, "slot "+lang, p.do(cs[0], lang, "GET", "/book/resources/"+rid+"/slot?at=2026-12-02T10:00", nil), 200,
			`for="f-party"`, `name="at" value="2026-12-02T10:00"`)
	}
	expect(t, "slot in the past", p.get(cs[0], "/book/resources/"+rid+"/slot?at=2026-12-01T09:00"), 200, "이미 지난 시간")
	if w := p.get(cs[0], "/book/resources/"+rid+"/slot?at=2026-12-01T09:00"); strings.Contains(w.Body.String(), `action="/book/resources/`) {
		t.Error("a past slot offers its form")
	}
	// Today before the opening hour is not offered; the past never is.
	if w := p.get(anon, "/book/resources/"+rid); strings.Contains(w.Body.String(), "at=2026-12-01T10%3a00") || strings.Contains(w.Body.String(), "at=2026-12-01T09%3a00") {
		t.Error("the week offers a slot that has begun")
	}
	expect(t, "next week", p.get(anon, "/book/resources/"+rid+"?week=2026-12-07"), 200, "at=2026-12-07T09%3a00")

	w := p.post(cs[0], "/book/resources/"+rid, url.Values{"at": {"2026-12-02T10:00"}, "party": {"2"}})
	if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/my/bookings/") {
		t.Fatalf("book: %d %s", w.Code, w.Header().Get("Location"))
	}
	ticketPath := w.Header().Get("Location")
	expect(t, "ticket", p.get(cs[0], ticketPath), 200, "<svg", "예약 확정", "booking.ics")
	expect(t, "ticket of someone else", p.get(cs[1], ticketPath), 404)
	ics := p.get(cs[0], ticketPath+"/booking.ics")
	expect(t, "ics", ics, 200, "BEGIN:VCALENDAR", "SUMMARY:탁구대", "DTSTART:20261202T010000Z")
	if ct := ics.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("ics content type %q", ct)
	}

	expect(t, "full", p.post(cs[1], "/book/resources/"+rid, url.Values{"at": {"2026-12-02T10:00"}, "party": {"1"}}), 409,
		`class="error-summary"`, "마감", `name="waitlist" value="yes"`)
	before := f.state()
	expect(t, "off the boundary", p.post(cs[1], "/book/resources/"+rid, url.Values{"at": {"2026-12-02T10:15"}}), 422, `href="#f-at"`, `id="f-at"`)
	expect(t, "again", p.post(cs[0], "/book/resources/"+rid, url.Values{"at": {"2026-12-02T10:00"}}), 409, "이미 이 시간에")
	if f.state() != before {
		t.Error("a refused form changed something")
	}
	w = p.post(cs[1], "/book/resources/"+rid, url.Values{"at": {"2026-12-02T10:00"}, "party": {"1"}, "waitlist": {"yes"}})
	if w.Code != 303 {
		t.Fatalf("waitlist: %d", w.Code)
	}
	expect(t, "waiting ticket", p.get(cs[1], w.Header().Get("Location")), 200, "대기 중", "(대기 ")

	// One list, sorted by time, with the course from the other part first.
	mine := p.get(cs[0], "/my/bookings")
	expect(t, "mine", mine, 200, "스마트폰 기초", "탁구대", `/cancel"`)
	if body := mine.Body.String(); strings.Index(body, "스마트폰 기초") > strings.Index(body, "탁구대") {
		t.Error("my bookings are not sorted by time")
	}
	expect(t, "mine en", p.do(cs[0], "en", "GET", "/my/bookings", nil), 200, "Confirmed")
	id := strings.TrimPrefix(ticketPath, "/my/bookings/")
	if w := p.post(cs[0], "/my/bookings/"+id+"/cancel", url.Values{}); w.Code != 303 {
		t.Fatalf("cancel: %d", w.Code)
	}
	expect(t, "mine after cancelling", p.get(cs[0], "/my/bookings"), 200, "취소됨")
	expect(t, "promoted", p.get(cs[1], "/my/bookings"), 200, "예약 확정")
	expect(t, "mine anonymous", p.get(anon, "/my/bookings"), 303)
}

func TestStaffPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	p := newPages(t, f, Options{})
	res := f.resource(Resource{NameKo: "세미나실", Kind: "room", Capacity: 1, Approval: true})
	court := f.resource(Resource{NameKo: "배드민턴 코트", Capacity: 2})
	cs := f.citizens(2)
	req, err := f.svc.Book(cs[0], Request{ResourceID: res.ID, StartsAt: at(1, 10, 0)})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := f.svc.Book(cs[1], Request{ResourceID: court.ID, StartsAt: at(0, 11, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ko", "en"} {
		expect(t, "home "+lang, p.do(f.admin, lang, "GET", "/staff/booking", nil), 200, "/staff/booking/resources/"+strconv.FormatInt(res.ID, 10))
		expect(t, "new "+lang, p.do(f.admin, lang, "GET", "/staff/booking/resources/new?facility=7", nil), 200, `id="f-capacity"`, `name="facility_id" min="1" required inputmode="numeric" value="7"`)
		expect(t, "edit "+lang, p.do(f.admin, lang, "GET", "/staff/booking/resources/"+strconv.FormatInt(res.ID, 10), nil), 200, `value="세미나실"`)
		expect(t, "approvals "+lang, p.do(f.admin, lang, "GET", "/staff/booking/approvals", nil), 200, "시민")
		expect(t, "day "+lang, p.do(f.admin, lang, "GET", "/staff/booking/facilities/7/day?date=2026-12-01", nil), 200, `name="booking" value="`+strconv.FormatInt(ok.ID, 10)+`"`)
		expect(t, "checkin "+lang, p.do(f.admin, lang, "GET", "/staff/booking/checkin", nil), 200, `id="scanner" hidden`, `for="f-ticket"`)
	}
	expect(t, "home by a citizen", p.get(cs[0], "/staff/booking"), 403)
	expect(t, "day by a citizen", p.get(cs[0], "/staff/booking/facilities/7/day"), 403)

	// A new resource: a refusal keeps what was typed and saves nothing.
	form := url.Values{"facility_id": {"7"}, "kind": {"court"}, "name_ko": {"테니스 코트"}, "capacity": {"0"}, "max_party": {"1"},
		"slot_minutes": {"60"}, "days_ahead": {"7"}, "eligibility": {"everyone"}, "allocation": {"first_come"}, "active": {"yes"}}
	n := len(mustResources(t, f))
	expect(t, "invalid resource", p.post(f.admin, "/staff/booking/resources", form), 422, `href="#f-capacity"`, `value="테니스 코트"`, `aria-invalid="true"`)
	form.Set("capacity", "4")
	form.Set("hours", "Mo-Fr 25:00")
	expect(t, "invalid hours", p.post(f.admin, "/staff/booking/resources", form), 422, `href="#f-hours"`)
	form.Set("facility_id", "99")
	form.Set("hours", "")
	expect(t, "no such facility", p.post(f.admin, "/staff/booking/resources", form), 422, `href="#f-facility_id"`)
	expect(t, "by a citizen", p.post(cs[0], "/staff/booking/resources", form), 403)
	if len(mustResources(t, f)) != n {
		t.Fatal("a refused resource was saved")
	}
	form.Set("facility_id", "7")
	if w := p.post(f.admin, "/staff/booking/resources", form); w.Code != 303 {
		t.Fatalf("save: %d %s", w.Code, w.Body.String())
	}
	if len(mustResources(t, f)) != n+1 {
		t.Fatal("not saved")
	}

	// Approvals: a refusal needs a note.
	rid := strconv.FormatInt(req.ID, 10)
	expect(t, "refuse without a note", p.post(f.admin, "/staff/booking/bookings/"+rid+"/refuse", url.Values{"note": {""}}), 422, `href="#f-note"`, `id="f-note"`)
	if w := p.post(f.admin, "/staff/booking/bookings/"+rid+"/approve", url.Values{}); w.Code != 303 {
		t.Fatalf("approve: %d", w.Code)
	}
	expect(t, "approved", p.get(cs[0], "/my/bookings/"+rid), 200, "예약 확정", "<svg")

	// Check-in from the day's list, twice: the second says it was done.
	f.now = at(0, 10, 30)
	oid := strconv.FormatInt(ok.ID, 10)
	expect(t, "check in", p.post(f.admin, "/staff/booking/facilities/7/checkin", url.Values{"booking": {oid}, "date": {"2026-12-01"}}), 200, "입장 확인 (")
	expect(t, "check in again", p.post(f.admin, "/staff/booking/facilities/7/checkin", url.Values{"booking": {oid}, "date": {"2026-12-01"}}), 200, "이미")
	expect(t, "wrong ticket", p.post(f.admin, "/staff/booking/checkin", url.Values{"ticket": {"ZZZZ"}}), 422, `aria-invalid="true"`, `value="ZZZZ"`)
	expect(t, "ticket again", p.post(f.admin, "/staff/booking/checkin", url.Values{"ticket": {TicketPrefix + ok.Ticket}}), 200, "이미")
	// Staff read someone's ticket: audited.
	expect(t, "staff reads a ticket", p.get(f.admin, "/my/bookings/"+oid), 200)
	var reads int
	if err := f.db.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'booking.read'`).Scan(&reads); err != nil || reads != 1 {
		t.Fatalf("%d audited reads: %v", reads, err)
	}
	// Staff cancel from the day's list.
	f.now = at(0, 9, 0)
	later, err := f.svc.Book(cs[0], Request{ResourceID: court.ID, StartsAt: at(0, 12, 0)})
	if err != nil {
		t.Fatal(err)
	}
	w := p.post(f.admin, "/staff/booking/bookings/"+strconv.FormatInt(later.ID, 10)+"/cancel", url.Values{})
	if w.Code != 303 || !strings.Contains(w.Header().Get("Location"), "/day?date=2026-12-01") {
		t.Fatalf("staff cancel: %d %s", w.Code, w.Header().Get("Location"))
	}
	var told int
	if err := f.db.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE user_id = $1 AND body LIKE $2`, actor.From(cs[0]).ID, "%취소%").Scan(&told); err != nil || told != 1 {
		t.Fatalf("%d messages of the staff's cancellation: %v", told, err)
	}
}

func mustResources(t *testing.T, f *fixture) []Resource {
	t.Helper()
	rs, err := f.svc.Resources(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}
