package app_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/practice"
)

var (
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([a-z]+)" value="([^"]*)">`)
	hrefRe   = regexp.MustCompile(`href="(/practice/[a-z0-9-]+/play\?[^"]+)"`)
)

// formOf reads the play's signed state from a practice screen.
func formOf(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(body, -1) {
		if m[1] != "csrf" {
			v.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	if v.Get("sig") == "" {
		t.Fatalf("no signed play on the screen: %s", body)
	}
	return v
}

// finish presses through a task's steps from its intro link in mode,
// pressing wrong first times on the way, and returns the final page.
func finish(t *testing.T, c *apptest.Client, s *practice.Scenario, taskIdx int, mode string, wrong int) string {
	t.Helper()
	_, intro := c.Get("/practice/" + s.ID)
	var start string
	for _, m := range hrefRe.FindAllStringSubmatch(intro, -1) {
		u, _ := url.Parse(html.UnescapeString(m[1]))
		if q := u.Query(); q.Get("mode") == mode && q.Get("task") == s.Tasks[taskIdx].ID {
			start = u.String()
		}
	}
	if start == "" {
		t.Fatalf("no %s link for %s/%s", mode, s.ID, s.Tasks[taskIdx].ID)
	}
	_, body := c.Get(start)
	for i, st := range s.Tasks[taskIdx].Steps {
		if i == 0 && wrong > 0 && mode == practice.Guided {
			for range wrong {
				sc, _ := s.Screen(st.Screen)
				var other string
				for _, b := range sc.Buttons {
					if b.ID != st.Button {
						other = b.ID
					}
				}
				v := formOf(t, body)
				v.Set("button", other)
				_, body = c.Post("/practice/"+s.ID+"/press", v)
			}
		}
		v := formOf(t, body)
		v.Set("button", st.Button)
		_, body = c.Post("/practice/"+s.ID+"/press", v)
	}
	return body
}

func scenarioOf(t *testing.T, id string) *practice.Scenario {
	t.Helper()
	all, err := practice.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no scenario %s", id)
	return nil
}

// TestPracticeProgress: an anonymous learner's finished task stays on the
// device; a made-up finish is refused; a signed-in learner who finishes a
// set on their own has it count toward its course, completing it; the
// tutor of a class sees the progress; a device's record moves into the
// account once.
func TestPracticeProgress(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ctx := context.Background()
	food, cert := scenarioOf(t, "food-kiosk"), scenarioOf(t, "certificate-kiosk")
	// A clock that moves a second each time it is read, so no two
	// attempts start in the same second as they would at test speed.
	var tick atomic.Int64
	base := time.Now().Add(-time.Hour)
	ta.Practice.Now = func() time.Time { return base.Add(time.Duration(tick.Add(1)) * time.Second) }

	anon := ta.Client(t)
	body := finish(t, anon, food, 0, practice.Guided, 2)
	if !strings.Contains(body, "잘하셨습니다") || !strings.Contains(body, "2번") || !strings.Contains(body, "이 기기에만") {
		t.Fatalf("anonymous finish: %s", body)
	}
	if _, page := anon.Get("/practice/progress"); !strings.Contains(page, "따라 해 봄") {
		t.Fatalf("device progress: %s", page)
	}
	// A finish cannot be written by hand: the result page wants its
	// signature, and an edited play starts over.
	if st, _ := anon.Get("/practice/food-kiosk/done?task=bulgogi-set-cola&mode=challenge&mistakes=0&seconds=5&kept=device"); st != 404 {
		t.Fatalf("an unsigned result page: %d", st)
	}
	_, screen := anon.Get("/practice/food-kiosk/play?mode=challenge&task=bulgogi-set-cola&at=cart&step=6&started=1")
	forged := formOf(t, screen)
	if forged.Get("at") != food.Start || forged.Get("step") != "0" {
		t.Fatalf("an edited play did not start over: %v", forged)
	}
	forged.Set("step", "6")
	forged.Set("button", food.Tasks[0].Steps[0].Button)
	if _, page := anon.Post("/practice/food-kiosk/press", forged); strings.Contains(page, "잘하셨습니다") {
		t.Fatal("an edited form finished the task")
	}

	c := ta.Client(t)
	ta.SignInCitizen(t, c, ta.Phone)
	u, err := auth.NewUsers(ta.DB).ByPhone(ctx, ta.Phone)
	if err != nil {
		t.Fatal(err)
	}
	kiosk, err := ta.Learn.CourseByCode(ctx, "KIOSK")
	if err != nil {
		t.Fatal(err)
	}
	finish(t, c, food, 0, practice.Guided, 0) // step by step counts for no set
	set := ta.Practice.Sets()[0]
	for i, task := range set.Tasks {
		id, taskID, _ := strings.Cut(task, "/")
		s := scenarioOf(t, id)
		idx := slices.IndexFunc(s.Tasks, func(x practice.Task) bool { return x.ID == taskID })
		body = finish(t, c, s, idx, practice.Challenge, 0)
		last := i == len(set.Tasks)-1
		if !strings.Contains(body, "연습 기록에 남았습니다") || strings.Contains(body, "도전을 모두") != last {
			t.Fatalf("challenge %d of the set: %s", i+1, body)
		}
	}
	if !strings.Contains(body, "“생활 속 키오스크 도전” 도전을 모두 마치셨습니다") || !strings.Contains(body, "“생활 속 키오스크 사용하기” 강좌를 수료") {
		t.Fatalf("the set's last challenge: %s", body)
	}
	if done, err := ta.Learn.Completed(ctx, u.ID, kiosk.ID); err != nil || !done {
		t.Fatalf("the course is not completed: %v %v", done, err)
	}
	// Finishing again credits nothing twice.
	finish(t, c, cert, 0, practice.Challenge, 0)
	var credits, sets int
	ta.DB.Read().QueryRow(`SELECT COUNT(*) FROM course_credits WHERE user_id = $1`, u.ID).Scan(&credits)
	ta.DB.Read().QueryRow(`SELECT COUNT(*) FROM practice_sets_done WHERE user_id = $1`, u.ID).Scan(&sets)
	if credits != 1 || sets != 1 {
		t.Fatalf("credits %d, sets done %d", credits, sets)
	}
	_, page := c.Get("/practice/progress")
	if !strings.Contains(page, "혼자 해 봄") || !strings.Contains(page, fmt.Sprintf("%d / %d개 마침", len(set.Tasks), len(set.Tasks))) {
		t.Fatalf("account progress: %s", page)
	}

	// The anonymous device signs in: its record moves into that account.
	ta.SignInCitizen(t, anon, ta.Phone)
	if _, page := anon.Get("/practice/progress"); !strings.Contains(page, "1개 있습니다") {
		t.Fatalf("device record not offered: %s", page)
	}
	anon.Post("/practice/progress/keep", url.Values{})
	if _, page := anon.Get("/practice/progress"); strings.Contains(page, "개 있습니다") {
		t.Fatalf("device record offered again: %s", page)
	}
	attempts, err := ta.Practice.Attempts(ctx, u.ID)
	if want := len(set.Tasks) + 3; err != nil || len(attempts) != want {
		t.Fatalf("attempts after keeping the device's: %d %v", len(attempts), err)
	}

	// The tutor sees a class's learner with their practice.
	tutor := ta.Client(t)
	ta.SignInStaff(t, tutor, "tutor1")
	_, list := tutor.Get("/staff/practice")
	m := regexp.MustCompile(`href="/staff/practice/(\d+)"`).FindStringSubmatch(list)
	if m == nil {
		t.Fatalf("tutor's classes: %s", list)
	}
	var learner int64
	var name string
	if err := ta.DB.Read().QueryRow(`SELECT u.id, u.name FROM registrations r JOIN users u ON u.id = r.user_id
		WHERE r.session_id = $1 AND r.seats = 1 AND r.status = 'confirmed' ORDER BY r.id LIMIT 1`, m[1]).Scan(&learner, &name); err != nil {
		t.Fatalf("a learner of class %s: %v", m[1], err)
	}
	if _, err := ta.Practice.Record(ctx, learner, []practice.Attempt{{Scenario: "food-kiosk", Task: "bulgogi-set-cola", Mode: practice.Challenge,
		Mistakes: 1, Seconds: 80, Started: ta.Practice.Now().Add(-80 * time.Second), Finished: ta.Practice.Now()}}); err != nil {
		t.Fatal(err)
	}
	_, class := tutor.Get("/staff/practice/" + m[1])
	if !strings.Contains(class, html.EscapeString(name)) || !strings.Contains(class, "혼자 1/1") {
		t.Fatalf("class page: %s", class)
	}
	if st, _ := c.Get("/staff/practice/" + m[1]); st != 403 {
		t.Fatalf("a citizen on a class page: %d", st)
	}
}
