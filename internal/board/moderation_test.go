package board

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

func statusOf(t *testing.T, d *db.DB, kind string, id int64) (status string, reports int) {
	t.Helper()
	if err := d.Read().QueryRowContext(context.Background(), `SELECT status, reports FROM `+table(kind)+` WHERE id = $1`, id).Scan(&status, &reports); err != nil {
		t.Fatal(err)
	}
	return status, reports
}

func TestReportsHideAfterThreeUsers(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 6)
		author, one := people[0], people[1]
		op := f.staff(t, actor.Operator, "op1")
		p := f.post(t, author, zoneA, "신고될 글")
		q := f.post(t, author, zoneA, "한 사람만 신고하는 글")

		// One user reporting three times counts once.
		if err := f.svc.Report(one, zoneA, KindPost, q.ID, "spam"); err != nil {
			t.Fatal(err)
		}
		for _, reason := range []string{"spam", "insult"} {
			before := state(t, d)
			wantErr(t, "same user again", f.svc.Report(one, zoneA, KindPost, q.ID, reason), errs.Conflict, "board.already_reported")
			if state(t, d) != before {
				t.Error("a repeated report changed the database")
			}
		}
		if st, n := statusOf(t, d, KindPost, q.ID); st != Visible || n != 1 {
			t.Fatalf("after one user's three reports: %s, %d reports", st, n)
		}

		refusals := []struct {
			name string
			ctx  context.Context
			zone string
			kind string
			id   int64
			why  string
			code errs.Code
			key  string
		}{
			{"anonymous", context.Background(), zoneA, KindPost, p.ID, "spam", errs.Unauthorized, "error.unauthorized"},
			{"no reason", one, zoneA, KindPost, p.ID, "", errs.Invalid, "board.reason_required"},
			{"unknown reason", one, zoneA, KindPost, p.ID, "boring", errs.Invalid, "board.reason_required"},
			{"own post", author, zoneA, KindPost, p.ID, "spam", errs.Conflict, "board.report_own"},
			{"wrong zone", one, zoneB, KindPost, p.ID, "spam", errs.NotFound, "board.post_not_found"},
			{"unknown post", one, zoneA, KindPost, 99999, "spam", errs.NotFound, "board.post_not_found"},
			{"unknown kind", one, zoneA, "news", p.ID, "spam", errs.NotFound, "error.page_not_found"},
		}
		for _, r := range refusals {
			before := state(t, d)
			wantErr(t, r.name, f.svc.Report(r.ctx, r.zone, r.kind, r.id, r.why), r.code, r.key)
			if state(t, d) != before {
				t.Errorf("%s: changed the database", r.name)
			}
		}

		// Three different users at once: the post is held.
		var wg sync.WaitGroup
		for i, reason := range []string{"spam", "insult", "spam"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := f.svc.Report(people[i+1], zoneA, KindPost, p.ID, reason); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if st, n := statusOf(t, d, KindPost, p.ID); st != Held || n != 3 {
			t.Fatalf("after three users' reports: %s, %d reports", st, n)
		}
		// Gone for others; the author sees it, marked; staff see it.
		if _, err := f.svc.Thread(people[4], zoneA, p.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("a neighbour opens a held post: %v", err)
		}
		if _, err := f.svc.Thread(context.Background(), zoneA, p.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("anyone opens a held post: %v", err)
		}
		if th, err := f.svc.Thread(author, zoneA, p.ID); err != nil || th.Post.Status != Held {
			t.Fatalf("the author's held post: %+v %v", th.Post, err)
		}
		if _, err := f.svc.Thread(op, zoneA, p.ID); err != nil {
			t.Fatalf("staff open a held post: %v", err)
		}
		page, _ := f.svc.Posts(context.Background(), zoneA, 1)
		if page.Total != 1 || page.Posts[0].ID != q.ID {
			t.Fatalf("the board still lists the held post: %+v", page)
		}
		mine, _ := f.svc.MyPosts(author)
		if len(mine) != 2 {
			t.Fatalf("the author's own list lost the held post: %+v", mine)
		}
		// A fourth report still counts; comments on a held post are refused.
		if err := f.svc.Report(people[4], zoneA, KindPost, p.ID, "other"); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.AddComment(people[5], zoneA, p.ID, "댓글")
		wantErr(t, "comment on a held post", err, errs.NotFound, "board.post_not_found")
		_, err = f.svc.EditPost(author, p.ID, PostInput{Title: "몰래 고침", Body: "몰래 고침"})
		wantErr(t, "editing a held post", err, errs.Conflict, "board.not_editable")

		// One user sending the same report five times at once counts once.
		u := f.post(t, people[5], zoneA, "동시에 신고")
		var wg2 sync.WaitGroup
		for range 5 {
			wg2.Add(1)
			go func() {
				defer wg2.Done()
				if err := f.svc.Report(one, zoneA, KindPost, u.ID, "spam"); err != nil && errs.CodeOf(err) != errs.Conflict {
					t.Error(err)
				}
			}()
		}
		wg2.Wait()
		if st, n := statusOf(t, d, KindPost, u.ID); st != Visible || n != 1 {
			t.Fatalf("after one user's five reports at once: %s, %d reports", st, n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_reports WHERE item_id = $1 AND item_kind = 'post'`, u.ID); n != 1 {
			t.Fatalf("%d reports stored, want 1", n)
		}

		// Comments: the same threshold.
		c, err := f.svc.AddComment(author, zoneA, q.ID, "욕설 댓글")
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 3; i++ {
			if err := f.svc.Report(people[i], zoneA, KindComment, c.ID, "insult"); err != nil {
				t.Fatal(err)
			}
		}
		if st, _ := statusOf(t, d, KindComment, c.ID); st != Held {
			t.Fatalf("comment after three reports: %s", st)
		}
		th, _ := f.svc.Thread(people[4], zoneA, q.ID)
		if len(th.Comments) != 0 {
			t.Fatalf("neighbours still see the held comment: %+v", th.Comments)
		}
		th, _ = f.svc.Thread(author, zoneA, q.ID)
		if len(th.Comments) != 1 || th.Comments[0].Status != Held {
			t.Fatalf("the author lost sight of the held comment: %+v", th.Comments)
		}
	})
}

func TestModeration(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 5)
		author := people[0]
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		tutor := f.staff(t, actor.Tutor, "tutor1")
		p := f.post(t, author, zoneA, "검토할 글")
		r := f.post(t, author, zoneA, "숨길 글")
		x := f.post(t, author, zoneA, "삭제할 글")
		c, err := f.svc.AddComment(people[1], zoneA, r.ID, "숨길 댓글")
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 3; i++ {
			for _, it := range []struct {
				kind string
				id   int64
			}{{KindPost, p.ID}, {KindPost, x.ID}} {
				if err := f.svc.Report(people[i], zoneA, it.kind, it.id, []string{"spam", "insult", "spam"}[i-1]); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.svc.Report(people[2], zoneA, KindComment, c.ID, "personal_data"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Report(people[3], zoneA, KindPost, r.ID, "other"); err != nil {
			t.Fatal(err)
		}

		q, err := f.svc.Queue(admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Waiting) != 4 || len(q.Hidden) != 0 {
			t.Fatalf("queue: %+v", q)
		}
		top := q.Waiting[0]
		if top.Reports != 3 || top.Status != Held || len(top.Reasons) != 2 || top.Reasons[0] != (ReasonCount{"insult", 1}) || top.Reasons[1] != (ReasonCount{"spam", 2}) ||
			!strings.HasSuffix(top.Author, "○○") {
			t.Fatalf("first in the queue: %+v", top)
		}

		refusals := []struct {
			name         string
			ctx          context.Context
			kind         string
			id           int64
			action, note string
			code         errs.Code
			key          string
		}{
			{"citizen", people[1], KindPost, p.ID, Keep, "", errs.Forbidden, "error.forbidden"},
			{"tutor", tutor, KindPost, p.ID, Keep, "", errs.Forbidden, "error.forbidden"},
			{"anonymous", context.Background(), KindPost, p.ID, Keep, "", errs.Unauthorized, "error.unauthorized"},
			{"hide without a note", admin, KindPost, p.ID, Hide, "  ", errs.Invalid, "board.note_required"},
			{"delete without a note", admin, KindPost, p.ID, Remove, "", errs.Invalid, "board.note_required"},
			{"note too long", admin, KindPost, p.ID, Hide, strings.Repeat("x", MaxNote+1), errs.Invalid, "board.note_too_long"},
			{"unknown action", admin, KindPost, p.ID, "ban", "", errs.Invalid, "board.action_invalid"},
			{"unknown post", admin, KindPost, 99999, Keep, "", errs.NotFound, "board.post_not_found"},
			{"unknown kind", admin, "news", p.ID, Keep, "", errs.NotFound, "error.page_not_found"},
		}
		for _, rf := range refusals {
			before := state(t, d)
			wantErr(t, rf.name, f.svc.Moderate(rf.ctx, rf.kind, rf.id, rf.action, rf.note), rf.code, rf.key)
			if state(t, d) != before {
				t.Errorf("%s: changed the database", rf.name)
			}
		}
		if _, err := f.svc.Queue(people[1]); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("a citizen reads the queue: %v", err)
		}

		// Keep: shown again, reports cleared; the same users may report anew.
		if err := f.svc.Moderate(admin, KindPost, p.ID, Keep, ""); err != nil {
			t.Fatal(err)
		}
		if st, n := statusOf(t, d, KindPost, p.ID); st != Visible || n != 0 {
			t.Fatalf("kept post: %s, %d reports", st, n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_reports WHERE item_kind = 'post' AND item_id = $1 AND resolved_at IS NULL`, p.ID); n != 0 {
			t.Fatalf("%d open reports after keep", n)
		}
		if err := f.svc.Report(people[1], zoneA, KindPost, p.ID, "spam"); err != nil {
			t.Fatalf("report after keep: %v", err)
		}
		// Hide, with a note: the author sees it hidden, nobody else does.
		if err := f.svc.Moderate(admin, KindPost, r.ID, Hide, "이웃 비방"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Moderate(admin, KindComment, c.ID, Hide, "전화번호 노출"); err != nil {
			t.Fatal(err)
		}
		if th, err := f.svc.Thread(author, zoneA, r.ID); err != nil || th.Post.Status != Hidden {
			t.Fatalf("author's hidden post: %+v %v", th.Post, err)
		}
		if _, err := f.svc.Thread(people[3], zoneA, r.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("a neighbour opens a hidden post: %v", err)
		}
		wantErr(t, "report a hidden post", f.svc.Report(people[4], zoneA, KindPost, r.ID, "spam"), errs.NotFound, "board.post_not_found")
		// Delete: the text is gone.
		if err := f.svc.Moderate(admin, KindPost, x.ID, Remove, "광고"); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_posts WHERE id = $1 AND status = 'deleted' AND title = '' AND body = ''`, x.ID); n != 1 {
			t.Fatal("a deleted post keeps its text")
		}
		wantErr(t, "moderate a deleted post", f.svc.Moderate(admin, KindPost, x.ID, Keep, ""), errs.NotFound, "board.post_not_found")

		q, err = f.svc.Queue(admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Waiting) != 1 || q.Waiting[0].ID != p.ID || len(q.Hidden) != 2 {
			t.Fatalf("queue after decisions: waiting %+v, hidden %+v", q.Waiting, q.Hidden)
		}
		for _, it := range q.Hidden {
			if it.Last == nil || it.Last.Action != Hide || it.Last.Note == "" || it.Last.StaffID != idOf(admin) {
				t.Fatalf("hidden item without its decision: %+v", it)
			}
		}

		// Every decision is in the audit log, by the admin, with the reports it resolved.
		rows, err := audit.List(context.Background(), d, audit.Filter{ActorID: idOf(admin)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, row := range rows {
			got = append(got, row.Action+" "+row.SubjectType+" "+row.Detail)
		}
		want := []string{"board.post.delete board_post reports=3", "board.comment.hide board_comment reports=1",
			"board.post.hide board_post reports=1", "board.post.keep board_post reports=3"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("audit:\n got %q\nwant %q", got, want)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_moderation WHERE staff_id = $1`, idOf(admin)); n != 4 {
			t.Fatalf("%d moderation records, want 4", n)
		}
	})
}

