package practice

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// countingLearning counts the credits it is asked for.
type countingLearning struct{ credits atomic.Int32 }

func (c *countingLearning) CreditTx(context.Context, *sql.Tx, int64, string, string) (bool, bool, error) {
	c.credits.Add(1)
	return true, false, nil
}
func (c *countingLearning) CourseTitle(context.Context, string) (Text, bool, error) {
	return Text{}, false, nil
}
func (c *countingLearning) Classes(context.Context) ([]Class, error) { return nil, nil }
func (c *countingLearning) Learners(context.Context, int64) (Class, []Learner, error) {
	return Class{}, nil, nil
}

// TestSetFinishedInTwoTabsAtOnce: the set's last two challenges finished
// at the same moment (two tabs) mark the set done exactly once, and its
// course is credited once; neither misses the other.
func TestSetFinishedInTwoTabsAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		all, err := Builtin()
		if err != nil {
			t.Fatal(err)
		}
		set := Set{ID: "both", Title: Text{Ko: "둘", En: "Both"}, Course: "KIOSK",
			Tasks: []string{"food-kiosk/bulgogi-set-cola", "certificate-kiosk/copy-with-changes"}}
		learning := &countingLearning{}
		svc, err := Open(ctx, d, all, []Set{set}, learning)
		if err != nil {
			t.Fatal(err)
		}
		users := auth.NewUsers(d)
		now := time.Now()
		for round := range 8 {
			u, err := users.Create(ctx, auth.NewUser{Role: actor.Citizen, Name: "연습", Phone: "010-5555-" + string(rune('1'+round)) + "000"})
			if err != nil {
				t.Fatal(err)
			}
			// Practised before: the learner's row exists, so only its lock,
			// not its creation, can order the two.
			if _, err := svc.Record(ctx, u.ID, []Attempt{{Scenario: "food-kiosk", Task: "bulgogi-set-cola", Mode: Guided,
				Started: now.Add(-time.Hour), Finished: now}}); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var sets atomic.Int32
			for i, task := range set.Tasks {
				sc, tk, _ := strings.Cut(task, "/")
				wg.Add(1)
				go func() {
					defer wg.Done()
					rec, err := svc.Record(ctx, u.ID, []Attempt{{Scenario: sc, Task: tk, Mode: Challenge, Seconds: 30 + i,
						Started: now.Add(-time.Minute), Finished: now}})
					if err != nil {
						t.Error(err)
					}
					sets.Add(int32(len(rec.SetsDone)))
				}()
			}
			wg.Wait()
			done, err := svc.SetsDone(ctx, u.ID)
			if err != nil || len(done) != 1 || sets.Load() != 1 {
				t.Fatalf("round %d: set recorded done %d times, reported %d times (%v)", round, len(done), sets.Load(), err)
			}
		}
		if n := learning.credits.Load(); n != 8 {
			t.Fatalf("credits asked: %d, want one per learner (8)", n)
		}
	})
}

// TestSummarizePicksTheBestOnYourOwn: fewest wrong presses first, then the
// quickest; guided finishes count as tries but are never the best.
func TestSummarizePicksTheBestOnYourOwn(t *testing.T) {
	t.Parallel()
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	at := func(mode string, mistakes, secs int) Attempt {
		return Attempt{Scenario: "food-kiosk", Task: "bulgogi-set-cola", Mode: mode, Mistakes: mistakes, Seconds: secs, Finished: time.Unix(int64(secs), 0)}
	}
	ps := Summarize(all, []Attempt{at(Guided, 0, 10), at(Challenge, 2, 40), at(Challenge, 1, 90), at(Challenge, 1, 60), at(Challenge, 3, 20)})
	for _, p := range ps {
		if p.Scenario.ID != "food-kiosk" {
			if p.Tries != 0 {
				t.Fatalf("%s has tries", p.Scenario.ID)
			}
			continue
		}
		if p.Tries != 5 || !p.Guided || p.Best == nil || p.Best.Mistakes != 1 || p.Best.Seconds != 60 || p.Last.Unix() != 90 {
			t.Fatalf("summary: %+v best %+v", p, p.Best)
		}
	}
}
