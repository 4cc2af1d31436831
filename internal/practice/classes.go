package practice

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// LearnerProgress is one learner's line on a tutor's class page.
type LearnerProgress struct {
	Learner
	Tasks []TaskProgress
	Sets  []SetProgress
}

// tutorRoles may see their classes' practice.
var tutorRoles = []actor.Role{actor.Tutor, actor.CentreAdmin}

// Classes are the sessions whose learners the actor may follow.
func (s *Service) Classes(ctx context.Context) ([]Class, error) {
	if _, err := actor.Require(ctx, tutorRoles...); err != nil {
		return nil, err
	}
	if s.learning == nil {
		return nil, nil
	}
	return s.learning.Classes(ctx)
}

// ClassProgress is the practice progress of everyone in a class, for its
// tutor. Reading it is audited.
func (s *Service) ClassProgress(ctx context.Context, classID int64) (Class, []LearnerProgress, error) {
	if _, err := actor.Require(ctx, tutorRoles...); err != nil {
		return Class{}, nil, err
	}
	if s.learning == nil {
		return Class{}, nil, errs.New(errs.NotFound, "practice.class_not_found")
	}
	class, learners, err := s.learning.Learners(ctx, classID)
	if err != nil {
		return Class{}, nil, err
	}
	if len(learners) == 0 {
		return class, nil, nil
	}
	ph := make([]string, len(learners))
	args := make([]any, len(learners))
	for i, l := range learners {
		ph[i], args[i] = "$"+strconv.Itoa(i+1), l.UserID
	}
	in := strings.Join(ph, ",")
	rows, err := s.db.Query(ctx, `SELECT `+attemptCols+` FROM practice_attempts WHERE user_id IN (`+in+`)`, args...)
	all, err := db.Collect(rows, err, scanAttempt)
	if err != nil {
		return Class{}, nil, err
	}
	byUser := map[int64][]Attempt{}
	for _, a := range all {
		byUser[a.UserID] = append(byUser[a.UserID], a.Attempt)
	}
	finished := map[int64]map[string]time.Time{}
	srows, err := s.db.Query(ctx, `SELECT user_id, set_id, finished_at FROM practice_sets_done WHERE user_id IN (`+in+`)`, args...)
	if err != nil {
		return Class{}, nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var id int64
		var set string
		var at time.Time
		if err := srows.Scan(&id, &set, &at); err != nil {
			return Class{}, nil, err
		}
		if finished[id] == nil {
			finished[id] = map[string]time.Time{}
		}
		finished[id][set] = at
	}
	if err := srows.Err(); err != nil {
		return Class{}, nil, err
	}
	out := make([]LearnerProgress, len(learners))
	for i, l := range learners {
		out[i] = LearnerProgress{Learner: l, Tasks: Summarize(s.scenarios, byUser[l.UserID]), Sets: SetsProgress(s.sets, byUser[l.UserID], finished[l.UserID])}
	}
	if err := audit.Record(ctx, s.db.Write(), audit.Entry{Action: "practice.class_read", SubjectType: "class_session", SubjectID: classID}); err != nil {
		return Class{}, nil, err
	}
	return class, out, nil
}