func TestNews(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizen := f.citizens(t, 1)[0]
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		op := f.staff(t, actor.Operator, "op1")
		sys := f.staff(t, actor.SysAdmin, "root1")
		good := NewsInput{Zone: zoneA, Title: "도로 공사 안내", Body: "12월 3일 부전로 공사.\n\n우회하세요.", Published: true}
		for _, r := range []struct {
			name string
			ctx  context.Context
			in   NewsInput
			code errs.Code
			key  string
		}{
			{"citizen", citizen, good, errs.Forbidden, "error.forbidden"},
			{"anonymous", context.Background(), good, errs.Unauthorized, "error.unauthorized"},
			{"no zone", admin, NewsInput{Title: "x", Body: "y"}, errs.Invalid, "board.zone_required"},
			{"no title", admin, NewsInput{Zone: zoneA, Body: "y"}, errs.Invalid, "board.title_required"},
			{"too long", admin, NewsInput{Zone: zoneA, Title: "x", Body: strings.Repeat("y", MaxNewsBody+1)}, errs.Invalid, "board.body_too_long"},
		} {
			before := state(t, d)
			_, err := f.svc.SaveNews(r.ctx, 0, r.in)
			wantErr(t, r.name, err, r.code, r.key)
			if state(t, d) != before {
				t.Errorf("%s: changed the database", r.name)
			}
		}
		n1, err := f.svc.SaveNews(admin, 0, good)
		if err != nil || n1.PublishedAt.IsZero() {
			t.Fatalf("news: %+v %v", n1, err)
		}
		f.now = f.now.Add(time.Hour)
		draft, err := f.svc.SaveNews(op, 0, NewsInput{Zone: zoneA, Title: "초안", Body: "아직"})
		if err != nil || !draft.PublishedAt.IsZero() {
			t.Fatalf("draft: %+v %v", draft, err)
		}
		f.now = f.now.Add(time.Hour)
		pinned, err := f.svc.SaveNews(sys, 0, NewsInput{Zone: zoneA, Title: "고정 공지", Body: "늘 위에", Published: true, Pinned: true})
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(time.Hour)
		latest, err := f.svc.SaveNews(admin, 0, NewsInput{Zone: zoneA, Title: "최근 소식", Body: "새 소식", Published: true})
		if err != nil {
			t.Fatal(err)
		}
		list, err := f.svc.ZoneNews(context.Background(), zoneA, 10)
		if err != nil || len(list) != 3 || list[0].ID != pinned.ID || list[1].ID != latest.ID || list[2].ID != n1.ID {
			t.Fatalf("published news (pinned, then newest): %+v %v", list, err)
		}
		// Publishing the draft later dates it then; unpublishing keeps the date.
		f.now = f.now.Add(time.Hour)
		pub, err := f.svc.SaveNews(op, draft.ID, NewsInput{Zone: zoneA, Title: "초안 완성", Body: "완성", Published: true})
		if err != nil || !pub.PublishedAt.Equal(db.Time(f.now)) {
			t.Fatalf("published draft: %+v %v", pub, err)
		}
		f.now = f.now.Add(time.Hour)
		again, err := f.svc.SaveNews(op, draft.ID, NewsInput{Zone: zoneA, Title: "초안 완성", Body: "다시 고침", Published: true})
		if err != nil || !again.PublishedAt.Equal(pub.PublishedAt) {
			t.Fatalf("edited news keeps its date: %+v %v", again, err)
		}
		_, err = f.svc.SaveNews(op, 99999, good)
		wantErr(t, "unknown news", err, errs.NotFound, "board.news_not_found")
		if all, err := f.svc.AllNews(admin, zoneA); err != nil || len(all) != 4 {
			t.Fatalf("staff list: %d %v", len(all), err)
		}
		if _, err := f.svc.AllNews(citizen, zoneA); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("citizen reads drafts: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('board.news.create', 'board.news.update') AND subject_type = 'board_news'`); n != 6 {
			t.Fatalf("%d news audit records, want 6", n)
		}
	})
}
