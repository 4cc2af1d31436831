package places

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestIndexMatchesBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 7, 100, 2000} {
		pts := make([]Point, n)
		nodes := make([]indexNode, n)
		for i := range pts {
			pts[i] = Point{Lon: 128.9 + rng.Float64()*0.3, Lat: 35.05 + rng.Float64()*0.2}
			// A few points share a place, so ties must be broken the same way.
			if i > 0 && rng.IntN(10) == 0 {
				pts[i] = pts[i-1]
			}
			x, y := project(pts[i])
			nodes[i] = indexNode{x: x, y: y, id: int32(i)}
		}
		ix := buildIndex(slices.Clone(nodes))
		for range 50 {
			q := Point{Lon: 128.85 + rng.Float64()*0.4, Lat: 35.0 + rng.Float64()*0.3}
			k := 1 + rng.IntN(12)
			even := func(id int32) bool { return id%2 == 0 }
			for _, keep := range []func(int32) bool{nil, even} {
				got := ix.nearest(q, k, keep)
				var want []neighbour
				qx, qy := project(q)
				for _, nd := range nodes {
					if keep == nil || keep(nd.id) {
						dx, dy := nd.x-qx, nd.y-qy
						want = append(want, neighbour{id: nd.id, d2: dx*dx + dy*dy})
					}
				}
				slices.SortFunc(want, func(a, b neighbour) int {
					if less(a, b) {
						return -1
					}
					return 1
				})
				want = want[:min(k, len(want))]
				if len(got) != len(want) {
					t.Fatalf("n=%d k=%d: %d results, want %d", n, k, len(got), len(want))
				}
				for i := range got {
					if got[i].id != want[i].id {
						t.Fatalf("n=%d k=%d: result %d is %d, want %d", n, k, i, got[i].id, want[i].id)
					}
				}
			}
		}
	}
}

func TestWalkingEstimate(t *testing.T) {
	t.Parallel()
	w := DefaultWalking()
	a := Point{Lon: 129.0, Lat: 35.1}
	b := Point{Lon: 129.0, Lat: 35.1 + 1000/111195.0} // 1 km north
	adult, senior := w.Estimate(a, b, PaceAdult), w.Estimate(a, b, PaceSenior)
	if d := adult.Straight; d < 999 || d > 1001 {
		t.Fatalf("straight = %.1f m, want 1000", d)
	}
	// 1,300 m at 1.2 m/s is 1,083 s: 19 minutes rounded up; at 0.8 m/s 1,625 s: 28.
	if adult.Minutes() != 19 || senior.Minutes() != 28 {
		t.Errorf("minutes adult %d senior %d, want 19 and 28", adult.Minutes(), senior.Minutes())
	}
	if w.Estimate(a, a, PaceAdult).Minutes() != 1 {
		t.Error("a walk is at least a minute")
	}
}

// TestNearestMatchesTheSphere checks the ten nearest against a brute force
// over great-circle distances, across the whole city.
func TestNearestMatchesTheSphere(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 9))
	s := &Service{Walking: DefaultWalking()}
	sn := &snapshot{byCategory: map[string]*index{}, byID: map[int64]int32{}}
	var nodes []indexNode
	for i := range 5000 {
		p := Point{Lon: 128.85 + rng.Float64()*0.4, Lat: 35.0 + rng.Float64()*0.3}
		sn.facilities = append(sn.facilities, Facility{ID: int64(i + 1), Category: "park", At: p})
		x, y := project(p)
		nodes = append(nodes, indexNode{x: x, y: y, id: int32(i)})
	}
	sn.byCategory["park"] = buildIndex(nodes)
	wrong := 0
	for range 500 {
		from := Point{Lon: 128.85 + rng.Float64()*0.4, Lat: 35.0 + rng.Float64()*0.3}
		got := s.nearestIn(sn, Query{From: from, Limit: 10})
		ds := make([]float64, len(sn.facilities))
		for i, f := range sn.facilities {
			ds[i] = Metres(from, f.At)
		}
		slices.Sort(ds)
		for i, r := range got {
			if r.Walk.Straight > ds[i]+0.01 {
				wrong++
				break
			}
		}
	}
	if wrong > 0 {
		t.Errorf("%d of 500 queries missed one of the ten nearest on the sphere", wrong)
	}
}
