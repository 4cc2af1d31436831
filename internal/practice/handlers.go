package practice

import (
	"embed"
	"net/http"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves the emulators.
type Handlers struct {
	svc      *Service
	glossary []Word
	views    *web.Views
}

// Register adds the emulators' pages to rt.
func Register(rt *web.Router, svc *Service, glossary []Word) {
	h := &Handlers{svc: svc, glossary: glossary, views: web.MustViews(templateFS)}
	rt.Handle("GET /practice", h.list)
	rt.Handle("GET /practice/words", h.words)
	rt.Handle("GET /practice/progress", h.progress)
	rt.Handle("POST /practice/progress/keep", h.keep)
	rt.Handle("POST /practice/progress/forget", h.forget)
	rt.Handle("GET /staff/practice", h.classes)
	rt.Handle("GET /staff/practice/{class}", h.class)
	rt.Handle("GET /practice/{id}", h.intro)
	rt.Handle("GET /practice/{id}/play", h.play)
	rt.Handle("POST /practice/{id}/press", h.press)
	rt.Handle("GET /practice/{id}/done", h.done)
	rt.AddNav(
		web.NavItem{Key: "nav.practice", Href: "/practice", Group: web.GroupPractice},
		web.NavItem{Key: "practice.progress_title", Href: "/practice/progress", Group: web.GroupPractice},
		web.NavItem{Key: "practice.words_title", Href: "/practice/words", Group: web.GroupPractice},
		web.NavItem{Key: "nav.staff_practice", Href: "/staff/practice", Group: web.GroupWorkLearn, Roles: tutorRoles},
	)
}

func (h *Handlers) scenario(r *http.Request) (*Scenario, error) {
	if s, ok := h.svc.Scenario(r.PathValue("id")); ok {
		return s, nil
	}
	return nil, errs.New(errs.NotFound, "practice.not_found")
}

func lang(r *http.Request) string { return web.PrefsFrom(r.Context()).Lang }

func (h *Handlers) words(w http.ResponseWriter, r *http.Request) error {
	back := r.URL.Query().Get("back")
	// Only back to a practice screen: the link is in the address, which
	// anyone can write.
	if back = web.SafeNext(back); !strings.HasPrefix(back, "/practice/") {
		back = ""
	}
	return h.views.Render(w, r, http.StatusOK, "words", map[string]any{"Words": h.glossary, "Back": back})
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request) error {
	a := actor.From(r.Context())
	return h.views.Render(w, r, http.StatusOK, "list", map[string]any{"Scenarios": h.svc.Scenarios(), "Lang": lang(r),
		"Tutor": a.Is(actor.Tutor, actor.CentreAdmin)})
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
			// No start time: the clock starts when the first screen shows,
			// not while the learner reads this page.
			return h.playURL(s, Play{Mode: mode, Task: t.ID, At: s.Start})
		}
		tasks = append(tasks, introTask{Title: t.Title.In(l), Guided: start(Guided), Trying: start(Challenge)})
	}
	return h.views.Render(w, r, http.StatusOK, "intro", map[string]any{"S": s, "Lang": l, "Tasks": tasks,
		"Free": h.playURL(s, Play{Mode: Free, At: s.Start})})
}
