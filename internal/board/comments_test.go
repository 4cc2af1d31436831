package board

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestCommentPages(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 3)
		do := f.server(t)
		p := f.post(t, people[0], zoneA, "모임 안내")
		c, err := f.svc.AddComment(people[1], zoneA, p.ID, "참석할게요")
		if err != nil {
			t.Fatal(err)
		}
		base := "/board/" + zoneA + "/posts/" + strconv.FormatInt(p.ID, 10)
		cURL := base + "/comments/" + strconv.FormatInt(c.ID, 10)

		mustHave(t, "comment edit form", do(people[1], "GET", cURL+"/edit", nil), 200, ">참석할게요</textarea>", `action="`+cURL+`/delete"`)
		mustHave(t, "someone else's comment edit form", do(people[0], "GET", cURL+"/edit", nil), http.StatusForbidden)
		before := state(t, d)
		mustHave(t, "empty comment edit", do(people[1], "POST", cURL+"/edit", url.Values{"comment": {" "}}), http.StatusUnprocessableEntity, "댓글 내용을 써 주세요")
		mustHave(t, "someone else's comment edit", do(people[0], "POST", cURL+"/edit", url.Values{"comment": {"바꿈"}}), http.StatusForbidden)
		mustHave(t, "someone else's comment delete", do(people[0], "POST", cURL+"/delete", url.Values{}), http.StatusForbidden)
		if state(t, d) != before {
			t.Fatal("a refused comment change changed the database")
		}
		if w := do(people[1], "POST", cURL+"/edit", url.Values{"comment": {"못 갈 것 같아요"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("comment edit: %d", w.Code)
		}
		mustHave(t, "edited comment", do(people[2], "GET", base, nil), 200, "못 갈 것 같아요")

		mustHave(t, "comment report form", do(people[2], "GET", cURL+"/report", nil), 200, "못 갈 것 같아요", `action="`+cURL+`/report"`, `id="f-reason"`)
		mustHave(t, "comment report without reason", do(people[2], "POST", cURL+"/report", url.Values{}), http.StatusUnprocessableEntity, "신고하는 이유를", `href="#f-reason"`)
		if w := do(people[2], "POST", cURL+"/report", url.Values{"reason": {"personal_data"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("comment report: %d", w.Code)
		}
		mustHave(t, "comment reported twice", do(people[2], "POST", cURL+"/report", url.Values{"reason": {"spam"}}), http.StatusConflict, "이미 신고하셨습니다")

		if w := do(people[1], "POST", cURL+"/delete", url.Values{}); w.Code != http.StatusSeeOther || w.Header().Get("Location") != base {
			t.Fatalf("comment delete: %d %s", w.Code, w.Header().Get("Location"))
		}
		mustLack(t, "deleted comment", do(people[2], "GET", base, nil), "못 갈 것 같아요")
		mustHave(t, "deleted comment's edit form", do(people[1], "GET", cURL+"/edit", nil), http.StatusNotFound)

		// The hourly limit, through the form: the text stays.
		for i := range PostsPerHour - 1 {
			f.post(t, people[0], zoneA, fmt.Sprintf("글 %d", i))
		}
		before = state(t, d)
		w := do(people[0], "POST", "/board/"+zoneA+"/posts", url.Values{"title": {"여섯째"}, "body": {"여섯째 글입니다"}})
		mustHave(t, "sixth post", w, http.StatusTooManyRequests, "한 시간에 글은 5개까지", `value="여섯째"`, ">여섯째 글입니다</textarea>")
		mustHave(t, "links", do(people[1], "POST", "/board/"+zoneA+"/posts", url.Values{"title": {"광고"},
			"body": {strings.Repeat("http://spam.example ", 4)}}), http.StatusUnprocessableEntity, "3개까지")
		if state(t, d) != before {
			t.Fatal("refused posts changed the database")
		}
		// Deleting after 24 hours, through the form.
		f.now = f.now.Add(EditWindow + time.Minute)
		mustHave(t, "late delete", do(people[0], "POST", base+"/delete", url.Values{}), http.StatusConflict, "24시간이 지나")
		mustHave(t, "late edit form", do(people[0], "GET", base+"/edit", nil), http.StatusConflict)
	})
}

// An operator acting for a citizen writes as that citizen.
func TestActingFor(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 3)
		citizen := actor.From(people[0])
		op := actor.From(f.staff(t, actor.Operator, "op1"))
		ctx := actor.With(context.Background(), &actor.Actor{Person: op.Person, ActingFor: &citizen.Person, Channel: actor.Phone})
		p, err := f.svc.CreatePost(ctx, zoneA, PostInput{Title: "전화로 올린 글", Body: "상담원이 대신 올렸습니다"})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_posts WHERE id = $1 AND author_id = $2`, p.ID, citizen.ID); n != 1 {
			t.Fatal("the post is not the citizen's")
		}
		mine, err := f.svc.MyPosts(ctx)
		if err != nil || len(mine) != 1 || !mine[0].Mine {
			t.Fatalf("the citizen's posts through the operator: %+v %v", mine, err)
		}
		// Labelled on the board, and audited with who on the staff wrote it.
		c, err := f.svc.AddComment(ctx, zoneA, p.ID, "전화로 단 댓글")
		if err != nil {
			t.Fatal(err)
		}
		thread, err := f.svc.Thread(people[1], zoneA, p.ID)
		if err != nil || thread.Post.Channel != actor.Phone || len(thread.Comments) != 1 || thread.Comments[0].Channel != actor.Phone {
			t.Fatalf("the thread does not say staff wrote it: %+v %v", thread, err)
		}
		for _, it := range []struct {
			action string
			id     int64
		}{{"board.post.acting", p.ID}, {"board.comment.acting", c.ID}} {
			if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND actor_id = $3 AND on_behalf_of = $4 AND channel = $5`,
				it.action, strconv.FormatInt(it.id, 10), op.ID, citizen.ID, actor.Phone); n != 1 {
				t.Errorf("%s not audited", it.action)
			}
		}
		own, err := f.svc.CreatePost(people[2], zoneA, PostInput{Title: "직접 쓴 글", Body: "내가 썼습니다"})
		if err != nil || own.Channel != "" {
			t.Fatalf("a citizen's own post: %+v %v", own, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE subject_type = 'board_post' AND subject_id = $1`, strconv.FormatInt(own.ID, 10)); n != 0 {
			t.Error("a citizen's own post was audited")
		}
	})
}
