package streets

import (
	"math"
	"testing"
)

// gcEast is the great-circle length of dLon degrees along the parallel at lat.
func gcEast(lat, dLon float64) float64 {
	return 2 * 6371008.8 * math.Asin(math.Cos(lat*math.Pi/180)*math.Sin(dLon*math.Pi/180/2))
}

// A north-south street A–B–C–D and a detour A–E–F–D two steps east of it.
func ladder(t *testing.T) *Graph {
	return load(t, []tnode{n(1, 0, 0), n(2, 0, 1), n(3, 0, 2), n(4, 0, 3), n(5, 2, 0), n(6, 2, 3)},
		[]tway{
			{1, []int64{1, 2, 3, 4}, []string{"highway", "residential"}},
			{2, []int64{1, 5, 6, 4}, []string{"highway", "footway"}},
		})
}

func TestReachTimesAreTheShortestWalks(t *testing.T) {
	t.Parallel()
	g := ladder(t)
	for _, speed := range []float64{DefaultSpeed, SeniorSpeed} {
		tm := g.Reach([]Point{at(0, 0)}, 3600, Profile{MetresPerSecond: speed})
		wantTime(t, tm, at(0, 0), 0)
		wantTime(t, tm, at(0, 3), 3*northStep/speed)
		// F: up the street and east along the top, or east and up the detour.
		viaTop := 3*northStep + gcEast(35.003, 0.002)
		viaDetour := gcEast(35, 0.002) + 3*northStep
		wantTime(t, tm, at(2, 3), math.Min(viaTop, viaDetour)/speed)
		wantTime(t, tm, at(2, 0), gcEast(35, 0.002)/speed)
		// A point off the street walks on from its nearest node, D.
		wantTime(t, tm, at(0, 3.2), 3.2*northStep/speed)
	}
	// A source off the street walks to it first.
	tm := g.Reach([]Point{at(-0.1, 0)}, 3600, Profile{})
	wantTime(t, tm, at(0, 3), (gcEast(35, 0.0001)+3*northStep)/DefaultSpeed)
}

func TestZeroProfileWalksAtTheDefaultSpeed(t *testing.T) {
	t.Parallel()
	g := ladder(t)
	for _, p := range []Profile{{}, {MetresPerSecond: -1}, {MetresPerSecond: math.NaN()}} {
		wantTime(t, g.Reach([]Point{at(0, 0)}, 3600, p), at(0, 3), 3*northStep/DefaultSpeed)
	}
}

func TestStepFreeProfileGoesRoundSteps(t *testing.T) {
	t.Parallel()
	g := load(t,
		[]tnode{n(1, 0, 0), n(2, 0, 1), n(3, 1, 0), n(4, 1, 1),
			n(10, 5, 0), n(11, 5, 1), n(20, 9, 0), n(21, 9, 1), n(30, 13, 0), n(31, 13, 1)},
		[]tway{
			{1, []int64{1, 2}, []string{"highway", "steps"}},
			{2, []int64{1, 3, 4, 2}, []string{"highway", "footway"}},
			// Steps with nothing beside them.
			{3, []int64{10, 11}, []string{"highway", "steps"}},
			// A footway a wheelchair cannot use, and steps with a ramp.
			{4, []int64{20, 21}, []string{"highway", "footway", "wheelchair", "no"}},
			{5, []int64{30, 31}, []string{"highway", "steps", "wheelchair", "yes"}},
		})
	sources := []Point{at(0, 0), at(5, 0), at(9, 0), at(13, 0)}
	walker := g.Reach(sources, 3600, Profile{})
	wheels := g.Reach(sources, 3600, Profile{StepFree: true})

	wantTime(t, walker, at(0, 1), northStep/DefaultSpeed)
	detour := gcEast(35, 0.001) + northStep + gcEast(35.001, 0.001)
	wantTime(t, wheels, at(0, 1), detour/DefaultSpeed)

	wantTime(t, walker, at(5, 1), northStep/DefaultSpeed)
	wantUnreached(t, wheels, at(5, 1))
	wantTime(t, walker, at(9, 1), northStep/DefaultSpeed)
	wantUnreached(t, wheels, at(9, 1))
	wantTime(t, wheels, at(13, 1), northStep/DefaultSpeed)

	if st := g.Stats(); st.NotStepFree != 3 {
		t.Errorf("NotStepFree = %d, want 3 (two flights of steps and the wheelchair=no footway)", st.NotStepFree)
	}
}

