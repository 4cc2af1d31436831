package board

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/web"
)

// server serves the board's routes with a fixed actor, as the session
// middleware would.
func (f *fixture) server(t *testing.T) func(ctx context.Context, method, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, f.svc, f.opts)
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

func mustHave(t *testing.T, name string, w *httptest.ResponseRecorder, status int, want ...string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("%s: status %d, want %d\n%s", name, w.Code, status, w.Body.String())
	}
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) {
			t.Fatalf("%s: the page lacks %q\n%s", name, s, w.Body.String())
		}
	}
}

func mustLack(t *testing.T, name string, w *httptest.ResponseRecorder, unwanted ...string) {
	t.Helper()
	for _, s := range unwanted {
		if strings.Contains(w.Body.String(), s) {
			t.Fatalf("%s: the page has %q", name, s)
		}
	}
}

var postIDRe = regexp.MustCompile(`/posts/(\d+)$`)

func TestPages(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 5)
		author := people[0]
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		anon := context.Background()
		do := f.server(t)
		hall := places.Facility{ID: 7, NameKo: "부전동 행정복지센터", NameEn: "Bujeon community centre", Zone: zoneA}
		f.zones.events = []places.EventAt{
			{Event: places.Event{ID: 1, TitleKo: "건강 상담의 날", TitleEn: "Health check day", StartsAt: f.now.Add(26 * time.Hour), EndsAt: f.now.Add(28 * time.Hour), Free: true}, At: hall},
			{Event: places.Event{ID: 2, TitleKo: "스마트폰 교실", TitleEn: "Smartphone class", StartsAt: f.now.Add(27 * time.Hour), EndsAt: f.now.Add(29 * time.Hour)}, At: hall},
			{Event: places.Event{ID: 3, TitleKo: "먼 행사", StartsAt: f.now.Add(40 * 24 * time.Hour), EndsAt: f.now.Add(41 * 24 * time.Hour)}, At: hall},
			{Event: places.Event{ID: 4, TitleKo: "옆 동네 행사", StartsAt: f.now.Add(26 * time.Hour), EndsAt: f.now.Add(28 * time.Hour)}, At: places.Facility{ID: 8, Zone: zoneB}},
		}

		// The zone list, by district, with my zone first when known.
		w := do(anon, "GET", "/board", nil)
		mustHave(t, "zones", w, 200, "부산진구", "강서구", "기타 지역", `href="/board/`+zoneA+`"`, "명지생활권")
		mustLack(t, "zones without my zone", w, `id="mine-h"`)
		f.myZone = zoneB
		mustHave(t, "zones with my zone", do(author, "GET", "/board", nil), 200, `id="mine-h"`, "전포생활권 게시판으로 가기")

		if _, err := f.svc.SaveNews(admin, 0, NewsInput{Zone: zoneA, Title: "부전로 공사 안내", Body: "첫 문단\n둘째 줄\n\n둘째 문단", Published: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SaveNews(admin, 0, NewsInput{Zone: zoneA, Title: "아직 초안", Body: "비공개"}); err != nil {
			t.Fatal(err)
		}
		w = do(anon, "GET", "/board/"+zoneA, nil)
		mustHave(t, "zone page", w, 200, "부전로 공사 안내", "<p>첫 문단<br>둘째 줄</p><p>둘째 문단</p>", "건강 상담의 날", "스마트폰 교실",
			"2026년 12월 2일 (수)", `href="/board/`+zoneA+`/events.ics"`, `href="/login?next=/board/`+zoneA+`"`)
		mustLack(t, "zone page", w, "아직 초안", "먼 행사", "옆 동네 행사", `action="/board/`+zoneA+`/posts"`)
		mustHave(t, "unknown zone", do(anon, "GET", "/board/nowhere", nil), 404)

		// A citizen sees the form, with its trap field out of sight and reach.
		w = do(author, "GET", "/board/"+zoneA, nil)
		mustHave(t, "zone page for a citizen", w, 200, `action="/board/`+zoneA+`/posts"`, `name="csrf"`, `<div class="visually-hidden" aria-hidden="true">`,
			`name="website" value="" tabindex="-1" autocomplete="off"`, "이 칸은 비워 두세요")
		mustHave(t, "zone page for staff", do(admin, "GET", "/board/"+zoneA, nil), 200, "직원은 동네 소식으로")

		// Refused posts keep what was typed and write nothing.
		long := strings.Repeat("가", MaxBody+1)
		before := state(t, d)
		w = do(author, "POST", "/board/"+zoneA+"/posts", url.Values{"title": {"긴 글"}, "body": {long}})
		mustHave(t, "over-long post", w, http.StatusUnprocessableEntity, `class="error-summary"`, "2000자까지", "지금 2001자", `href="#f-body"`,
			`id="f-body" name="body" rows="8" required aria-describedby="body-hint form-error" aria-invalid="true">`+long+`</textarea>`, `value="긴 글"`)
		w = do(author, "POST", "/board/"+zoneA+"/posts", url.Values{"title": {""}, "body": {"내용만"}})
		mustHave(t, "empty title", w, http.StatusUnprocessableEntity, "제목을 써 주세요", `href="#f-title"`, ">내용만</textarea>")
		mustHave(t, "anonymous post", do(anon, "POST", "/board/"+zoneA+"/posts", url.Values{"title": {"익명"}, "body": {"익명 글"}}), http.StatusUnauthorized)
		// The trap filled: the bot is told nothing, and nothing is written.
		w = do(author, "POST", "/board/"+zoneA+"/posts", url.Values{"title": {"싼 물건"}, "body": {"광고"}, "website": {"http://spam.example"}})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/board/"+zoneA {
			t.Fatalf("trap: %d %s", w.Code, w.Header().Get("Location"))
		}
		w = do(author, "POST", "/board/"+zoneA+"/posts/1/comments", url.Values{"comment": {"광고"}, "website": {"x"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("comment trap: %d", w.Code)
		}
		if state(t, d) != before {
			t.Fatal("a refused or trapped post changed the database")
		}

		// A post with markup is shown as text.
		w = do(author, "POST", "/board/"+zoneA+"/posts", url.Values{"title": {`<script>alert("t")</script>`}, "body": {"<img src=x onerror=alert(1)>\n\n둘째"}})
		m := postIDRe.FindStringSubmatch(w.Header().Get("Location"))
		if w.Code != http.StatusSeeOther || m == nil {
			t.Fatalf("post: %d %q", w.Code, w.Header().Get("Location"))
		}
		postURL := "/board/" + zoneA + "/posts/" + m[1]
		w = do(people[1], "GET", postURL, nil)
		mustHave(t, "post page", w, 200, `&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;`, "<p>&lt;img src=x onerror=alert(1)&gt;</p><p>둘째</p>", "김○○",
			`action="`+postURL+`/comments"`, `action="`+postURL+`/report"`, `id="f-reason"`)
		mustLack(t, "post page", w, "<script>alert", "<img src=x", "김민수0")
		mustHave(t, "board lists it", do(anon, "GET", "/board/"+zoneA, nil), 200, `&lt;script&gt;`, "김○○")
		mustHave(t, "post in another zone's address", do(anon, "GET", "/board/"+zoneB+"/posts/"+m[1], nil), 404)

		// Comments.
		w = do(people[1], "POST", postURL+"/comments", url.Values{"comment": {"저도 <b>궁금</b>해요"}})
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), postURL+"#comment-") {
			t.Fatalf("comment: %d %s", w.Code, w.Header().Get("Location"))
		}
		mustHave(t, "comment shown", do(author, "GET", postURL, nil), 200, "저도 &lt;b&gt;궁금&lt;/b&gt;해요", "이○○", "댓글 신고하기", "고치기·지우기")
		w = do(people[1], "POST", postURL+"/comments", url.Values{"comment": {strings.Repeat("다", MaxComment+1)}})
		mustHave(t, "long comment", w, http.StatusUnprocessableEntity, "1000자까지", "1001자", `href="#f-comment"`)

		// Edit pages: the author's, not anyone else's.
		mustHave(t, "edit form", do(author, "GET", postURL+"/edit", nil), 200, `action="`+postURL+`/edit"`, `action="`+postURL+`/delete"`, "까지 고치거나 지울 수 있습니다")
		mustHave(t, "someone else's edit form", do(people[1], "GET", postURL+"/edit", nil), http.StatusForbidden)
		w = do(author, "POST", postURL+"/edit", url.Values{"title": {"고친 제목"}, "body": {"고친 본문"}})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != postURL {
			t.Fatalf("edit: %d %s", w.Code, w.Header().Get("Location"))
		}
		mustHave(t, "edited", do(anon, "GET", postURL, nil), 200, "고친 제목", "· 고침")

		// Three neighbours report it: hidden from others, marked for the author.
		mustHave(t, "report without reason", do(people[4], "POST", postURL+"/report", url.Values{}), http.StatusUnprocessableEntity, "신고하는 이유를 골라 주세요")
		for i := 1; i <= 3; i++ {
			w = do(people[i], "POST", postURL+"/report", url.Values{"reason": {"insult"}})
			if w.Code != http.StatusSeeOther {
				t.Fatalf("report %d: %d\n%s", i, w.Code, w.Body.String())
			}
		}
		mustHave(t, "held post for a neighbour", do(people[4], "GET", postURL, nil), 404)
		mustHave(t, "held post for its author", do(author, "GET", postURL, nil), 200, "담당자가 확인할 때까지")
		w = do(author, "GET", postURL+"/edit", nil)
		mustHave(t, "held post's edit page", w, 200, "신고로 검토 중이거나 숨겨진 글은 고칠 수 없습니다", `action="`+postURL+`/delete"`)
		mustLack(t, "held post's edit page", w, `action="`+postURL+`/edit"`)
		mustHave(t, "my posts", do(author, "GET", "/my/posts", nil), 200, "고친 제목", "부전생활권", "담당자가 확인할 때까지")
		if w := do(anon, "GET", "/my/posts", nil); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
			t.Fatalf("my posts signed out: %d", w.Code)
		}

		// Moderation.
		mustHave(t, "queue for a citizen", do(author, "GET", "/admin/board/moderation", nil), http.StatusForbidden)
		w = do(admin, "GET", "/admin/board/moderation", nil)
		mustHave(t, "queue", w, 200, "고친 제목", "욕설·비방: 3", "처리되지 않은 신고 3건", `action="/admin/board/moderation/post/`+m[1]+`"`)
		before = state(t, d)
		w = do(admin, "POST", "/admin/board/moderation/post/"+m[1], url.Values{"action": {"hide"}, "note": {""}})
		mustHave(t, "hide without note", w, http.StatusUnprocessableEntity, `href="#f-note-post-`+m[1]+`"`, `id="f-note-post-`+m[1]+`"`)
		mustHave(t, "moderate as a citizen", do(author, "POST", "/admin/board/moderation/post/"+m[1], url.Values{"action": {"keep"}}), http.StatusForbidden)
		if state(t, d) != before {
			t.Fatal("a refused decision changed the database")
		}
		w = do(admin, "POST", "/admin/board/moderation/post/"+m[1], url.Values{"action": {"hide"}, "note": {"비방"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("hide: %d\n%s", w.Code, w.Body.String())
		}
		mustHave(t, "hidden post for its author", do(author, "GET", postURL, nil), 200, "담당자가 숨겼습니다")
		mustHave(t, "queue after hiding", do(admin, "GET", "/admin/board/moderation", nil), 200, "마지막 처리: 숨기기", "비방")

		// News admin.
		mustHave(t, "news admin for a citizen", do(author, "GET", "/admin/board/news", nil), http.StatusForbidden)
		mustHave(t, "news admin", do(admin, "GET", "/admin/board/news?zone="+zoneA, nil), 200, "부전로 공사 안내", "아직 초안", "임시 저장")
		w = do(admin, "POST", "/admin/board/news", url.Values{"zone": {zoneB}, "title": {"전포 소식"}, "body": {"내용"}, "published": {"1"}})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/admin/board/news?zone="+zoneB {
			t.Fatalf("news: %d %s", w.Code, w.Header().Get("Location"))
		}
		mustHave(t, "news without title", do(admin, "POST", "/admin/board/news", url.Values{"zone": {zoneB}, "body": {"내용 그대로"}}),
			http.StatusUnprocessableEntity, "제목을 써 주세요", ">내용 그대로</textarea>")
		mustHave(t, "news by a citizen", do(author, "POST", "/admin/board/news", url.Values{"zone": {zoneB}, "title": {"x"}, "body": {"y"}}), http.StatusForbidden)
		mustHave(t, "zone B news", do(anon, "GET", "/board/"+zoneB, nil), 200, "전포 소식")
		mustHave(t, "news edit form", do(admin, "GET", "/admin/board/news/1", nil), 200, `action="/admin/board/news/1"`, `value="부전로 공사 안내"`)

		// The calendar feed.
		w = do(anon, "GET", "/board/"+zoneA+"/events.ics", nil)
		mustHave(t, "ics", w, 200, "BEGIN:VCALENDAR", "UID:place-event-1@maeul", "SUMMARY:건강 상담의 날", "UID:place-event-2@maeul")
		mustLack(t, "ics", w, "place-event-3@", "place-event-4@")
		if ct := w.Header().Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Fatalf("ics content type %q", ct)
		}
	})
}
