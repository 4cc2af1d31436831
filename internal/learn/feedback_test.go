package learn

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

func TestFeedback(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tutor := f.staff(t, actor.Tutor, "tutor1")
		other := f.staff(t, actor.Tutor, "tutor2")
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		people := f.citizens(t, 4)
		s := f.scheduleAt(t, "FB-1", f.course.ID, userIDOf(tutor), f.now.Add(time.Hour), 2, FirstCome)
		s2 := f.scheduleAt(t, "FB-2", f.course.ID, userIDOf(other), f.now.Add(time.Hour), 2, FirstCome)
		regs := make([]Registration, 3)
		for i := range regs {
			regs[i] = f.registerFor(t, people[i], s.ID)
		}
		r3 := f.registerFor(t, people[3], s2.ID)
		for _, r := range []Registration{regs[0], regs[1]} {
			if _, err := f.svc.CheckInRegistration(tutor, r.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.CheckInRegistration(other, r3.ID); err != nil {
			t.Fatal(err)
		}

		// Checked in early, but the class has not started.
		before := dbStateOf(t, f)
		_, err := f.svc.GiveFeedback(people[0], regs[0].ID, FeedbackInput{Rating: 5})
		wantErrKey(t, "before the start", err, errs.Conflict, "feedback.not_started")
		st, err := f.svc.FeedbackFor(people[0], regs[0].ID)
		if err != nil || st.Blocked != "feedback.not_started" || st.Given != nil {
			t.Fatalf("feedback state before the start: %+v %v", st, err)
		}
		if dbStateOf(t, f) != before {
			t.Fatal("refused feedback changed the database")
		}

		f.now = s.StartsAt.Add(90 * time.Minute)
		long := strings.Repeat("가", MaxFeedbackComment+1)
		cases := []struct {
			name  string
			ctx   context.Context
			reg   int64
			in    FeedbackInput
			code  errs.Code
			key   string
			field string
		}{
			{"anonymous", context.Background(), regs[0].ID, FeedbackInput{Rating: 5}, errs.Unauthorized, "error.unauthorized", ""},
			{"no rating", people[0], regs[0].ID, FeedbackInput{Comment: "좋아요"}, errs.Invalid, "feedback.rating_invalid", "rating"},
			{"rating 6", people[0], regs[0].ID, FeedbackInput{Rating: 6}, errs.Invalid, "feedback.rating_invalid", "rating"},
			{"rating -1", people[0], regs[0].ID, FeedbackInput{Rating: -1}, errs.Invalid, "feedback.rating_invalid", "rating"},
			{"comment too long", people[0], regs[0].ID, FeedbackInput{Rating: 4, Comment: long}, errs.Invalid, "feedback.comment_too_long", "comment"},
			{"someone else's", people[1], regs[0].ID, FeedbackInput{Rating: 1}, errs.NotFound, "learn.registration_not_found", ""},
			{"tutor for a learner", tutor, regs[0].ID, FeedbackInput{Rating: 1}, errs.NotFound, "learn.registration_not_found", ""},
			{"unknown registration", people[0], 99999, FeedbackInput{Rating: 3}, errs.NotFound, "learn.registration_not_found", ""},
			{"did not attend", people[2], regs[2].ID, FeedbackInput{Rating: 3}, errs.Conflict, "feedback.not_attended", ""},
		}
		for _, c := range cases {
			before := dbStateOf(t, f)
			_, err := f.svc.GiveFeedback(c.ctx, c.reg, c.in)
			wantErrKey(t, c.name, err, c.code, c.key)
			if e, ok := errs.As(err); ok && e.Field != c.field {
				t.Errorf("%s: field %q, want %q", c.name, e.Field, c.field)
			}
			if after := dbStateOf(t, f); after != before {
				t.Errorf("%s: changed the database", c.name)
			}
		}

		// The longest comment, with spaces around it that are dropped.
		exact := strings.Repeat("좋", MaxFeedbackComment)
		fb, err := f.svc.GiveFeedback(people[0], regs[0].ID, FeedbackInput{Rating: 5, Comment: "  " + exact + "\n"})
		if err != nil || fb.Comment != exact || fb.Rating != 5 {
			t.Fatalf("feedback: %v (comment %d chars)", err, len([]rune(fb.Comment)))
		}
		before = dbStateOf(t, f)
		_, err = f.svc.GiveFeedback(people[0], regs[0].ID, FeedbackInput{Rating: 1})
		wantErrKey(t, "second time", err, errs.Conflict, "feedback.already_given")
		if dbStateOf(t, f) != before {
			t.Fatal("a second rating changed the database")
		}
		st, err = f.svc.FeedbackFor(people[0], regs[0].ID)
		if err != nil || st.Given == nil || st.Given.Rating != 5 {
			t.Fatalf("feedback state after rating: %+v %v", st, err)
		}
		if st, _ := f.svc.FeedbackFor(people[2], regs[2].ID); st.Blocked != "feedback.not_attended" {
			t.Fatalf("not attended: blocked = %q", st.Blocked)
		}
		if _, err := f.svc.FeedbackFor(people[1], regs[0].ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("someone else's feedback page: %v", err)
		}

		// The same learner sending twice at once: one rating is kept.
		var wg sync.WaitGroup
		errc := make(chan error, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.GiveFeedback(people[1], regs[1].ID, FeedbackInput{Rating: 3 - i%2})
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		ok := 0
		for err := range errc {
			if err == nil {
				ok++
			} else {
				wantErrKey(t, "concurrent duplicate", err, errs.Conflict, "feedback.already_given")
			}
		}
		if ok != 1 {
			t.Fatalf("%d concurrent ratings kept, want 1", ok)
		}
		f.now = s2.StartsAt.Add(time.Minute)
		if _, err := f.svc.GiveFeedback(people[3], r3.ID, FeedbackInput{Rating: 1, Comment: "소리가 작았어요"}); err != nil {
			t.Fatal(err)
		}

		// Results: the session's tutor and admins; nobody else.
		rep, err := f.svc.SessionFeedback(tutor, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		var second int
		d.Read().QueryRowContext(context.Background(), `SELECT rating FROM feedback WHERE session_id = $1 AND user_id = $2`, s.ID, userIDOf(people[1])).Scan(&second)
		if rep.Ratings.Count != 2 || rep.Ratings.ByRating[4] != 1 || rep.Ratings.ByRating[second-1] != 1 || rep.Ratings.Sessions != 1 {
			t.Fatalf("session ratings %+v", rep.Ratings)
		}
		if len(rep.Comments) != 1 || rep.Comments[0].Comment != exact {
			t.Fatalf("comments %+v", rep.Comments)
		}
		if rep.Course.Count != 3 || rep.Course.Sessions != 2 || rep.Course.Sum != 5+second+1 {
			t.Fatalf("course ratings %+v", rep.Course)
		}
		if _, err := f.svc.SessionFeedback(admin, s.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.SessionFeedback(other, s.ID)
		wantErrKey(t, "other tutor", err, errs.Forbidden, "staff.not_your_session")
		_, err = f.svc.SessionFeedback(people[0], s.ID)
		wantErrKey(t, "citizen", err, errs.Forbidden, "error.forbidden")
		_, err = f.svc.SessionFeedback(context.Background(), s.ID)
		wantErrKey(t, "anonymous", err, errs.Unauthorized, "error.unauthorized")
		_, err = f.svc.FeedbackSummary(people[0], f.course.ID)
		wantErrKey(t, "citizen summary", err, errs.Forbidden, "error.forbidden")
		sum, err := f.svc.FeedbackSummary(other, f.course.ID)
		if err != nil || sum != rep.Course {
			t.Fatalf("summary %+v %v, want %+v", sum, err, rep.Course)
		}
	})
}

func TestRatingsRows(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		r       Ratings
		avg     float64
		percent []int // for 5 down to 1
	}{
		{"none", Ratings{}, 0, []int{0, 0, 0, 0, 0}},
		{"one five", Ratings{Count: 1, Sum: 5, ByRating: [5]int{0, 0, 0, 0, 1}}, 5, []int{100, 0, 0, 0, 0}},
		{"thirds", Ratings{Count: 3, Sum: 1 + 3 + 5, ByRating: [5]int{1, 0, 1, 0, 1}}, 3, []int{33, 0, 33, 0, 33}},
		{"rounding", Ratings{Count: 8, Sum: 4*3 + 5*5, ByRating: [5]int{0, 0, 0, 3, 5}}, 37.0 / 8, []int{63, 38, 0, 0, 0}},
	}
	for _, c := range cases {
		if got := c.r.Average(); got != c.avg {
			t.Errorf("%s: average %v, want %v", c.name, got, c.avg)
		}
		rows := c.r.Rows()
		for i, row := range rows {
			if row.Rating != 5-i || row.Percent != c.percent[i] || row.Count != c.r.ByRating[4-i] {
				t.Errorf("%s: row %d = %+v, want rating %d, %d%%", c.name, i, row, 5-i, c.percent[i])
			}
		}
	}
}
