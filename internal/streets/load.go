package streets

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// Load reads an .osm.pbf extract and keeps its walkable streets. It reads
// the file once, in any order of nodes and ways, keeping every node's
// position until the ways say which are needed (16 bytes a node).
func Load(r io.Reader) (*Graph, error) {
	blocks := newBlockReader(r)
	// One decoder goroutine: the filters below then need no lock, and with
	// the reader's goroutine inflating blocks both cores are busy.
	sc := osmpbf.New(context.Background(), blocks, 1)
	defer sc.Close()
	sc.SkipRelations = true
	var x extract
	sc.FilterNode = x.node
	sc.FilterWay = x.way
	for sc.Scan() {
		// The filters keep what is needed and let nothing through.
	}
	err := sc.Err()
	sc.Close() // waits for the decoder, so its writes to x are seen here
	if ferr := blocks.failure(); ferr != nil {
		return nil, ferr
	}
	if err != nil {
		return nil, fmt.Errorf("streets: decoding the file: %w", err)
	}
	if x.bad != nil {
		return nil, x.bad
	}
	return build(&x)
}

// extract is what Load keeps of the file while reading it.
type extract struct {
	read     int
	ids      []int64
	lon, lat []int32
	sorted   bool // ids ascending, as writers of .osm.pbf files put them
	bad      error

	waysRead int
	refs     []int64
	wayEnd   []int // refs of way i are wayEnd[i-1]..wayEnd[i]
	wayID    []int64
	stepFree []bool
}

func (x *extract) node(n *osm.Node) bool {
	if !n.Visible {
		return false
	}
	x.read++
	if !(n.Lat >= -90 && n.Lat <= 90 && n.Lon >= -180 && n.Lon <= 180) {
		if x.bad == nil {
			x.bad = fmt.Errorf("streets: node %d is at longitude %g, latitude %g, which is off the globe", n.ID, n.Lon, n.Lat)
		}
		return false
	}
	id := int64(n.ID)
	if len(x.ids) == 0 {
		x.sorted = true
	} else if id <= x.ids[len(x.ids)-1] {
		x.sorted = false
	}
	x.ids = push(x.ids, id)
	x.lon = push(x.lon, e7(n.Lon))
	x.lat = push(x.lat, e7(n.Lat))
	return false
}

func (x *extract) way(w *osm.Way) bool {
	if !w.Visible {
		return false
	}
	x.waysRead++
	ok, stepFree := Walkable(w.Tags)
	if !ok || len(w.Nodes) < 2 {
		return false
	}
	for _, n := range w.Nodes {
		x.refs = push(x.refs, int64(n.ID))
	}
	x.wayEnd = append(x.wayEnd, len(x.refs))
	x.wayID = append(x.wayID, int64(w.ID))
	x.stepFree = append(x.stepFree, stepFree)
	return false
}

// push appends as append does, but doubles a full slice: append grows a
// large one by a quarter, copying an extract's millions of nodes a dozen
// times over.
func push[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		s = slices.Grow(s, max(len(s), 1024))
	}
	return append(s, v)
}
