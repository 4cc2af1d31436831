package board

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/web"
)

// TestBrowserBoardPages runs axe-core (WCAG 2.2 AA) on every board page, as
// a citizen, a moderator and a visitor, and checks the trap field is out of
// reach and the buttons are 44 px.
func TestBrowserBoardPages(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	f := newFixture(t, d)
	f.now = time.Now()
	people := f.citizens(t, 4)
	admin := f.staff(t, actor.CentreAdmin, "admin1")
	f.myZone = zoneA
	hall := places.Facility{ID: 7, NameKo: "부전동 행정복지센터", NameEn: "Bujeon community centre", Zone: zoneA}
	f.zones.events = []places.EventAt{{Event: places.Event{ID: 1, TitleKo: "건강 상담의 날", StartsAt: f.now.Add(26 * time.Hour), EndsAt: f.now.Add(28 * time.Hour), Free: true}, At: hall}}
	if _, err := f.svc.SaveNews(admin, 0, NewsInput{Zone: zoneA, Title: "부전로 공사 안내", Body: "첫 문단\n\n둘째 문단", Published: true, Pinned: true}); err != nil {
		t.Fatal(err)
	}
	p := f.post(t, people[0], zoneA, "경로당 탁구 모임")
	c, err := f.svc.AddComment(people[1], zoneA, p.ID, "저도 가고 싶어요")
	if err != nil {
		t.Fatal(err)
	}
	q := f.post(t, people[0], zoneA, "신고된 글")
	for i := 1; i <= 3; i++ {
		if err := f.svc.Report(people[i], zoneA, KindPost, q.ID, "spam"); err != nil {
			t.Fatal(err)
		}
	}

	as := map[string]context.Context{"author": people[0], "neighbour": people[1], "admin": admin}
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, f.opts)
	rt.HandleHTTP("GET /static/", web.Static())
	srv := httptest.NewServer(web.SecurityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if who, ok := strings.CutPrefix(r.URL.Path, "/as/"); ok {
			http.SetCookie(w, &http.Cookie{Name: "as", Value: who, Path: "/"})
			http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusSeeOther)
			return
		}
		if ck, err := r.Cookie("as"); err == nil && as[ck.Value] != nil {
			r = r.WithContext(actor.With(r.Context(), actor.From(as[ck.Value])))
		}
		rt.ServeHTTP(w, r)
	})))
	defer srv.Close()
	b := browsertest.Start(t)
	post := "/board/" + zoneA + "/posts/" + itoa(p.ID)

	b.Visit(t, srv.URL+"/board")
	b.Visit(t, srv.URL+"/board/"+zoneA)
	b.Visit(t, srv.URL+post)
	b.Navigate(t, srv.URL+"/as/author?next="+url.QueryEscape("/board"))
	b.Visit(t, srv.URL+"/board")
	b.Visit(t, srv.URL+"/board/"+zoneA)
	type trapField struct {
		TabIndex int
		Hidden   string
		Width    float64
	}
	trap := browsertest.Eval[trapField](t, b, `(() => { const e = document.querySelector('[name=website]'); return {TabIndex: e.tabIndex,
		Hidden: e.closest('[aria-hidden]').getAttribute('aria-hidden'), Width: e.closest('[aria-hidden]').getBoundingClientRect().width}; })()`)
	if trap.TabIndex != -1 || trap.Hidden != "true" || trap.Width > 1 {
		t.Errorf("the trap field is within reach: %+v", trap)
	}
	targets(t, b)
	b.Visit(t, srv.URL+post)
	targets(t, b)
	b.Visit(t, srv.URL+post+"/edit")
	targets(t, b)
	b.Visit(t, srv.URL+"/board/"+zoneA+"/posts/"+itoa(q.ID))
	b.Visit(t, srv.URL+"/my/posts")
	b.Navigate(t, srv.URL+"/as/neighbour?next="+url.QueryEscape(post))
	b.Visit(t, srv.URL+post)
	b.Visit(t, srv.URL+post+"/comments/"+itoa(c.ID)+"/edit")
	b.Navigate(t, srv.URL+"/as/author?next="+url.QueryEscape("/board"))
	b.Visit(t, srv.URL+post+"/comments/"+itoa(c.ID)+"/report")
	b.Navigate(t, srv.URL+"/as/admin?next="+url.QueryEscape("/board"))
	b.Visit(t, srv.URL+"/admin/board/moderation")
	targets(t, b)
	b.Visit(t, srv.URL+"/admin/board/news?zone="+zoneA)
	b.Visit(t, srv.URL+"/admin/board/news/1")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// targets fails when a button of the page is smaller than 44 × 44 px.
func targets(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	small := browsertest.Eval[[]string](t, b, `[...document.querySelectorAll('main button, main a.button')].filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44; }).map(e => e.textContent)`)
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll('main button, main a.button').length`); n < 1 {
		t.Errorf("%d buttons measured, want at least one", n)
	}
	if len(small) > 0 {
		t.Errorf("buttons smaller than 44 px: %q", small)
	}
}
