package streets

import "math"

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
	g      *Graph
	metres []float32 // to each node; +Inf beyond the limit
	limit  float64   // metres
	speed  float64
}

// Reach walks the graph from every source at once, as far as limitSeconds
// allows: multi-source Dijkstra, stopped at the limit. A source is put on the
// graph at its nearest node, and the walk there counts; a source farther
// than SnapLimit from every node is left out.
func (g *Graph) Reach(sources []Point, limitSeconds float64, p Profile) *Times {
	t := &Times{g: g, metres: make([]float32, g.nodes()), speed: p.speed()}
	t.limit = limitSeconds * t.speed
	inf := float32(math.Inf(1))
	for i := range t.metres {
		t.metres[i] = inf
	}
	w, _ := g.work.Get().(*workspace)
	if w == nil {
		w = &workspace{}
	}
	q := w.queue[:0]
	for _, s := range sources {
		v, m, ok := g.Snap(s.Lon, s.Lat)
		if ok && m <= t.limit && float32(m) < t.metres[v] {
			t.metres[v] = float32(m)
			q.push(entry{float32(m), v})
		}
	}
	limit := float32(t.limit)
	for len(q) > 0 {
		e := q.pop()
		if e.metres > t.metres[e.node] {
			continue // superseded
		}
		for a := g.first[e.node]; a < g.first[e.node+1]; a++ {
			if p.StepFree && g.notStepFree(a) {
				continue
			}
			d := e.metres + g.metres[a]
			if u := g.to[a]; d <= limit && d < t.metres[u] {
				t.metres[u] = d
				q.push(entry{d, u})
			}
		}
	}
	w.queue = q
	g.work.Put(w)
	return t
}

// At is the walking time in seconds to a point from the nearest source: to
// the graph node nearest the point, then on to the point. ok is false if the
// point is beyond the limit or farther than SnapLimit from the graph.
func (t *Times) At(pt Point) (seconds float64, ok bool) {
	v, m, ok := t.g.Snap(pt.Lon, pt.Lat)
	if !ok {
		return 0, false
	}
	d := float64(t.metres[v]) + m
	if math.IsInf(d, 1) || !(d <= t.limit) {
		return 0, false
	}
	return d / t.speed, true
}
