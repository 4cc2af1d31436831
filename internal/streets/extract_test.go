package streets

import (
	"bytes"
	"compress/zlib"
	"math"
	"testing"
)

// The tests build their extracts by hand: nodes on a small grid of 0.001°
// steps near Busan, and ways through them with the tags under test.

type tnode struct {
	id       int64
	lon, lat float64
}

type tway struct {
	id   int64
	refs []int64
	tags []string
}

func pbf(t testing.TB, nodes []tnode, ways []tway) []byte {
	t.Helper()
	var buf bytes.Buffer
	p := newPBFWriter(&buf)
	p.header(129, 35, 129.1, 35.1)
	for _, n := range nodes {
		p.node(n.id, n.lon, n.lat)
	}
	for _, w := range ways {
		p.way(w.id, w.refs, w.tags...)
	}
	if err := p.close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func load(t testing.TB, nodes []tnode, ways []tway) *Graph {
	t.Helper()
	g, err := loadBytes(pbf(t, nodes, ways))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func loadBytes(b []byte) (*Graph, error) { return Load(bytes.NewReader(b)) }

// at is the point x steps east and y steps north of 129.0, 35.0, a step
// being 0.001°.
func at(x, y float64) Point { return Point{Lon: 129 + x/1000, Lat: 35 + y/1000} }

func n(id int64, x, y float64) tnode {
	p := at(x, y)
	return tnode{id, p.Lon, p.Lat}
}

// northStep is the length of 0.001° along a meridian: an arc of the sphere
// of the mean radius, 6371008.8 m.
var northStep = 6371008.8 * 0.001 * math.Pi / 180

// eastStep is the great-circle length of 0.001° along the parallel at lat
// (which is shorter than the arc of the parallel itself).
func eastStep(lat float64) float64 {
	phi := lat * math.Pi / 180
	half := 0.001 * math.Pi / 180 / 2
	return 2 * 6371008.8 * math.Asin(math.Cos(phi)*math.Sin(half))
}

func near(got, want float64) bool { return math.Abs(got-want) < 1e-3*math.Max(1, math.Abs(want)) }

func wantTime(t *testing.T, tm *Times, p Point, want float64) {
	t.Helper()
	got, ok := tm.At(p)
	if !ok {
		t.Fatalf("At(%v) is unreached, want %.3f s", p, want)
	}
	if !near(got, want) {
		t.Fatalf("At(%v) = %.4f s, want %.4f s", p, got, want)
	}
}

func wantUnreached(t *testing.T, tm *Times, p Point) {
	t.Helper()
	if got, ok := tm.At(p); ok {
		t.Fatalf("At(%v) = %.3f s, want unreached", p, got)
	}
}

func zlibbed(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}
