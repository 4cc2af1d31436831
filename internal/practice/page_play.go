package practice

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
)

// playURL is the link to a play's screen, signed so that a finished task
// can only come from pressing through it.
func (h *Handlers) playURL(s *Scenario, p Play) string {
	return "/practice/" + s.ID + "/play?" + h.svc.seal(s.ID, p.Values(), playFields).Encode()
}

// playFrom reads the play a link or form carries. One not made here (a
// hand-written or edited address) starts its task over, in its mode.
func (h *Handlers) playFrom(s *Scenario, v url.Values) Play {
	if !h.svc.sealed(s.ID, v, playFields) {
		v = url.Values{"mode": {v.Get("mode")}, "task": {v.Get("task")}}
	}
	return PlayFrom(s, v, h.svc.Now())
}

type buttonView struct {
	ID, Label string
	Next      bool // guided mode: the control to press now
}

type playPage struct {
	S           *Scenario
	Play        Play
	Hidden      url.Values
	Screen      *Screen
	Title, Say  string
	Show        []string
	Buttons     []buttonView
	Instruction string
	Hint        string
	TaskTitle   string
	StepNo      int
	Steps       int
	BackURL     string
	RestartURL  string
	Speech      speech
	WordsURL    string
}

// speech is what the listen button reads, in order.
type speech struct {
	Lang  string   `json:"lang"`
	Lines []string `json:"lines"`
}

func (h *Handlers) play(w http.ResponseWriter, r *http.Request) error {
	s, err := h.scenario(r)
	if err != nil {
		return err
	}
	l := lang(r)
	q := r.URL.Query()
	p := h.playFrom(s, q)
	sc, _ := s.Screen(p.At)
	page := playPage{S: s, Play: p, Hidden: h.svc.seal(s.ID, p.Values(), playFields), Screen: sc, Title: sc.Title.In(l), Say: sc.Say.In(l)}
	for _, t := range sc.Show {
		page.Show = append(page.Show, t.In(l))
	}
	t, inTask := s.task(p.Task)
	var want Step
	if inTask {
		page.TaskTitle, page.StepNo, page.Steps = t.Title.In(l), p.Step+1, len(t.Steps)
		want = t.Steps[p.Step]
		if p.Mode == Guided {
			page.Instruction = want.Say.In(l)
		}
	}
	for _, b := range sc.Buttons {
		page.Buttons = append(page.Buttons, buttonView{ID: b.ID, Label: b.Label.In(l),
			Next: inTask && p.Mode == Guided && want.Screen == p.At && want.Button == b.ID})
	}
	if hint := q.Get("hint"); hint != "" {
		if b, ok := sc.Button(hint); ok && b.Hint != (Text{}) {
			page.Hint = b.Hint.In(l)
		} else if inTask {
			page.Hint = want.Say.In(l)
		}
	}
	if p.Back != "" {
		back := p
		back.At, back.Back = p.Back, ""
		if inTask {
			back.Step = s.resume(t, back.At, max(0, p.Step-1))
		}
		page.BackURL = h.playURL(s, back)
	}
	page.Speech = speech{Lang: l, Lines: append([]string{page.Say}, page.Show...)}
	for _, line := range []string{page.Hint, page.Instruction} {
		if line != "" {
			page.Speech.Lines = append(page.Speech.Lines, line)
		}
	}
	page.WordsURL = "/practice/words?" + url.Values{"back": {h.playURL(s, p)}}.Encode()
	page.RestartURL = h.playURL(s, Play{Mode: p.Mode, Task: p.Task, At: s.Start, Mistakes: p.Mistakes, Started: p.Started})
	return h.views.Render(w, r, http.StatusOK, "play", page)
}

// resultFields are what the page after a finished task shows.
var resultFields = []string{"task", "mode", "mistakes", "seconds", "kept", "sets", "completed"}

func (h *Handlers) press(w http.ResponseWriter, r *http.Request) error {
	s, err := h.scenario(r)
	if err != nil {
		return err
	}
	// A form that cannot be read carries no signed play, so it starts the
	// task over like any other edited one.
	_ = r.ParseForm()
	p := h.playFrom(s, r.PostForm)
	out := s.Press(p, r.PostForm.Get("button"))
	if !out.Done {
		to := h.playURL(s, out.Play)
		if out.Hint != nil {
			to += "&hint=" + url.QueryEscape(r.PostForm.Get("button"))
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	now := h.svc.Now()
	a := Attempt{Scenario: s.ID, Task: p.Task, Mode: p.Mode, Mistakes: out.Play.Mistakes,
		Seconds: int(max(0, now.Unix()-p.Started)), Started: time.Unix(p.Started, 0), Finished: now}
	v := url.Values{"task": {a.Task}, "mode": {a.Mode}, "mistakes": {strconv.Itoa(a.Mistakes)}, "seconds": {strconv.Itoa(a.Seconds)}}
	if u := actor.From(r.Context()); u != nil {
		rec, err := h.svc.Record(r.Context(), u.ID, []Attempt{a})
		if err != nil {
			return err
		}
		v.Set("kept", "account")
		var sets []string
		for _, st := range rec.SetsDone {
			sets = append(sets, st.ID)
		}
		v.Set("sets", strings.Join(sets, ","))
		v.Set("completed", strings.Join(rec.Completed, ","))
	} else {
		h.svc.keepOnDevice(w, r, a)
		v.Set("kept", "device")
	}
	http.Redirect(w, r, "/practice/"+s.ID+"/done?"+h.svc.seal(s.ID, v, resultFields).Encode(), http.StatusSeeOther)
	return nil
}

func (h *Handlers) done(w http.ResponseWriter, r *http.Request) error {
	s, err := h.scenario(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	t, ok := s.task(q.Get("task"))
	if !ok || !h.svc.sealed(s.ID, q, resultFields) {
		return errs.New(errs.NotFound, "practice.not_found")
	}
	l := lang(r)
	secs, _ := strconv.Atoi(q.Get("seconds"))
	mistakes, _ := strconv.Atoi(q.Get("mistakes"))
	var sets []string
	for _, st := range h.svc.Sets() {
		if strings.Contains(","+q.Get("sets")+",", ","+st.ID+",") {
			sets = append(sets, st.Title.In(l))
		}
	}
	var completed []string
	for _, code := range strings.Split(q.Get("completed"), ",") {
		if code == "" {
			continue
		}
		title, ok, err := h.svc.courseTitle(r.Context(), code)
		if err != nil {
			return err
		}
		if ok {
			completed = append(completed, title.In(l))
		}
	}
	return h.views.Render(w, r, http.StatusOK, "done", map[string]any{"S": s, "Lang": l, "Task": t.Title.In(l),
		"Minutes": secs / 60, "Seconds": secs % 60, "Mistakes": mistakes, "Mode": q.Get("mode"), "Kept": q.Get("kept"),
		"Sets": sets, "Completed": completed,
		"Again": h.playURL(s, Play{Mode: Challenge, Task: t.ID, At: s.Start})})
}
