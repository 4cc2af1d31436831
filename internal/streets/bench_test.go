package streets

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
)

// The benchmarks run on synthetic Busan (SynthOptions' defaults): 200,000
// nodes, of which about 196,000 are street crossings 83 m apart.

var city = sync.OnceValues(func() ([]byte, *Graph) {
	var buf bytes.Buffer
	if _, err := Synthesize(&buf, SynthOptions{Seed: 1}); err != nil {
		panic(err)
	}
	g, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		panic(err)
	}
	return buf.Bytes(), g
})

// randomPoints are n points in Busan's box, the same for every run.
func randomPoints(seed uint64, n int) []Point {
	rng := rand.New(rand.NewPCG(seed, 0))
	out := make([]Point, n)
	for i := range out {
		out[i] = Point{128.85 + rng.Float64()*0.45, 35.00 + rng.Float64()*0.30}
	}
	return out
}

func BenchmarkLoad(b *testing.B) {
	for _, nodes := range []int{200_000, 1_000_000} {
		b.Run("nodes="+strconv.Itoa(nodes), func(b *testing.B) {
			var buf bytes.Buffer
			if _, err := Synthesize(&buf, SynthOptions{Seed: 1, Nodes: nodes}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			var g *Graph
			for b.Loop() {
				var err error
				if g, err = Load(bytes.NewReader(buf.Bytes())); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(g.bytes())/1e6, "graph-MB")
			b.ReportMetric(float64(g.Stats().Nodes), "graph-nodes")
		})
	}
}

func BenchmarkReach(b *testing.B) {
	_, g := city()
	for _, n := range []int{1, 200} {
		b.Run("sources="+strconv.Itoa(n), func(b *testing.B) {
			sources := randomPoints(2, n)
			var tm *Times
			for b.Loop() {
				tm = g.Reach(sources, 15*60, Profile{})
			}
			reached := 0
			for v := range int32(g.nodes()) {
				if tm.reached(v) {
					reached++
				}
			}
			b.ReportMetric(float64(reached), "nodes-reached")
		})
	}
}

func BenchmarkSnap(b *testing.B) {
	_, g := city()
	pts := randomPoints(3, 1024)
	i := 0
	for b.Loop() {
		g.Snap(pts[i%len(pts)].Lon, pts[i%len(pts)].Lat)
		i++
	}
}

// BenchmarkCoverage is a planner's question in full: for each of 10
// categories of facility, 300 of them across the city, which of 62 zones'
// 100 population points each are within a 15-minute walk. One op is all
// of it.
func BenchmarkCoverage(b *testing.B) {
	_, g := city()
	facilities := make([][]Point, 10)
	for c := range facilities {
		facilities[c] = randomPoints(100+uint64(c), 300)
	}
	people := randomPoints(4, 62*100)
	covered := 0
	for b.Loop() {
		covered = 0
		for _, f := range facilities {
			tm := g.Reach(f, 15*60, Profile{})
			for _, p := range people {
				if _, ok := tm.At(p); ok {
					covered++
				}
			}
		}
	}
	b.ReportMetric(float64(covered)/float64(10*len(people))*100, "%covered")
}

// bytes is the memory the graph holds, for the benchmarks' report.
func (g *Graph) bytes() int {
	return 4*(len(g.lon)+len(g.lat)+len(g.first)+len(g.to)+len(g.metres)+len(g.grid.start)) + 8*len(g.barrier)
}
