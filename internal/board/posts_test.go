package board

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

func TestPostRefusalsChangeNothing(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 2)
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		links := "모임 안내 https://a.example/1 http://b.example/2 www.c.example https://d.example/4"
		cases := []struct {
			name  string
			ctx   context.Context
			zone  string
			in    PostInput
			code  errs.Code
			key   string
			field string
		}{
			{"not signed in", context.Background(), zoneA, PostInput{Title: "안녕하세요", Body: "반갑습니다"}, errs.Unauthorized, "error.unauthorized", ""},
			{"staff", admin, zoneA, PostInput{Title: "안녕하세요", Body: "반갑습니다"}, errs.Forbidden, "board.citizens_only", ""},
			{"unknown zone", people[0], "nowhere", PostInput{Title: "안녕하세요", Body: "반갑습니다"}, errs.NotFound, "places.zone_not_found", ""},
			{"empty title", people[0], zoneA, PostInput{Title: "  \n ", Body: "반갑습니다"}, errs.Invalid, "board.title_required", "title"},
			{"empty body", people[0], zoneA, PostInput{Title: "안녕하세요", Body: "\t"}, errs.Invalid, "board.body_required", "body"},
			{"title too long", people[0], zoneA, PostInput{Title: strings.Repeat("가", MaxTitle+1), Body: "반갑습니다"}, errs.Invalid, "board.title_too_long", "title"},
			{"body too long", people[0], zoneA, PostInput{Title: "안녕하세요", Body: strings.Repeat("나", MaxBody+5)}, errs.Invalid, "board.body_too_long", "body"},
			{"too many links", people[0], zoneA, PostInput{Title: "안녕하세요", Body: links}, errs.Invalid, "board.too_many_links", "body"},
			{"links in the title", people[0], zoneA, PostInput{Title: "http://a.example http://b.example http://c.example http://d.example", Body: "반갑습니다"}, errs.Invalid, "board.too_many_links", "title"},
			{"broken text", people[0], zoneA, PostInput{Title: "안녕\xff", Body: "반갑습니다"}, errs.Invalid, "board.text_invalid", "title"},
		}
		for _, c := range cases {
			before := state(t, d)
			_, err := f.svc.CreatePost(c.ctx, c.zone, c.in)
			wantErr(t, c.name, err, c.code, c.key)
			if e, ok := errs.As(err); ok && e.Field != c.field {
				t.Errorf("%s: field %q, want %q", c.name, e.Field, c.field)
			}
			if state(t, d) != before {
				t.Errorf("%s: changed the database", c.name)
			}
		}
		// The message says the limit and how many characters were given.
		_, err := f.svc.CreatePost(people[0], zoneA, PostInput{Title: "안녕하세요", Body: strings.Repeat("나", MaxBody+5)})
		e, _ := errs.As(err)
		for _, lang := range []string{"ko", "en"} {
			msg := i18n.For(lang).T(e.Key, e.Args...)
			if !strings.Contains(msg, "2000") || !strings.Contains(msg, "2005") {
				t.Errorf("%s message %q does not say the limit and the length", lang, msg)
			}
		}

		// At the limits, with spaces around that are dropped; three links are fine.
		title, body := strings.Repeat("제", MaxTitle), strings.Repeat("본", MaxBody-60)+" https://a.example/1 http://b.example/2 www.c.example"
		p, err := f.svc.CreatePost(people[0], zoneA, PostInput{Title: "  " + title + "\n", Body: "\r\n" + body + "  "})
		if err != nil || p.Title != title || p.Body != body || p.ID == 0 {
			t.Fatalf("post at the limits: %v (title %d, body %d chars)", err, len([]rune(p.Title)), len([]rune(p.Body)))
		}

		// The same text again within 10 minutes, even with another title and spacing.
		before := state(t, d)
		_, err = f.svc.CreatePost(people[0], zoneB, PostInput{Title: "다른 제목", Body: "  " + strings.ToUpper(body)})
		wantErr(t, "duplicate", err, errs.Conflict, "board.duplicate")
		if state(t, d) != before {
			t.Error("duplicate changed the database")
		}
		// Someone else may say the same; so may the author 11 minutes later.
		if _, err := f.svc.CreatePost(people[1], zoneA, PostInput{Title: "저도", Body: body}); err != nil {
			t.Fatalf("another user's same text: %v", err)
		}
		f.now = f.now.Add(11 * time.Minute)
		if _, err := f.svc.CreatePost(people[0], zoneA, PostInput{Title: "다시", Body: body}); err != nil {
			t.Fatalf("same text after 11 minutes: %v", err)
		}

		// Five posts an hour: three more, then the sixth is refused.
		for i := range 3 {
			f.post(t, people[0], zoneA, fmt.Sprintf("글 %d", i))
		}
		before = state(t, d)
		_, err = f.svc.CreatePost(people[0], zoneA, PostInput{Title: "여섯째", Body: "여섯째 글"})
		wantErr(t, "sixth post", err, errs.TooMany, "board.too_many_posts")
		if state(t, d) != before {
			t.Error("the sixth post changed the database")
		}
		// An hour after the first, one place is free again.
		f.now = f.now.Add(50 * time.Minute)
		f.post(t, people[0], zoneA, "한 시간 뒤")
		_, err = f.svc.CreatePost(people[0], zoneA, PostInput{Title: "또", Body: "또 다른 글"})
		wantErr(t, "sixth post of the new hour", err, errs.TooMany, "board.too_many_posts")

		if n := count(t, d, `SELECT COUNT(*) FROM board_posts WHERE author_id = $1`, idOf(people[0])); n != 6 {
			t.Fatalf("%d posts written, want 6", n)
		}
		// Pruning forgets what no limit reads any more.
		f.now = f.now.Add(25 * time.Hour)
		if err := f.svc.Prune(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_rate_events`); n != 0 {
			t.Fatalf("%d rate events after pruning", n)
		}
	})
}

// Twenty posts sent at once by one user: exactly five are written.
func TestPostLimitHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 2)
		p := f.post(t, people[1], zoneA, "댓글 달 글")
		run := func(n int, write func(i int) error) (ok int, refused int) {
			var wg sync.WaitGroup
			errc := make(chan error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errc <- write(i)
				}()
			}
			wg.Wait()
			close(errc)
			for err := range errc {
				switch {
				case err == nil:
					ok++
				case errs.CodeOf(err) == errs.TooMany:
					refused++
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
			return ok, refused
		}
		ok, refused := run(20, func(i int) error {
			_, err := f.svc.CreatePost(people[0], zoneA, PostInput{Title: fmt.Sprintf("동시 %d", i), Body: fmt.Sprintf("동시에 보낸 글 %d", i)})
			return err
		})
		if ok != PostsPerHour || refused != 20-PostsPerHour {
			t.Fatalf("%d posts accepted and %d refused, want %d and %d", ok, refused, PostsPerHour, 20-PostsPerHour)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_posts WHERE author_id = $1`, idOf(people[0])); n != PostsPerHour {
			t.Fatalf("%d posts in the database, want %d", n, PostsPerHour)
		}
		ok, refused = run(40, func(i int) error {
			_, err := f.svc.AddComment(people[0], zoneA, p.ID, fmt.Sprintf("동시 댓글 %d", i))
			return err
		})
		if ok != CommentsPerHour || refused != 40-CommentsPerHour {
			t.Fatalf("%d comments accepted and %d refused, want %d and %d", ok, refused, CommentsPerHour, 40-CommentsPerHour)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_comments WHERE author_id = $1`, idOf(people[0])); n != CommentsPerHour {
			t.Fatalf("%d comments in the database, want %d", n, CommentsPerHour)
		}
	})
}

func TestEditAndDelete(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 2)
		admin := f.staff(t, actor.Operator, "op1")
		p := f.post(t, people[0], zoneA, "고칠 글")
		c, err := f.svc.AddComment(people[1], zoneA, p.ID, "좋은 소식이네요")
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(time.Hour)
		refusals := []struct {
			name string
			do   func() error
			code errs.Code
			key  string
		}{
			{"another's post", func() error {
				_, err := f.svc.EditPost(people[1], p.ID, PostInput{Title: "바꿈", Body: "바꿈"})
				return err
			}, errs.Forbidden, "board.not_yours"},
			{"delete another's post", func() error { return f.svc.DeletePost(people[1], p.ID) }, errs.Forbidden, "board.not_yours"},
			{"staff edits a post", func() error {
				_, err := f.svc.EditPost(admin, p.ID, PostInput{Title: "바꿈", Body: "바꿈"})
				return err
			}, errs.Forbidden, "board.citizens_only"},
			{"anonymous edit", func() error {
				_, err := f.svc.EditPost(context.Background(), p.ID, PostInput{Title: "바꿈", Body: "바꿈"})
				return err
			}, errs.Unauthorized, "error.unauthorized"},
			{"another's comment", func() error { _, err := f.svc.EditComment(people[0], p.ID, c.ID, "바꿈"); return err }, errs.Forbidden, "board.not_yours"},
			{"delete another's comment", func() error { return f.svc.DeleteComment(people[0], p.ID, c.ID) }, errs.Forbidden, "board.not_yours"},
			{"comment under another post", func() error { _, err := f.svc.EditComment(people[1], p.ID+1, c.ID, "바꿈"); return err }, errs.NotFound, "board.comment_not_found"},
			{"edit to empty", func() error {
				_, err := f.svc.EditPost(people[0], p.ID, PostInput{Title: "", Body: "바꿈"})
				return err
			}, errs.Invalid, "board.title_required"},
			{"edit too long", func() error {
				_, err := f.svc.EditPost(people[0], p.ID, PostInput{Title: "바꿈", Body: strings.Repeat("x", MaxBody+1)})
				return err
			}, errs.Invalid, "board.body_too_long"},
			{"comment too long", func() error {
				_, err := f.svc.EditComment(people[1], p.ID, c.ID, strings.Repeat("x", MaxComment+1))
				return err
			}, errs.Invalid, "board.comment_too_long"},
		}
		for _, r := range refusals {
			before := state(t, d)
			wantErr(t, r.name, r.do(), r.code, r.key)
			if state(t, d) != before {
				t.Errorf("%s: changed the database", r.name)
			}
		}
		// Within the day: the author edits.
		e, err := f.svc.EditPost(people[0], p.ID, PostInput{Title: " 고친 제목 ", Body: "고친 본문"})
		if err != nil || e.Title != "고친 제목" || e.EditedAt.IsZero() {
			t.Fatalf("edit: %+v %v", e, err)
		}
		if _, err := f.svc.EditComment(people[1], p.ID, c.ID, "고친 댓글"); err != nil {
			t.Fatal(err)
		}
		th, err := f.svc.Thread(people[1], zoneA, p.ID)
		if err != nil || th.Post.Title != "고친 제목" || th.Post.Mine || th.Post.CanChange || len(th.Comments) != 1 || th.Comments[0].Body != "고친 댓글" || !th.Comments[0].CanChange {
			t.Fatalf("thread after edits: %+v %v", th, err)
		}
		// After 24 hours: neither edit nor delete.
		f.now = p.CreatedAt.Add(EditWindow + time.Second)
		for _, r := range []struct {
			name string
			do   func() error
		}{
			{"edit after 24 h", func() error {
				_, err := f.svc.EditPost(people[0], p.ID, PostInput{Title: "늦음", Body: "늦음"})
				return err
			}},
			{"delete after 24 h", func() error { return f.svc.DeletePost(people[0], p.ID) }},
			{"comment edit after 24 h", func() error { _, err := f.svc.EditComment(people[1], p.ID, c.ID, "늦음"); return err }},
			{"comment delete after 24 h", func() error { return f.svc.DeleteComment(people[1], p.ID, c.ID) }},
		} {
			before := state(t, d)
			wantErr(t, r.name, r.do(), errs.Conflict, "board.edit_window_over")
			if state(t, d) != before {
				t.Errorf("%s: changed the database", r.name)
			}
		}
		if th, _ := f.svc.Thread(people[0], zoneA, p.ID); th.Post.CanChange || !th.Post.Mine {
			t.Fatalf("after 24 h the post still offers changes: %+v", th.Post)
		}
		// A new post, deleted by its author: blanked and gone from every list.
		f.now = f.now.Add(time.Hour)
		q := f.post(t, people[0], zoneA, "지울 글")
		c2, err := f.svc.AddComment(people[0], zoneA, q.ID, "지울 댓글")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteComment(people[0], q.ID, c2.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeletePost(people[0], q.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_posts WHERE id = $1 AND status = 'deleted' AND title = '' AND body = ''`, q.ID); n != 1 {
			t.Fatal("a deleted post keeps its text")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM board_comments WHERE id = $1 AND status = 'deleted' AND body = ''`, c2.ID); n != 1 {
			t.Fatal("a deleted comment keeps its text")
		}
		if _, err := f.svc.Thread(people[0], zoneA, q.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("deleted post's page: %v", err)
		}
		page, _ := f.svc.Posts(context.Background(), zoneA, 1)
		mine, _ := f.svc.MyPosts(people[0])
		if page.Total != 1 || len(page.Posts) != 1 || len(mine) != 1 || mine[0].ID != p.ID {
			t.Fatalf("lists after delete: board %+v, mine %+v", page, mine)
		}
		wantErr(t, "delete twice", f.svc.DeletePost(people[0], q.ID), errs.NotFound, "board.post_not_found")
		_, err = f.svc.AddComment(people[1], zoneA, q.ID, "지운 글에 댓글")
		wantErr(t, "comment on a deleted post", err, errs.NotFound, "board.post_not_found")
		_, err = f.svc.AddComment(people[1], zoneB, p.ID, "다른 생활권 주소로")
		wantErr(t, "comment through another zone", err, errs.NotFound, "board.post_not_found")
	})
}

func TestPostsPageByPage(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		people := f.citizens(t, 10)
		var ids []int64
		for i := range 45 {
			f.now = f.now.Add(time.Minute)
			ids = append(ids, f.post(t, people[i%9], zoneA, fmt.Sprintf("글 %02d", i)).ID)
		}
		f.post(t, people[9], zoneB, "다른 생활권")
		seen := map[int64]bool{}
		for page := 1; page <= 3; page++ {
			pp, err := f.svc.Posts(context.Background(), zoneA, page)
			if err != nil || pp.Total != 45 || pp.Pages != 3 {
				t.Fatalf("page %d: %+v %v", page, pp, err)
			}
			want := min(PageSize, 45-(page-1)*PageSize)
			if len(pp.Posts) != want {
				t.Fatalf("page %d has %d posts, want %d", page, len(pp.Posts), want)
			}
			for i, p := range pp.Posts {
				if wantID := ids[44-(page-1)*PageSize-i]; p.ID != wantID {
					t.Fatalf("page %d, row %d: post %d, want %d (newest first)", page, i, p.ID, wantID)
				}
				if p.Author == "" || !strings.HasSuffix(p.Author, "○○") || seen[p.ID] {
					t.Fatalf("post %+v", p)
				}
				seen[p.ID] = true
			}
		}
		if pp, _ := f.svc.Posts(context.Background(), zoneA, 0); pp.Page != 1 || len(pp.Posts) != PageSize {
			t.Fatalf("page 0 reads as page %d", pp.Page)
		}
		if pp, err := f.svc.Posts(context.Background(), zoneA, 1<<62); err != nil || pp.Page != 3 || len(pp.Posts) != 5 {
			t.Fatalf("a page far past the last reads as page %d (%v)", pp.Page, err)
		}
	})
}
