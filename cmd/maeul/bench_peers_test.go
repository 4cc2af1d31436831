package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/streets"
)

// The export to pgRouting must be the Graph streets.Load builds, or the
// benchmark would time two different walks.
func TestPeersStreetsExportIsTheGraph(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if _, err := streets.Synthesize(&buf, streets.SynthOptions{Seed: 3, Nodes: 6000, West: 129.0, South: 35.1, East: 129.05, North: 35.14}); err != nil {
		t.Fatal(err)
	}
	g, err := streets.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := peersReadStreets(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := ex.check(g); err != nil {
		t.Fatal(err)
	}
	if g.Stats().NotStepFree == 0 || len(ex.edges) < 5000 {
		t.Fatalf("the extract is too plain to tell the rules apart: %+v", g.Stats())
	}

	// A walk over the export's own edges (a plain Dijkstra here) reaches the
	// nodes Reach does, at the same times.
	src := ex.nodes[len(ex.nodes)/2]
	times := g.Reach([]streets.Point{{Lon: src.lon, Lat: src.lat}}, peersWalkSeconds, streets.Profile{MetresPerSecond: peersSpeed})
	ours := ex.reached(times)
	theirs := peersDijkstra(ex, src.id, peersWalkSeconds)
	var a peersReachAgreement
	a.add(ours, theirs)
	if len(ours) < 20 || a.both != len(ours) || a.both != len(theirs) || a.off > 0 {
		t.Fatalf("Reach and the export disagree: %s", a)
	}

	// And the check notices an export that lost a street.
	ex.edges = ex.edges[1:]
	if err := ex.check(g); err == nil || !strings.Contains(err.Error(), "segments") {
		t.Fatalf("check of an export missing a segment: %v", err)
	}
}

// peersDijkstra is the textbook walk over the export, in seconds.
func peersDijkstra(s *peersStreets, from int64, limit float64) map[int64]float64 {
	adj := map[int64][]peersEdge{}
	for _, e := range s.edges {
		adj[e.source] = append(adj[e.source], e)
		adj[e.target] = append(adj[e.target], peersEdge{e.target, e.source, e.metres})
	}
	done := map[int64]float64{}
	open := map[int64]float64{from: 0}
	for len(open) > 0 {
		var v int64
		best := -1.0
		for id, d := range open {
			if best < 0 || d < best || (d == best && id < v) {
				v, best = id, d
			}
		}
		delete(open, v)
		done[v] = best
		for _, e := range adj[v] {
			d := best + float64(e.metres)/peersSpeed
			if _, ok := done[e.target]; ok || d > limit {
				continue
			}
			if old, ok := open[e.target]; !ok || d < old {
				open[e.target] = d
			}
		}
	}
	return done
}

func TestPeersAgree(t *testing.T) {
	t.Parallel()
	from := places.Point{Lon: 129, Lat: 35.1}
	at := map[string]places.Point{
		"a": {Lon: 129.001, Lat: 35.1}, "b": {Lon: 128.999, Lat: 35.1}, // a tie: east and west
		"c": {Lon: 129, Lat: 35.102}, "d": {Lon: 129, Lat: 35.103},
	}
	qs := []peersQuery{{from: from}, {from: from}, {from: from}}
	ours := [][]string{{"a", "c"}, {"a", "c"}, {"a", "c"}}
	theirs := [][]string{{"a", "c"}, {"b", "c"}, {"a", "d"}}
	got := peersAgree(qs, ours, theirs, at)
	if got.sameRefs != 1 || got.sameDistances != 2 || got.oursNearer != 1 || got.theirsNearer != 0 {
		t.Fatalf("agreement %+v, want 1 same, 2 same by distance (the tie), ours nearer once", got)
	}
	if got.worst < 100 || got.worst > 120 {
		t.Fatalf("largest difference %.1f m, want the 111 m between c and d", got.worst)
	}
}

// Without PostGIS the benchmark says what to run and fails.
func TestPeersWithoutPostGIS(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	err := benchGISPeers(context.Background(), []string{"--pg", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}, &out)
	if err == nil || !strings.Contains(err.Error(), "bash tools/install-postgis.sh") {
		t.Fatalf("error %v, want one that names tools/install-postgis.sh", err)
	}
}
