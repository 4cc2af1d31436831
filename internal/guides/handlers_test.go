package guides

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

type request func(ctx context.Context, method, path string, form url.Values) *httptest.ResponseRecorder

// server serves the guides' routes with a fixed actor, as the session
// middleware would.
func (f *fixture) server(t *testing.T, opts Options) (request, *web.Router) {
	t.Helper()
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, opts)
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
	}, rt
}

// untranslated finds a catalogue key printed as it is: a missing message.
var untranslated = regexp.MustCompile(`\bguides\.[a-z_]+`)

func mustHave(t *testing.T, name string, w *httptest.ResponseRecorder, status int, want ...string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("%s: status %d, want %d\n%s", name, w.Code, status, w.Body.String())
	}
	if m := untranslated.FindString(w.Body.String()); m != "" {
		t.Fatalf("%s: untranslated %q", name, m)
	}
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) {
			t.Fatalf("%s: the page lacks %q\n%s", name, s, w.Body.String())
		}
	}
}

func redirected(t *testing.T, name string, w *httptest.ResponseRecorder, to string) {
	t.Helper()
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), to) {
		t.Fatalf("%s: %d to %q, want a redirect to %s\n%s", name, w.Code, w.Header().Get("Location"), to, w.Body.String())
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		do, _ := f.server(t, Options{})
		anon := context.Background()
		mustHave(t, "empty map", do(f.admin, "GET", "/guides/map", nil), 200, "아직 장소가 없습니다")
		hs := f.hotspots(threeSpots)
		kim := f.guide("김안내", "Z1")
		f.shift(kim, day, 9, 12)

		// The data map: now (Monday 10 h) the station's 300 come first.
		w := do(kim, "GET", "/guides/map", nil)
		mustHave(t, "map now", w, 200, "지금 예상되는 사람", "서면역", "모두 합쳐 580명", `id="places-map-data">{"mode":"places"`,
			`"url":"#hs-`+strconv.FormatInt(hs["stn"].ID, 10)+`"`, `"distance":"예상 300명"`, `<tr id="hs-`, "/static/js/placesmap.js")
		if strings.Index(w.Body.String(), "서면역") > strings.Index(w.Body.String(), "부전시장") {
			t.Error("the map does not list the most crowded first")
		}
		mustHave(t, "map on Sunday 11 h", do(kim, "GET", "/guides/map?day=6&hour=11", nil), 200, "일요일 11시에", "모두 합쳐 100명")
		mustHave(t, "map for citizens", do(anon, "GET", "/guides/map", nil), http.StatusSeeOther)

		// The coordinator proposes and confirms the day's plan by the forms.
		mustHave(t, "no plan", do(f.admin, "GET", "/admin/guides/plan?day="+day, nil), 200, "필요도에 따라 계획 만들기")
		redirected(t, "propose", do(f.admin, "POST", "/admin/guides/plan", url.Values{"day": {day}}), "/admin/guides/plan?day="+day)
		p, _ := f.svc.PlanOf(f.admin, day)
		w = do(f.admin, "GET", "/admin/guides/plan?day="+day, nil)
		mustHave(t, "plan", w, 200, "김안내", "서면역", "제안", "/admin/guides/plan/"+strconv.FormatInt(p.ID, 10)+"/visit?guide=")
		visitURL := "/admin/guides/plan/" + strconv.FormatInt(p.ID, 10) + "/visit?guide=" + strconv.FormatInt(idOf(kim), 10) + "&hour=10"
		mustHave(t, "visit form", do(f.admin, "GET", visitURL, nil), 200, "부전시장 – 필요도 200", `value="`+strconv.FormatInt(hs["stn"].ID, 10)+`" checked`)
		assign := url.Values{"version": {strconv.Itoa(p.Version)}, "guide": {strconv.FormatInt(idOf(kim), 10)}, "hour": {"10"}, "hotspot": {strconv.FormatInt(hs["mkt"].ID, 10)}}
		redirected(t, "assign", do(f.admin, "POST", "/admin/guides/plan/"+strconv.FormatInt(p.ID, 10)+"/assign", assign), "/admin/guides/plan?day="+day)
		mustHave(t, "stale assign", do(f.admin, "POST", "/admin/guides/plan/"+strconv.FormatInt(p.ID, 10)+"/assign", assign), http.StatusConflict, "다른 담당자가 계획을 바꿨습니다")
		redirected(t, "confirm", do(f.admin, "POST", "/admin/guides/plan/"+strconv.FormatInt(p.ID, 10)+"/confirm", url.Values{"version": {strconv.Itoa(p.Version + 1)}}), "/admin/guides/plan")
		mustHave(t, "confirmed", do(f.admin, "GET", "/admin/guides/plan?day="+day, nil), 200, "확정했습니다")
		mustHave(t, "a guide proposes", do(kim, "POST", "/admin/guides/plan", url.Values{"day": {day}}), http.StatusForbidden)

		// The guide's day and the one-screen log, preselected from the patrol.
		mustHave(t, "guide home", do(kim, "GET", "/guides", nil), 200, "오늘 나의 순회", "부전시장", "지금")
		w = do(kim, "GET", "/guides/log", nil)
		mustHave(t, "log form", w, 200, "지금 시간의 순회 장소를 골라 두었습니다", `value="`+strconv.FormatInt(hs["mkt"].ID, 10)+`" selected`, `name="topic" value="kiosk" required`, `value="10" checked`, `formaction="/guides/checkin" formnovalidate`)
		if strings.Contains(w.Body.String(), "부전노인복지관") {
			t.Error("the log offers a spot outside the guide's area")
		}
		w = do(kim, "POST", "/guides/log", url.Values{"hotspot": {strconv.FormatInt(hs["mkt"].ID, 10)}, "topic": {"payment"}, "minutes": {"20"}, "outcome": {"solved"}, "note": {"제로페이"}})
		redirected(t, "log", w, "/guides/log?hotspot=")
		w = do(kim, "POST", "/guides/log", url.Values{"hotspot": {strconv.FormatInt(hs["mkt"].ID, 10)}, "minutes": {"20"}, "outcome": {"solved"}, "note": {"010 1234 5678"}})
		mustHave(t, "refused log", w, http.StatusUnprocessableEntity, "무엇을 도와드릴지", `href="#f-topic"`, `value="010 1234 5678"`)
		mustHave(t, "check-in without a spot", do(kim, "POST", "/guides/checkin", url.Values{"hotspot": {""}}), http.StatusUnprocessableEntity, "장소를 골라 주세요")
		redirected(t, "check in", do(kim, "POST", "/guides/checkin", url.Values{"hotspot": {strconv.FormatInt(hs["ctr"].ID, 10)}}), "/guides/log?hotspot=")
		if n := count(t, d, `SELECT COUNT(*) FROM guide_checkins`); n != 1 {
			t.Errorf("%d check-ins", n)
		}
		mustHave(t, "log for a coordinator", do(f.admin, "GET", "/guides/log", nil), http.StatusForbidden)

		// A citizen asks to be called back; the guide takes it and sees the number.
		mustHave(t, "ask form", do(anon, "GET", "/help/guide", nil), 200, "전화로 도움 받기", "부전시장 (서면생활권)", `name="website"`)
		mustHave(t, "bad phone", do(anon, "POST", "/help/guide", url.Values{"kind": {"callback"}, "topic": {"kiosk"}, "phone": {"123"}}), http.StatusUnprocessableEntity, "010-1234-5678")
		redirected(t, "trap", do(anon, "POST", "/help/guide", url.Values{"kind": {"callback"}, "topic": {"kiosk"}, "phone": {"010-3333-4444"}, "website": {"x"}}), "/help/guide/thanks")
		redirected(t, "ask", do(anon, "POST", "/help/guide", url.Values{"kind": {"callback"}, "topic": {"kiosk"}, "phone": {"010-3333-4444"}}), "/help/guide/thanks?kind=callback")
		mustHave(t, "thanks", do(anon, "GET", "/help/guide/thanks?kind=callback", nil), 200, "곧 전화드립니다")
		if n := count(t, d, `SELECT COUNT(*) FROM guide_requests`); n != 1 {
			t.Fatalf("%d requests: the trap was stored", n)
		}
		w = do(kim, "GET", "/guides/requests", nil)
		mustHave(t, "requests", w, 200, "기다리는 중", "맡기")
		if strings.Contains(w.Body.String(), "3333") {
			t.Error("the list shows the phone")
		}
		reqs, _ := f.svc.Requests(kim, false)
		reqURL := "/guides/requests/" + strconv.FormatInt(reqs[0].ID, 10)
		mustHave(t, "phone before taking", do(kim, "GET", reqURL, nil), http.StatusForbidden)
		redirected(t, "take", do(kim, "POST", reqURL+"/take", url.Values{}), "/guides/requests")
		mustHave(t, "phone", do(kim, "GET", reqURL, nil), 200, "010-3333-4444", "본 기록이 남습니다")
		redirected(t, "close", do(kim, "POST", reqURL+"/close", url.Values{}), "/guides/requests")

		// The coordinator's pages.
		mustHave(t, "admin", do(f.admin, "GET", "/admin/guides", nil), 200, "김안내", "서면생활권", `name="user"`, `name="name"`)
		redirected(t, "save guide", do(f.admin, "POST", "/admin/guides", url.Values{"user": {strconv.FormatInt(idOf(kim), 10)}, "name": {"김안내"}, "home": {strconv.FormatInt(hs["stn"].ID, 10)}, "radius": {"800"}, "active": {"1"}}), "/admin/guides")
		mustHave(t, "area by radius", do(f.admin, "GET", "/admin/guides", nil), 200, "서면역에서 800 m 안")
		mustHave(t, "both areas", do(f.admin, "POST", "/admin/guides", url.Values{"user": {strconv.FormatInt(idOf(kim), 10)}, "name": {"김안내"}, "zones": {"Z1"}, "home": {strconv.FormatInt(hs["stn"].ID, 10)}, "radius": {"800"}}), http.StatusUnprocessableEntity, "하나로만")
		mustHave(t, "shifts", do(f.admin, "GET", "/admin/guides/shifts?day="+day, nil), 200, "김안내", "9:00–12:00")
		mustHave(t, "overlapping shift", do(f.admin, "POST", "/admin/guides/shifts", url.Values{"guide": {strconv.FormatInt(idOf(kim), 10)}, "day": {day}, "start": {"11"}, "end": {"13"}}), http.StatusUnprocessableEntity, "겹칩니다")
		redirected(t, "add shift", do(f.admin, "POST", "/admin/guides/shifts", url.Values{"guide": {strconv.FormatInt(idOf(kim), 10)}, "day": {"2026-12-08"}, "start": {"13"}, "end": {"17"}}), "/admin/guides/shifts?day=2026-12-08")
		w = do(f.admin, "GET", "/admin/guides/stats", nil)
		mustHave(t, "stats", w, 200, "<svg", "결제·송금", "부전시장", "최근 14일 동안 방문이 없던 장소", "서면역", "/admin/guides/stats.csv?by=topic")
		w = do(f.admin, "GET", "/admin/guides/stats.csv?by=topic", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "결제·송금,payment,1,20,0") || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Errorf("stats CSV: %d %q", w.Code, w.Body.String())
		}
		w = do(f.admin, "GET", "/admin/guides/stats.csv?by=unvisited&days=14", nil)
		if !strings.Contains(w.Body.String(), "stn,서면역") || strings.Contains(w.Body.String(), "mkt,") || strings.Contains(w.Body.String(), "ctr,") {
			t.Errorf("unvisited CSV: %q", w.Body.String())
		}
		mustHave(t, "stats for a guide", do(kim, "GET", "/admin/guides/stats", nil), http.StatusForbidden)
		mustHave(t, "import page", do(f.admin, "GET", "/admin/guides/import", nil), 200, "<code>days</code>", "h00")
		w = do(f.admin, "GET", "/admin/guides/hotspots.csv", nil)
		if !strings.Contains(w.Body.String(), "stn,mon tue wed thu fri,서면역") {
			t.Errorf("hotspots CSV: %q", w.Body.String())
		}

		// Every page in both languages, its messages formatted with the
		// arguments they take.
		pl, _ := f.svc.PlanOf(f.admin, "2026-12-08")
		if pl.ID == 0 {
			redirected(t, "propose Tuesday", do(f.admin, "POST", "/admin/guides/plan", url.Values{"day": {"2026-12-08"}}), "/admin/guides/plan")
			pl, _ = f.svc.PlanOf(f.admin, "2026-12-08")
		}
		pages := map[string]context.Context{"/guides": kim, "/guides/map?day=2&hour=9": kim, "/guides/log": kim, "/guides/requests?closed=1": kim,
			"/help/guide": anon, "/help/guide/thanks?kind=visit": anon, "/admin/guides": f.admin, "/admin/guides/shifts?day=" + day: f.admin,
			"/admin/guides/plan?day=" + day: f.admin, "/admin/guides/plan?day=2026-12-08": f.admin, "/admin/guides/stats": f.admin, "/admin/guides/import": f.admin,
			"/admin/guides/plan/" + strconv.FormatInt(pl.ID, 10) + "/visit?guide=" + strconv.FormatInt(idOf(kim), 10) + "&hour=13": f.admin}
		for path, ctx := range pages {
			for _, l := range []string{"ko", "en"} {
				w := do(web.WithPrefs(ctx, web.Prefs{Lang: l}), "GET", path, nil)
				mustHave(t, path+" in "+l, w, 200)
				if i := strings.Index(w.Body.String(), "%!"); i >= 0 {
					t.Errorf("%s in %s: a message with the wrong arguments: %s", path, l, w.Body.String()[max(0, i-80):i+40])
				}
			}
		}
	})
}

