package places

import (
	"math"
	"slices"
)

// index is a static 2-d tree over facilities' positions, projected onto a
// plane in metres around the city's latitude: over a city the projection
// ranks neighbours as the sphere does, and a tree answers "the k nearest"
// in logarithmic time where a table scan of 100,000 rows would not.
type index struct {
	nodes []indexNode // the tree, in-order: the root of [lo, hi) is at (lo+hi)/2
}

type indexNode struct {
	x, y float64
	id   int32 // position in the snapshot's facilities
}

// The plane is the sphere Metres measures on, flattened at the city's
// latitude: a degree of latitude is the same length everywhere on it, a
// degree of longitude shorter by the cosine.
const (
	refLat       = 35.15 // Busan
	metresPerLat = earthRadius * math.Pi / 180
)

var metresPerLon = metresPerLat * math.Cos(refLat*math.Pi/180)

func project(p Point) (x, y float64) { return p.Lon * metresPerLon, p.Lat * metresPerLat }

func buildIndex(nodes []indexNode) *index {
	build(nodes, 0)
	return &index{nodes: nodes}
}

// build puts the median along the axis of depth at the middle of nodes and
// the halves on either side, recursively.
func build(nodes []indexNode, depth int) {
	if len(nodes) <= 1 {
		return
	}
	m := len(nodes) / 2
	selectNth(nodes, m, depth%2 == 0)
	build(nodes[:m], depth+1)
	build(nodes[m+1:], depth+1)
}

func coord(n indexNode, byX bool) float64 {
	if byX {
		return n.x
	}
	return n.y
}

// selectNth partially sorts nodes so that nodes[k] is the one a full sort
// by the axis would put there, with no greater one before it and no
// smaller one after (Hoare's selection).
func selectNth(nodes []indexNode, k int, byX bool) {
	lo, hi := 0, len(nodes)-1
	for lo < hi {
		pivot := coord(nodes[(lo+hi)/2], byX)
		i, j := lo, hi
		for i <= j {
			for coord(nodes[i], byX) < pivot {
				i++
			}
			for coord(nodes[j], byX) > pivot {
				j--
			}
			if i <= j {
				nodes[i], nodes[j] = nodes[j], nodes[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// neighbour is a facility found near a point, by squared planar distance.
type neighbour struct {
	id int32
	d2 float64
}

// nearest returns up to k nodes closest to p that keep accepts, nearest
// first.
func (ix *index) nearest(p Point, k int, keep func(id int32) bool) []neighbour {
	if ix == nil || k <= 0 {
		return nil
	}
	x, y := project(p)
	best := make([]neighbour, 0, k+1)
	ix.search(0, len(ix.nodes), 0, x, y, k, keep, &best)
	return best
}

func (ix *index) search(lo, hi, depth int, x, y float64, k int, keep func(int32) bool, best *[]neighbour) {
	if lo >= hi {
		return
	}
	m := (lo + hi) / 2
	n := ix.nodes[m]
	if keep == nil || keep(n.id) {
		dx, dy := n.x-x, n.y-y
		offer(best, k, neighbour{id: n.id, d2: dx*dx + dy*dy})
	}
	diff := x - n.x
	if depth%2 == 1 {
		diff = y - n.y
	}
	near, far := [2]int{lo, m}, [2]int{m + 1, hi}
	if diff > 0 {
		near, far = far, near
	}
	ix.search(near[0], near[1], depth+1, x, y, k, keep, best)
	if len(*best) < k || diff*diff < (*best)[len(*best)-1].d2 {
		ix.search(far[0], far[1], depth+1, x, y, k, keep, best)
	}
}

// offer inserts c into best (sorted, at most k long) if it is among the k
// nearest so far; ties go to the lower id, so results do not depend on how
// the tree was built.
func offer(best *[]neighbour, k int, c neighbour) {
	b := *best
	if len(b) == k && !less(c, b[k-1]) {
		return
	}
	i, _ := slices.BinarySearchFunc(b, c, func(a, c neighbour) int {
		if less(a, c) {
			return -1
		}
		return 1
	})
	b = slices.Insert(b, i, c)
	if len(b) > k {
		b = b[:k]
	}
	*best = b
}

func less(a, b neighbour) bool { return a.d2 < b.d2 || (a.d2 == b.d2 && a.id < b.id) }