// From a street at A–B, ways of each kind lead north to a far street X–Y
// of their own: 1.1 km apart, farther than anything snaps.
func TestExcludedWaysAreNotWalked(t *testing.T) {
	t.Parallel()
	cases := []struct {
		tags []string
		walk bool
	}{
		{[]string{"highway", "motorway"}, false},
		{[]string{"highway", "trunk"}, false},
		{[]string{"highway", "residential", "foot", "no"}, false},
		{[]string{"highway", "service", "access", "private"}, false},
		{[]string{"highway", "footway", "access", "no"}, false},
		{[]string{"highway", "cycleway"}, false},
		{[]string{"highway", "construction"}, false},
		{[]string{"highway", "primary", "foot", "use_sidepath"}, false},
		{[]string{"building", "yes"}, false},
		{[]string{"highway", "motorway", "foot", "yes"}, true},
		{[]string{"highway", "service", "access", "private", "foot", "yes"}, true},
		{[]string{"highway", "cycleway", "foot", "designated"}, true},
		{[]string{"highway", "path", "access", "permissive"}, true},
		{[]string{"highway", "primary_link"}, true},
		{[]string{"highway", "corridor"}, true},
	}
	nodes := []tnode{n(1, 0, 0), n(2, 0, 1)}
	ways := []tway{{1, []int64{1, 2}, []string{"highway", "residential"}}}
	for i, c := range cases {
		x, y := int64(100+2*i), int64(101+2*i)
		north := float64(10 * (i + 1))
		nodes = append(nodes, n(x, 0, north), n(y, 0.5, north))
		ways = append(ways,
			tway{int64(10 + 2*i), []int64{2, x}, c.tags},
			tway{int64(11 + 2*i), []int64{x, y}, []string{"highway", "residential"}})
	}
	g := load(t, nodes, ways)
	tm := g.Reach([]Point{at(0, 0)}, math.Inf(1), Profile{})
	for i, c := range cases {
		north := float64(10 * (i + 1))
		if !c.walk {
			if s, ok := tm.At(at(0.5, north)); ok {
				t.Errorf("%v: reached in %.0f s, want unreached", c.tags, s)
			}
			continue
		}
		want := (north*northStep + gcEast(35+north/1000, 0.0005)) / DefaultSpeed
		if s, ok := tm.At(at(0.5, north)); !ok || !near(s, want) {
			t.Errorf("%v: At = %.3f, %v; want %.3f s", c.tags, s, ok, want)
		}
	}
	walkable := 0
	for _, c := range cases {
		if c.walk {
			walkable++
		}
	}
	if st := g.Stats(); st.Ways != 1+len(cases)+walkable || st.WaysRead != 1+2*len(cases) {
		t.Errorf("Stats: %d of %d ways walkable, want %d of %d", st.Ways, st.WaysRead, 1+len(cases)+walkable, 1+2*len(cases))
	}
}

// A street of 21 nodes one step apart along a meridian.
func meridian(t *testing.T) *Graph {
	var nodes []tnode
	var refs []int64
	for i := range 21 {
		nodes = append(nodes, n(int64(i+1), 0, float64(i)))
		refs = append(refs, int64(i+1))
	}
	return load(t, nodes, []tway{{7, refs, []string{"highway", "residential"}}})
}

func TestReachStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	g := meridian(t)
	limit := 10.5 * northStep / DefaultSpeed
	tm := g.Reach([]Point{at(0, 0)}, limit, Profile{})
	for i := range 21 {
		s, ok := tm.At(at(0, float64(i)))
		if ok != (i <= 10) {
			t.Fatalf("node %d: reached %v, want %v", i, ok, i <= 10)
		}
		if ok && !near(s, float64(i)*northStep/DefaultSpeed) {
			t.Fatalf("node %d: %.3f s", i, s)
		}
	}
	// Off the street the walk from node 10 counts too.
	wantTime(t, tm, at(0, 10.45), 10.45*northStep/DefaultSpeed)
	wantUnreached(t, tm, at(0.7, 10))  // 0.7 of a step east (64 m) is more than half a step north (56 m)
	wantUnreached(t, tm, at(0, 10.55)) // snaps to node 11, which is beyond
	if got := g.Reach([]Point{at(0, 0)}, 0, Profile{}); !got.reached(0) || got.reached(1) {
		t.Errorf("a zero limit should reach the source's node only")
	}
}

func (t *Times) reached(v int32) bool {
	d := t.node(v)
	return !math.IsInf(d, 1) && d <= t.limit
}

func TestReachTakesTheNearerSource(t *testing.T) {
	t.Parallel()
	g := meridian(t)
	tm := g.Reach([]Point{at(0, 2), at(0, 15)}, 3600, Profile{})
	for i := range 21 {
		steps := math.Min(math.Abs(float64(i-2)), math.Abs(float64(i-15)))
		wantTime(t, tm, at(0, float64(i)), steps*northStep/DefaultSpeed)
	}
	// A source that snaps nowhere is left out, and the others still count.
	tm = g.Reach([]Point{{Lon: 0, Lat: 0}, at(0, 20)}, 3600, Profile{})
	wantTime(t, tm, at(0, 0), 20*northStep/DefaultSpeed)
}

func TestSnap(t *testing.T) {
	t.Parallel()
	g := meridian(t)
	v, m, ok := g.Snap(at(0, 7).Lon, at(0, 7).Lat)
	if !ok || m != 0 || g.Node(v) != at(0, 7) {
		t.Fatalf("Snap on node 7 = %d (%v), %.3f m, %v", v, g.Node(v), m, ok)
	}
	// 400 m north of the last node, then 600 m.
	top := 20.0
	if _, m, ok := g.Snap(at(0, top+400/northStep).Lon, at(0, top+400/northStep).Lat); !ok || !near(m, 400) {
		t.Errorf("400 m away: %.3f m, %v", m, ok)
	}
	for _, p := range []Point{at(0, top+600/northStep), at(600/eastStep(35.01), 10), {Lon: 0, Lat: 0}, {Lon: math.NaN(), Lat: 35}, {Lon: 129, Lat: 91}} {
		if _, m, ok := g.Snap(p.Lon, p.Lat); ok {
			t.Errorf("Snap(%v) = %.0f m away, want not ok beyond %v m", p, m, SnapLimit)
		}
	}
	// Between two nodes the nearer is taken.
	if v, _, _ := g.Snap(at(0.1, 4.4).Lon, at(0.1, 4.4).Lat); g.Node(v) != at(0, 4) {
		t.Errorf("Snap between nodes 4 and 5, nearer 4, gave %v", g.Node(v))
	}
}