func TestImportPage(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, rt := f.server(t, Options{})
		upload := func(body string) *httptest.ResponseRecorder {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", "spots.csv")
			fw.Write([]byte(body))
			mw.Close()
			r := httptest.NewRequest("POST", "/admin/guides/import", &buf)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, r.WithContext(f.admin))
			return w
		}
		w := upload(threeSpots + "bad,someday,가,castle,x,y,,,\n")
		mustHave(t, "refused", w, http.StatusUnprocessableEntity, "아무것도 가져오지 않았습니다", "<th scope=\"row\" class=\"num\">6</th>", "<code>days</code>", "<code>kind</code>")
		mustHave(t, "imported", upload(threeSpots), 200, "가져오기를 마쳤습니다", "3줄 중 새로 만든 것 3개")
	})
}

// With the app's list of accounts, a coordinator picks a guide by name.
func TestAdminWithAccounts(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		park := f.staff("guide", "박안내")
		do, _ := f.server(t, Options{Accounts: func(context.Context) ([]Account, error) {
			return []Account{{ID: idOf(park), Name: "박안내"}}, nil
		}})
		w := do(f.admin, "GET", "/admin/guides", nil)
		mustHave(t, "accounts", w, 200, `<option value="`+strconv.FormatInt(idOf(park), 10)+`">박안내</option>`)
		if strings.Contains(w.Body.String(), `id="f-name"`) {
			t.Error("the name is typed although the account names it")
		}
		redirected(t, "save", do(f.admin, "POST", "/admin/guides", url.Values{"user": {strconv.FormatInt(idOf(park), 10)}, "name": {"딴 이름"}, "active": {"1"}}), "/admin/guides")
		if g, err := f.svc.Guide(context.Background(), idOf(park)); err != nil || g.Name != "박안내" {
			t.Errorf("guide %+v %v", g, err)
		}
		mustHave(t, "unknown account", do(f.admin, "POST", "/admin/guides", url.Values{"user": {"99999"}, "active": {"1"}}), http.StatusUnprocessableEntity, "계정을 골라 주세요")
	})
}
