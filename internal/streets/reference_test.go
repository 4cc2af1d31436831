package streets

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Reach against Dijkstra in its O(n²) textbook form, on a matrix built from
// the test's own nodes and ways, over random small graphs: parallel ways,
// ways through a node twice, steps, unwalkable ways, off-graph sources.
func TestReachMatchesAReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	kinds := [][]string{
		{"highway", "residential"}, {"highway", "footway"}, {"highway", "steps"},
		{"highway", "motorway"}, {"highway", "path", "wheelchair", "no"},
	}
	compared, reached := 0, 0
	for trial := range 40 {
		size := 30 + rng.IntN(50)
		var nodes []tnode
		pos := map[Point]bool{}
		for len(nodes) < size {
			// 0.00001° steps: exact in the file's 100-nanodegree units.
			p := at(float64(rng.IntN(2000))/100, float64(rng.IntN(2000))/100)
			if !pos[p] {
				pos[p] = true
				nodes = append(nodes, tnode{int64(len(nodes) + 1), p.Lon, p.Lat})
			}
		}
		var ways []tway
		for w := range size * 3 / 2 {
			refs := make([]int64, 2+rng.IntN(3))
			for i := range refs {
				refs[i] = int64(1 + rng.IntN(size))
			}
			ways = append(ways, tway{int64(w + 1), refs, kinds[rng.IntN(len(kinds))]})
		}
		g, err := loadBytes(pbf(t, nodes, ways))
		if err != nil {
			continue // no walkable way came out of the dice
		}

		inf := math.Inf(1)
		dist := func(a, b int) float64 {
			return haversine(deg(e7(nodes[a].lon)), deg(e7(nodes[a].lat)), deg(e7(nodes[b].lon)), deg(e7(nodes[b].lat)))
		}
		matrix := func(stepFree bool) [][]float64 {
			m := make([][]float64, size)
			for i := range m {
				m[i] = make([]float64, size)
				for j := range m[i] {
					m[i][j] = inf
				}
			}
			for _, w := range ways {
				kind := w.tags[1]
				if kind == "motorway" || stepFree && (kind == "steps" || kind == "path") {
					continue
				}
				for i := 1; i < len(w.refs); i++ {
					a, b := int(w.refs[i-1]-1), int(w.refs[i]-1)
					if a != b {
						m[a][b] = math.Min(m[a][b], dist(a, b))
						m[b][a] = m[a][b]
					}
				}
			}
			return m
		}
		inGraph := make([]bool, size)
		for i, row := range matrix(false) {
			for _, d := range row {
				inGraph[i] = inGraph[i] || d < inf
			}
		}

		for _, stepFree := range []bool{false, true} {
			m := matrix(stepFree)
			speed := 0.8 + rng.Float64()
			limit := 200 + 2000*rng.Float64()
			// Sources: graph nodes and a point anywhere, which walks to its nearest node.
			var sources []Point
			d := make([]float64, size)
			for i := range d {
				d[i] = inf
			}
			for range 1 + rng.IntN(3) {
				i := rng.IntN(size)
				sources = append(sources, Point{nodes[i].lon, nodes[i].lat})
			}
			sources = append(sources, at(rng.Float64()*20, rng.Float64()*20))
			for _, s := range sources {
				best, bestM := -1, inf
				for i := range size {
					if m := haversine(s.Lon, s.Lat, deg(e7(nodes[i].lon)), deg(e7(nodes[i].lat))); inGraph[i] && m < bestM {
						best, bestM = i, m
					}
				}
				if best >= 0 && bestM <= SnapLimit {
					d[best] = math.Min(d[best], bestM)
				}
			}
			done := make([]bool, size)
			for {
				u := -1
				for i := range size {
					if !done[i] && d[i] < inf && (u < 0 || d[i] < d[u]) {
						u = i
					}
				}
				if u < 0 {
					break
				}
				done[u] = true
				for v := range size {
					d[v] = math.Min(d[v], d[u]+m[u][v])
				}
			}

			tm := g.Reach(sources, limit, Profile{MetresPerSecond: speed, StepFree: stepFree})
			other := tm.otherForm()
			for i := range size {
				if !inGraph[i] || math.Abs(d[i]-limit*speed) < 0.01 {
					continue // off the graph, or too close to the limit to tell
				}
				got, ok := tm.At(Point{nodes[i].lon, nodes[i].lat})
				if got2, ok2 := other.At(Point{nodes[i].lon, nodes[i].lat}); got2 != got || ok2 != ok {
					t.Fatalf("trial %d, node %d: At = %v, %v by node, %v, %v as a list", trial, i+1, got, ok, got2, ok2)
				}
				want := d[i] / speed
				compared++
				if ok {
					reached++
				}
				if ok != (d[i] <= limit*speed) || ok && math.Abs(got-want) > 1e-4+1e-6*want {
					t.Fatalf("trial %d, step-free %v, node %d: At = %.5f, %v; the reference says %.5f s within %.1f s",
						trial, stepFree, i+1, got, ok, want, limit)
				}
			}
		}
	}
	t.Logf("%d nodes compared, %d reached", compared, reached)
	if compared < 1000 || reached < compared/10 || reached > compared*9/10 {
		t.Fatalf("%d nodes compared, %d of them reached: too few to show anything", compared, reached)
	}
}

// otherForm is t kept the other way, dense or sparse, so that both are
// tested whichever Reach chose.
func (t *Times) otherForm() *Times {
	o := *t
	if t.dense != nil {
		o.dense = nil
		for v, m := range t.dense {
			if !math.IsInf(float64(m), 1) {
				o.nodes, o.metres = append(o.nodes, int32(v)), append(o.metres, m)
			}
		}
		return &o
	}
	o.dense = make([]float32, t.g.nodes())
	for v := range o.dense {
		o.dense[v] = float32(t.node(int32(v)))
	}
	return &o
}
