package streets

import "sync"

// Graph is the walkable street network of an extract. It is never changed
// after Load, so any number of goroutines may use it at once.
type Graph struct {
	lon, lat []int32 // node coordinates in e7 degrees

	// Compressed sparse rows: the arcs leaving node i are first[i]..first[i+1]
	// in to, metres and barrier. Each street segment is two arcs.
	first   []int32
	to      []int32
	metres  []float32
	barrier []uint64 // one bit an arc: not step-free (steps, wheelchair=no)

	grid  grid
	stats Stats
	work  sync.Pool // *workspace
}

// Stats says what Load kept from an extract and what it had to leave out.
type Stats struct {
	NodesRead, WaysRead int // every node and way in the file
	Ways                int // walkable ways, of which some parts may be missing
	Nodes               int // graph nodes: those of walkable ways only
	Segments            int // street segments between two nodes, each walkable both ways
	NotStepFree         int // segments that the step-free profile avoids

	// An extract clipped at a boundary keeps ways whose nodes lie outside it.
	// Their segments between nodes in the file are kept; the others are not.
	ClippedWays int
	MissingRefs int
	Missing     string // the first one, e.g. "way 123 refers to node 456, which is not in the file"
}

// Stats reports what Load read and kept.
func (g *Graph) Stats() Stats { return g.stats }

// Node is the position of graph node i, as Snap returns it.
func (g *Graph) Node(i int32) Point {
	return Point{Lon: deg(g.lon[i]), Lat: deg(g.lat[i])}
}

func (g *Graph) nodes() int { return len(g.lon) }

func (g *Graph) notStepFree(arc int32) bool {
	return g.barrier[arc>>6]&(1<<(arc&63)) != 0
}
