package practice

import (
	"net/url"
	"strconv"
	"time"
)

// Modes of practice.
const (
	Guided    = "guided"    // the next control is marked and its instruction shown and read aloud; a wrong press stays put
	Challenge = "challenge" // the machine answers every press as the real one would; mistakes are counted
	Free      = "free"      // no task: press anything
)

// Play is where a learner is in a scenario. It travels in the page's
// links, so a session needs no server state and can never time out.
type Play struct {
	Mode     string
	Task     string
	At       string // the screen shown
	Back     string // the screen before it, for the back button
	Step     int    // the next step of the task
	Mistakes int
	Started  int64 // unix seconds, to say how long the task took; never a countdown
}

// Values encodes the play for a link.
func (p Play) Values() url.Values {
	v := url.Values{"mode": {p.Mode}, "at": {p.At}}
	if p.Task != "" {
		v.Set("task", p.Task)
		v.Set("step", strconv.Itoa(p.Step))
		v.Set("mistakes", strconv.Itoa(p.Mistakes))
		v.Set("started", strconv.FormatInt(p.Started, 10))
	}
	if p.Back != "" {
		v.Set("back", p.Back)
	}
	return v
}

// PlayFrom reads a play from a link, repairing what does not fit the
// scenario (a shared or edited link) by starting over rather than failing.
func PlayFrom(s *Scenario, q url.Values, now time.Time) Play {
	p := Play{Mode: q.Get("mode"), Task: q.Get("task"), At: q.Get("at"), Back: q.Get("back")}
	if p.Mode != Guided && p.Mode != Challenge {
		p.Mode = Free
	}
	if _, ok := s.task(p.Task); !ok || p.Mode == Free {
		p.Task, p.Mode = "", Free
	}
	if _, ok := s.Screen(p.At); !ok {
		p.At = s.Start
	}
	if _, ok := s.Screen(p.Back); !ok {
		p.Back = ""
	}
	p.Step, _ = strconv.Atoi(q.Get("step"))
	p.Mistakes, _ = strconv.Atoi(q.Get("mistakes"))
	p.Started, _ = strconv.ParseInt(q.Get("started"), 10, 64)
	if t, ok := s.task(p.Task); ok && (p.Step < 0 || p.Step >= len(t.Steps)) {
		p.Step = 0
	}
	p.Mistakes = max(0, p.Mistakes)
	if p.Started <= 0 || p.Started > now.Unix() {
		p.Started = now.Unix()
	}
	return p
}

func (s *Scenario) task(id string) (*Task, bool) {
	for i := range s.Tasks {
		if s.Tasks[i].ID == id {
			return &s.Tasks[i], true
		}
	}
	return nil, false
}

// Outcome is what a press did.
type Outcome struct {
	Play Play
	Hint *Text // the gentle word after a press the task does not take
	Done bool  // the task's last step was pressed
}

// Press answers a press of button on the play's screen.
func (s *Scenario) Press(p Play, button string) Outcome {
	sc, _ := s.Screen(p.At)
	b, ok := sc.Button(button)
	if !ok {
		return Outcome{Play: p}
	}
	t, inTask := s.task(p.Task)
	if inTask {
		want := t.Steps[p.Step]
		if want.Screen == p.At && want.Button == button {
			if p.Step == len(t.Steps)-1 {
				p.Back, p.At = p.At, b.Go
				return Outcome{Play: p, Done: true}
			}
			p.Step++
			p.Back, p.At = p.At, b.Go
			return Outcome{Play: p}
		}
		p.Mistakes++
		hint := b.Hint
		if hint == (Text{}) {
			hint = want.Say
		}
		if p.Mode == Guided {
			return Outcome{Play: p, Hint: &hint}
		}
	}
	p.Back, p.At = p.At, b.Go
	if inTask {
		p.Step = s.resume(t, p.At, p.Step)
	}
	return Outcome{Play: p}
}

// resume is the step to go on from when a challenge wanders onto screen:
// the first step from there on, or from the start, that is on it; else
// the step it was at, which the learner gets back to with the back button.
func (s *Scenario) resume(t *Task, screen string, step int) int {
	for i := 0; i < len(t.Steps); i++ {
		j := (step + i) % len(t.Steps)
		if t.Steps[j].Screen == screen {
			return j
		}
	}
	return step
}
