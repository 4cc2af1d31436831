package streets

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// build turns what Load kept into the graph: the nodes of walkable ways,
// numbered cell by cell of the snapping grid (so that nodes near each other
// are near in memory, which Dijkstra's scans of the arrays like), and their
// segments as arcs in compressed sparse rows.
func build(x *extract) (*Graph, error) {
	if len(x.ids) > math.MaxInt32 {
		return nil, errors.New("streets: the extract has over two billion nodes, too many for one graph")
	}
	x.sortNodes()
	st := Stats{NodesRead: x.read, WaysRead: x.waysRead, Ways: len(x.wayID)}

	// Each reference becomes the index of its node in x, or -1.
	pos := make([]int32, len(x.refs))
	start := 0
	for w, end := range x.wayEnd {
		clipped := false
		for i := start; i < end; i++ {
			j, found := slices.BinarySearch(x.ids, x.refs[i])
			if !found {
				pos[i] = -1
				if st.MissingRefs == 0 {
					st.Missing = fmt.Sprintf("way %d refers to node %d, which is not in the file", x.wayID[w], x.refs[i])
				}
				st.MissingRefs++
				clipped = true
				continue
			}
			pos[i] = int32(j)
		}
		if clipped {
			st.ClippedWays++
		}
		start = end
	}

	used := make([]bool, len(x.ids))
	segments := 0
	eachSegment(x, pos, func(a, b int32, _ bool) {
		used[a], used[b] = true, true
		segments++
	})
	if segments == 0 {
		if st.Missing != "" {
			return nil, fmt.Errorf("streets: no walkable street has two nodes in the file (%d ways read); for one, %s", st.WaysRead, st.Missing)
		}
		return nil, fmt.Errorf("streets: no walkable street in the file (%d ways read)", st.WaysRead)
	}
	if 2*segments > math.MaxInt32 {
		return nil, errors.New("streets: the extract has over a billion street segments, too many for one graph")
	}

	var keep []int32 // indices in x of the graph's nodes
	for i, u := range used {
		if u {
			keep = append(keep, int32(i))
		}
	}
	g := &Graph{}
	g.grid, keep = newGrid(x.lon, x.lat, keep)
	n := len(keep)
	g.lon, g.lat = make([]int32, n), make([]int32, n)
	node := make([]int32, len(x.ids)) // index in x → graph node
	for v, i := range keep {
		node[i] = int32(v)
		g.lon[v], g.lat[v] = x.lon[i], x.lat[i]
	}

	g.first = make([]int32, n+1)
	eachSegment(x, pos, func(a, b int32, _ bool) {
		g.first[node[a]+1]++
		g.first[node[b]+1]++
	})
	for v := range n {
		g.first[v+1] += g.first[v]
	}
	arcs := 2 * segments
	g.to = make([]int32, arcs)
	g.metres = make([]float32, arcs)
	g.barrier = make([]uint64, (arcs+63)/64)
	next := slices.Clone(g.first[:n])
	arc := func(from, to int32, m float32, stepFree bool) {
		k := next[from]
		next[from]++
		g.to[k], g.metres[k] = to, m
		if !stepFree {
			g.barrier[k>>6] |= 1 << (k & 63)
		}
	}
	eachSegment(x, pos, func(a, b int32, stepFree bool) {
		va, vb := node[a], node[b]
		m := float32(haversine(deg(g.lon[va]), deg(g.lat[va]), deg(g.lon[vb]), deg(g.lat[vb])))
		arc(va, vb, m, stepFree)
		arc(vb, va, m, stepFree)
		if !stepFree {
			st.NotStepFree++
		}
	})
	st.Nodes, st.Segments = n, segments
	g.stats = st
	return g, nil
}

// eachSegment calls f for each pair of consecutive nodes of a way that are
// both in the file and not the same node.
func eachSegment(x *extract, pos []int32, f func(a, b int32, stepFree bool)) {
	start := 0
	for w, end := range x.wayEnd {
		for i := start + 1; i < end; i++ {
			a, b := pos[i-1], pos[i]
			if a >= 0 && b >= 0 && a != b {
				f(a, b, x.stepFree[w])
			}
		}
		start = end
	}
}

// sortNodes puts the nodes in order of id, the first of each id kept, if
// the file did not have them so.
func (x *extract) sortNodes() {
	if x.sorted || len(x.ids) == 0 {
		return
	}
	order := make([]int32, len(x.ids))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(x.ids[a], x.ids[b]) })
	ids, lon, lat := make([]int64, 0, len(order)), make([]int32, 0, len(order)), make([]int32, 0, len(order))
	for _, i := range order {
		if len(ids) > 0 && ids[len(ids)-1] == x.ids[i] {
			continue
		}
		ids, lon, lat = append(ids, x.ids[i]), append(lon, x.lon[i]), append(lat, x.lat[i])
	}
	x.ids, x.lon, x.lat, x.sorted = ids, lon, lat, true
}
