package practice

import "time"

// TaskProgress is how far a learner has got with one task.
type TaskProgress struct {
	Scenario *Scenario
	Task     *Task
	Tries    int  // times finished, in either mode
	Guided   bool // finished step by step at least once
	// Best is the best time on their own: fewest wrong presses, then the
	// quickest. Nil until they have finished it on their own.
	Best *Attempt
	Last time.Time
}

// Summarize is the progress on every task of the scenarios, in their
// order, from a learner's attempts.
func Summarize(scenarios []*Scenario, attempts []Attempt) []TaskProgress {
	idx := map[string]int{}
	var out []TaskProgress
	for _, s := range scenarios {
		for i := range s.Tasks {
			idx[s.ID+"/"+s.Tasks[i].ID] = len(out)
			out = append(out, TaskProgress{Scenario: s, Task: &s.Tasks[i]})
		}
	}
	for _, a := range attempts {
		i, ok := idx[a.Scenario+"/"+a.Task]
		if !ok {
			continue // a task since taken out of its scenario
		}
		p := &out[i]
		p.Tries++
		if a.Finished.After(p.Last) {
			p.Last = a.Finished
		}
		switch {
		case a.Mode == Guided:
			p.Guided = true
		case p.Best == nil || a.Mistakes < p.Best.Mistakes || a.Mistakes == p.Best.Mistakes && a.Seconds < p.Best.Seconds:
			best := a
			p.Best = &best
		}
	}
	return out
}

// SetProgress is how many of a set's challenges a learner has done on
// their own.
type SetProgress struct {
	Set      Set
	Done     int
	Finished time.Time // zero until the set was recorded as done
}

// Complete reports whether every challenge of the set is done.
func (p SetProgress) Complete() bool { return p.Done == len(p.Set.Tasks) }

// SetsProgress is the progress on each set from the attempts and the sets
// recorded done (none for a learner without an account).
func SetsProgress(sets []Set, attempts []Attempt, finished map[string]time.Time) []SetProgress {
	done := map[string]bool{}
	for _, a := range attempts {
		if a.Mode == Challenge {
			done[a.Scenario+"/"+a.Task] = true
		}
	}
	out := make([]SetProgress, len(sets))
	for i, st := range sets {
		out[i] = SetProgress{Set: st, Finished: finished[st.ID]}
		for _, t := range st.Tasks {
			if done[t] {
				out[i].Done++
			}
		}
	}
	return out
}
