package streets

import (
	"bytes"
	"testing"
)

// tinyExtract has a bit of everything Load reads: tagged and untagged
// nodes, steps, a footway, a way clipped at the boundary, an unwalkable way.
func tinyExtract(t testing.TB, raw bool) []byte {
	var buf bytes.Buffer
	p := newPBFWriter(&buf)
	p.raw = raw
	p.header(129, 35, 129.01, 35.01)
	p.node(1, 129.000, 35.000)
	p.node(2, 129.000, 35.001)
	p.node(3, 129.001, 35.001, "amenity", "library")
	p.node(4, 129.001, 35.000)
	p.way(10, []int64{1, 2, 3}, "highway", "residential")
	p.way(11, []int64{3, 4}, "highway", "steps")
	p.way(12, []int64{4, 1, 9}, "highway", "footway")
	p.way(13, []int64{2, 4}, "highway", "motorway")
	if err := p.close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzLoad(f *testing.F) {
	f.Add(tinyExtract(f, true))
	f.Add(tinyExtract(f, false))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		st := g.Stats()
		if st.Nodes != g.nodes() || 2*st.Segments != len(g.to) || st.Nodes == 0 {
			t.Fatalf("Stats %+v for %d nodes and %d arcs", st, g.nodes(), len(g.to))
		}
		tm := g.Reach([]Point{g.Node(0)}, 600, Profile{StepFree: true})
		if s, ok := tm.At(g.Node(0)); !ok || s != 0 {
			t.Fatalf("At the source: %v, %v", s, ok)
		}
	})
}
