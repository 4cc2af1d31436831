package guides

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// TestBrowserPages runs axe-core (WCAG 2.2 AA) on every page of the
// part, as a citizen, a guide and a coordinator, and measures the help
// log's targets on a phone-sized screen.
func TestBrowserPages(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	f := newFixture(t, d)
	hs := f.hotspots(threeSpots)
	kim := f.guide("김안내", "Z1")
	f.shift(kim, day, 9, 12)
	p, err := f.svc.ProposePlan(f.admin, day)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ConfirmPlan(f.admin, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	f.shift(kim, "2026-12-08", 9, 12)
	q, _ := f.svc.ProposePlan(f.admin, "2026-12-08")
	if _, err := f.svc.LogHelp(kim, Help{HotspotID: hs["stn"].ID, Topic: "kiosk", Minutes: 10, Outcome: Solved}); err != nil {
		t.Fatal(err)
	}
	call, err := f.svc.Ask(context.Background(), RequestInput{Kind: Callback, Topic: "app", Phone: "010-2222-3333"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Take(kim, call.ID); err != nil {
		t.Fatal(err)
	}

	as := map[string]context.Context{"guide": kim, "admin": f.admin}
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, Options{})
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

	b.Visit(t, srv.URL+"/help/guide")
	b.Visit(t, srv.URL+"/help/guide/thanks?kind=visit")

	b.Navigate(t, srv.URL+"/as/guide?next="+url.QueryEscape("/guides"))
	b.Visit(t, srv.URL+"/guides")
	b.SetViewport(t, 375, 740)
	b.Visit(t, srv.URL+"/guides/log")
	targets(t, b)
	b.SetViewport(t, 1280, 900)
	b.Visit(t, srv.URL+"/guides/map")
	b.Visit(t, srv.URL+"/guides/requests")
	b.Visit(t, srv.URL+"/guides/requests/"+strconv.FormatInt(call.ID, 10))

	b.Navigate(t, srv.URL+"/as/admin?next="+url.QueryEscape("/admin/guides"))
	b.Visit(t, srv.URL+"/admin/guides")
	b.Visit(t, srv.URL+"/admin/guides/shifts?day="+day)
	b.Visit(t, srv.URL+"/admin/guides/plan?day="+day)
	b.Visit(t, srv.URL+"/admin/guides/plan?day=2026-12-08")
	b.Visit(t, srv.URL+"/admin/guides/plan?day=2026-12-20")
	b.Visit(t, srv.URL+"/admin/guides/plan/"+strconv.FormatInt(q.ID, 10)+"/visit?guide="+strconv.FormatInt(idOf(kim), 10)+"&hour=10")
	b.Visit(t, srv.URL+"/admin/guides/stats")
	b.Visit(t, srv.URL+"/admin/guides/import")
}

// targets fails when a button or choice of the page is smaller than 44 px
// high (and a button narrower than 44 px).
func targets(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), 20*time.Second)
	defer cancel()
	js := `[...document.querySelectorAll('main button, main a.button, main label.choice')].filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || (e.tagName !== 'LABEL' && r.width < 44); }).map(e => e.textContent)`
	small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		t.Fatal(err)
	}
	if len(small) > 0 {
		t.Errorf("targets smaller than 44 px: %q", small)
	}
}
