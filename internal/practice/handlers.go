package practice

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves the emulators.
type Handlers struct {
	scenarios []*Scenario
	glossary  []Word
	views     *web.Views
	now       func() time.Time
}

// Register adds the emulators' pages to rt.
func Register(rt *web.Router, scenarios []*Scenario, glossary []Word) {
	h := &Handlers{scenarios: scenarios, glossary: glossary, views: web.MustViews(templateFS), now: time.Now}
	rt.Handle("GET /practice", h.list)
	rt.Handle("GET /practice/words", h.words)
	rt.Handle("GET /practice/{id}", h.intro)
	rt.Handle("GET /practice/{id}/play", h.play)
	rt.Handle("GET /practice/{id}/press", h.press)
	rt.Handle("GET /practice/{id}/done", h.done)
	rt.AddNav(web.NavItem{Key: "nav.practice", Href: "/practice"})
}

func (h *Handlers) scenario(r *http.Request) (*Scenario, error) {
	for _, s := range h.scenarios {
		if s.ID == r.PathValue("id") {
			return s, nil
		}
	}
	return nil, errs.New(errs.NotFound, "practice.not_found")
}

func lang(r *http.Request) string { return web.PrefsFrom(r.Context()).Lang }

func (h *Handlers) words(w http.ResponseWriter, r *http.Request) error {
	back := r.URL.Query().Get("back")
	// Only back to a practice screen: the link is in the address, which
	// anyone can write.
	if !strings.HasPrefix(back, "/practice/") || strings.HasPrefix(back, "//") {
		back = ""
	}
	return h.views.Render(w, r, http.StatusOK, "words", map[string]any{"Words": h.glossary, "Back": back})
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request) error {
	return h.views.Render(w, r, http.StatusOK, "list", map[string]any{"Scenarios": h.scenarios, "Lang": lang(r)})
}

type introTask struct {
	Title          string
	Guided, Trying string // links
}

func (h *Handlers) intro(w http.ResponseWriter, r *http.Request) error {
	s, err := h.scenario(r)
	if err != nil {
		return err
	}
	l := lang(r)
	var tasks []introTask
	for _, t := range s.Tasks {
		start := func(mode string) string {
			return playURL(s, Play{Mode: mode, Task: t.ID, At: s.Start, Started: h.now().Unix()})
		}
		tasks = append(tasks, introTask{Title: t.Title.In(l), Guided: start(Guided), Trying: start(Challenge)})
	}
	return h.views.Render(w, r, http.StatusOK, "intro", map[string]any{"S": s, "Lang": l, "Tasks": tasks,
		"Free": playURL(s, Play{Mode: Free, At: s.Start})})
}

func playURL(s *Scenario, p Play) string { return "/practice/" + s.ID + "/play?" + p.Values().Encode() }

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
	p := PlayFrom(s, r.URL.Query(), h.now())
	sc, _ := s.Screen(p.At)
	page := playPage{S: s, Play: p, Hidden: p.Values(), Screen: sc, Title: sc.Title.In(l), Say: sc.Say.In(l)}
	for _, t := range sc.Show {
		page.Show = append(page.Show, t.In(l))
	}
	if t, ok := s.task(p.Task); ok {
		page.TaskTitle, page.StepNo, page.Steps = t.Title.In(l), p.Step+1, len(t.Steps)
		want := t.Steps[p.Step]
		if p.Mode == Guided {
			page.Instruction = want.Say.In(l)
		}
		for _, b := range sc.Buttons {
			page.Buttons = append(page.Buttons, buttonView{ID: b.ID, Label: b.Label.In(l), Next: p.Mode == Guided && want.Screen == p.At && want.Button == b.ID})
		}
	} else {
		for _, b := range sc.Buttons {
			page.Buttons = append(page.Buttons, buttonView{ID: b.ID, Label: b.Label.In(l)})
		}
	}
	if hint := r.URL.Query().Get("hint"); hint != "" {
		if b, ok := sc.Button(hint); ok && b.Hint != (Text{}) {
			page.Hint = b.Hint.In(l)
		} else if t, ok := s.task(p.Task); ok {
			page.Hint = t.Steps[p.Step].Say.In(l)
		}
	}
	if p.Back != "" {
		back := p
		back.At, back.Back = p.Back, ""
		if t, ok := s.task(p.Task); ok {
			back.Step = s.resume(t, back.At, max(0, p.Step-1))
		}
		page.BackURL = playURL(s, back)
	}
	page.Speech = speech{Lang: l, Lines: append([]string{page.Say}, page.Show...)}
	for _, line := range []string{page.Hint, page.Instruction} {
		if line != "" {
			page.Speech.Lines = append(page.Speech.Lines, line)
		}
	}
	page.WordsURL = "/practice/words?" + url.Values{"back": {playURL(s, p)}}.Encode()
	restart := Play{Mode: p.Mode, Task: p.Task, At: s.Start, Mistakes: p.Mistakes, Started: p.Started}
	page.RestartURL = playURL(s, restart)
	return h.views.Render(w, r, http.StatusOK, "play", page)
}

func (h *Handlers) press(w http.ResponseWriter, r *http.Request) error {
	s, err := h.scenario(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := PlayFrom(s, q, h.now())
	out := s.Press(p, q.Get("button"))
	if out.Done {
		v := url.Values{"task": {p.Task}, "mode": {p.Mode}, "mistakes": {strconv.Itoa(out.Play.Mistakes)},
			"seconds": {strconv.FormatInt(h.now().Unix()-p.Started, 10)}}
		http.Redirect(w, r, "/practice/"+s.ID+"/done?"+v.Encode(), http.StatusSeeOther)
		return nil
	}
	to := playURL(s, out.Play)
	if out.Hint != nil {
		to += "&hint=" + url.QueryEscape(q.Get("button"))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (h *Handlers) done(w http.ResponseWriter, r *http.Request) error {
	s, err := h.scenario(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	t, ok := s.task(q.Get("task"))
	if !ok {
		return errs.New(errs.NotFound, "practice.not_found")
	}
	secs, _ := strconv.Atoi(q.Get("seconds"))
	mistakes, _ := strconv.Atoi(q.Get("mistakes"))
	return h.views.Render(w, r, http.StatusOK, "done", map[string]any{"S": s, "Lang": lang(r), "Task": t.Title.In(lang(r)),
		"Minutes": max(0, secs) / 60, "Seconds": max(0, secs) % 60, "Mistakes": max(0, mistakes), "Mode": q.Get("mode"),
		"Again": playURL(s, Play{Mode: Challenge, Task: t.ID, At: s.Start, Started: h.now().Unix()})})
}
