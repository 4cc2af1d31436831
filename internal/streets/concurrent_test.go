package streets

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"
)

func TestConcurrentReachGivesTheSameTimes(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	o := SynthOptions{Seed: 3, Nodes: 20_000, West: 129.0, South: 35.1, East: 129.05, North: 35.14}
	if _, err := Synthesize(&buf, o); err != nil {
		t.Fatal(err)
	}
	g, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	random := func() Point {
		return Point{o.West + rng.Float64()*(o.East-o.West), o.South + rng.Float64()*(o.North-o.South)}
	}
	type run struct {
		sources []Point
		p       Profile
	}
	var runs []run
	for i := range 12 {
		var s []Point
		for range 1 + i*3 {
			s = append(s, random())
		}
		runs = append(runs, run{s, Profile{MetresPerSecond: 0.8 + 0.1*float64(i%4), StepFree: i%2 == 1}})
	}
	points := make([]Point, 300)
	for i := range points {
		points[i] = random()
	}
	answer := func(r run) []float64 {
		tm := g.Reach(r.sources, 600, r.p)
		out := make([]float64, len(points))
		for i, p := range points {
			if s, ok := tm.At(p); ok {
				out[i] = s
			} else {
				out[i] = -1
			}
		}
		return out
	}
	want := make([][]float64, len(runs))
	reached := 0
	for i, r := range runs {
		want[i] = answer(r)
		for _, s := range want[i] {
			if s >= 0 {
				reached++
			}
		}
	}
	if reached == 0 || reached == len(runs)*len(points) {
		t.Fatalf("%d of %d points reached: the test shows nothing", reached, len(runs)*len(points))
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for k := range runs {
				i := (k + w) % len(runs)
				got := answer(runs[i])
				for j := range got {
					if got[j] != want[i][j] {
						t.Errorf("worker %d, run %d, point %d: %v, alone %v", w, i, j, got[j], want[i][j])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
