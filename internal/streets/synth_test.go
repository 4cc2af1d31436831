package streets

import (
	"bytes"
	"testing"
)

func TestSynthesizeIsDeterministic(t *testing.T) {
	t.Parallel()
	write := func(seed uint64) []byte {
		var buf bytes.Buffer
		if _, err := Synthesize(&buf, SynthOptions{Seed: seed, Nodes: 3000}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if !bytes.Equal(write(1), write(1)) {
		t.Error("the same seed wrote two different files")
	}
	if bytes.Equal(write(1), write(2)) {
		t.Error("two seeds wrote the same file")
	}
}

func TestSynthesizedCityLoads(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	st, err := Synthesize(&buf, SynthOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes != int64(buf.Len()) || st.Nodes != 200_000 {
		t.Fatalf("SynthStats = %+v for %d bytes", st, buf.Len())
	}
	g, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	gs := g.Stats()
	if gs.NodesRead != st.Nodes || gs.WaysRead != st.Ways || gs.Ways != st.Ways-st.Unwalkable || gs.ClippedWays != 0 {
		t.Errorf("read %+v of %+v", gs, st)
	}
	if gs.NotStepFree != st.Steps {
		t.Errorf("%d segments not step-free, want the %d blocks of steps", gs.NotStepFree, st.Steps)
	}
	if gs.Nodes > st.Rows*st.Cols || gs.Nodes < st.Rows*st.Cols*9/10 {
		t.Errorf("%d graph nodes from a %d×%d grid: the points of interest should be dropped, the crossings kept", gs.Nodes, st.Rows, st.Cols)
	}
	for v := range int32(gs.Nodes) {
		if p := g.Node(v); p.Lon < 128.85 || p.Lon > 129.30 || p.Lat < 35.00 || p.Lat > 35.30 {
			t.Fatalf("node %d at %v, outside Busan's box", v, p)
		}
	}
	if st.Gaps == 0 || st.Footways == 0 || st.Steps == 0 || st.Unwalkable == 0 {
		t.Errorf("a city without every kind of block: %+v", st)
	}

	// Fifteen minutes from the centre reach some of the city, not all of it,
	// and the step-free walk reaches no more and some things later.
	centre := []Point{{129.07, 35.15}}
	walk := g.Reach(centre, 900, Profile{})
	wheel := g.Reach(centre, 900, Profile{StepFree: true})
	reached, wheeled, later := 0, 0, 0
	for v := range int32(gs.Nodes) {
		if walk.reached(v) {
			reached++
		}
		if wheel.reached(v) {
			wheeled++
			if !walk.reached(v) {
				t.Fatalf("node %d reached step-free but not walking", v)
			}
			if wheel.node(v) > walk.node(v) {
				later++
			}
		}
	}
	if reached < 100 || reached > gs.Nodes/10 || wheeled > reached || later == 0 {
		t.Errorf("reached %d of %d nodes walking, %d step-free (%d later)", reached, gs.Nodes, wheeled, later)
	}
}

func TestSynthesizeRefusesBadOptions(t *testing.T) {
	t.Parallel()
	for _, o := range []SynthOptions{
		{Nodes: 3},
		{West: 129.3, East: 128.8, South: 35, North: 35.3},
		{West: 129, East: 129.1, South: 35, North: 95},
	} {
		if _, err := Synthesize(&bytes.Buffer{}, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
