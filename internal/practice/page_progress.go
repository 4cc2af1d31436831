package practice

import (
	"net/http"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
)

type progressPage struct {
	Lang     string
	SignedIn bool
	Tasks    []TaskProgress
	Sets     []setView
	Recent   []recentView
	Device   int // attempts on this device not yet kept in the account
}

type setView struct {
	SetProgress
	Course string // the course's title, when the city runs it
}

type recentView struct {
	Attempt
	Scenario, Task string
}

func (h *Handlers) progress(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := lang(r)
	device := h.svc.deviceAttempts(r)
	page := progressPage{Lang: l}
	attempts := device
	finished := map[string]time.Time{}
	if u := actor.From(ctx); u != nil {
		var err error
		if attempts, err = h.svc.Attempts(ctx, u.ID); err != nil {
			return err
		}
		if finished, err = h.svc.SetsDone(ctx, u.ID); err != nil {
			return err
		}
		page.SignedIn, page.Device = true, len(device)
	}
	slices.SortStableFunc(attempts, func(a, b Attempt) int { return b.Finished.Compare(a.Finished) })
	page.Tasks = Summarize(h.svc.Scenarios(), attempts)
	for _, sp := range SetsProgress(h.svc.Sets(), attempts, finished) {
		v := setView{SetProgress: sp}
		if sp.Set.Course != "" {
			title, ok, err := h.svc.courseTitle(ctx, sp.Set.Course)
			if err != nil {
				return err
			}
			if ok {
				v.Course = title.In(l)
			}
		}
		page.Sets = append(page.Sets, v)
	}
	for _, a := range attempts[:min(len(attempts), 10)] {
		sc, ok := h.svc.Scenario(a.Scenario)
		if !ok {
			continue
		}
		t, _ := sc.task(a.Task)
		page.Recent = append(page.Recent, recentView{Attempt: a, Scenario: sc.Title.In(l), Task: t.Title.In(l)})
	}
	return h.views.Render(w, r, http.StatusOK, "progress", page)
}

// keep moves the device's record into the signed-in learner's account.
func (h *Handlers) keep(w http.ResponseWriter, r *http.Request) error {
	u := actor.From(r.Context())
	if u == nil {
		return errs.New(errs.Unauthorized, "error.unauthorized")
	}
	if _, err := h.svc.Record(r.Context(), u.ID, h.svc.deviceAttempts(r)); err != nil {
		return err
	}
	forgetDevice(w, r)
	http.Redirect(w, r, "/practice/progress", http.StatusSeeOther)
	return nil
}

func (h *Handlers) forget(w http.ResponseWriter, r *http.Request) error {
	forgetDevice(w, r)
	http.Redirect(w, r, "/practice/progress", http.StatusSeeOther)
	return nil
}
