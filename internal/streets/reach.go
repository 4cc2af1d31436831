package streets

import (
	"math"
	"slices"
)

// Walking speeds in metres a second: an adult's, and a slower one for
// seniors and anyone who walks with difficulty.
const (
	DefaultSpeed = 1.2
	SeniorSpeed  = 0.8
)

// Profile is how a person walks. The zero Profile walks at DefaultSpeed and
// takes steps.
type Profile struct {
	MetresPerSecond float64
	StepFree        bool // avoid steps and ways tagged wheelchair=no
}

func (p Profile) speed() float64 {
	if p.MetresPerSecond > 0 && !math.IsInf(p.MetresPerSecond, 0) {
		return p.MetresPerSecond
	}
	return DefaultSpeed
}

// Times are the walking times from the nearest of some sources, as Reach
// found them. They are never changed, so any number of goroutines may read
// them at once.
type Times struct {
	g     *Graph
	limit float64 // metres
	speed float64
	// A wide reach is kept by node, a small one as its nodes in order with
	// their distances, so that a walk round one home costs no city-sized array.
	dense  []float32 // +Inf where unreached
	nodes  []int32
	metres []float32
}

// Reach walks the graph from every source at once, as far as limitSeconds
// allows: multi-source Dijkstra, stopped at the limit. A source is put on the
// graph at its nearest node, and the walk there counts; a source farther
// than SnapLimit from every node is left out.
func (g *Graph) Reach(sources []Point, limitSeconds float64, p Profile) *Times {
	t := &Times{g: g, speed: p.speed()}
	t.limit = limitSeconds * t.speed
	w := g.workspace()
	slots, run := w.slots, w.run
	reach := func(v int32, d float32) {
		s := &slots[v]
		if s.run != run {
			s.run = run
			w.touched = append(w.touched, v)
		} else if s.metres <= d {
			return
		}
		s.metres = d
		w.queue.push(entry{d, v})
	}
	for _, s := range sources {
		if v, m, ok := g.Snap(s.Lon, s.Lat); ok && m <= t.limit {
			reach(v, float32(m))
		}
	}
	limit := float32(t.limit)
	first, to, metres := g.first, g.to, g.metres
	for len(w.queue) > 0 {
		e := w.queue.pop()
		if e.metres > slots[e.node].metres {
			continue // superseded
		}
		for a := first[e.node]; a < first[e.node+1]; a++ {
			if p.StepFree && g.notStepFree(a) {
				continue
			}
			if d := e.metres + metres[a]; d <= limit {
				reach(to[a], d)
			}
		}
	}
	t.keep(w)
	g.work.Put(w)
	return t
}

// keep copies the run's distances out of the workspace.
func (t *Times) keep(w *workspace) {
	n := len(w.slots)
	if len(w.touched) > n/32 {
		t.dense = make([]float32, n)
		inf := float32(math.Inf(1))
		for i := range t.dense {
			t.dense[i] = inf
		}
		for _, v := range w.touched {
			t.dense[v] = w.slots[v].metres
		}
		return
	}
	t.nodes = slices.Clone(w.touched)
	slices.Sort(t.nodes)
	t.metres = make([]float32, len(t.nodes))
	for i, v := range t.nodes {
		t.metres[i] = w.slots[v].metres
	}
}

// node is the distance to graph node v, +Inf if it was not reached.
func (t *Times) node(v int32) float64 {
	if t.dense != nil {
		return float64(t.dense[v])
	}
	if i, ok := slices.BinarySearch(t.nodes, v); ok {
		return float64(t.metres[i])
	}
	return math.Inf(1)
}

// At is the walking time in seconds to a point from the nearest source: to
// the graph node nearest the point, then on to the point. ok is false if the
// point is beyond the limit or farther than SnapLimit from the graph.
func (t *Times) At(pt Point) (seconds float64, ok bool) {
	v, m, ok := t.g.Snap(pt.Lon, pt.Lat)
	if !ok {
		return 0, false
	}
	d := t.node(v) + m
	if math.IsInf(d, 1) || !(d <= t.limit) {
		return 0, false
	}
	return d / t.speed, true
}
