package streets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/paulmach/osm"
)

// SynthOptions shape a synthetic extract. The zero value is Busan's bounding
// box with 200,000 nodes from seed 0.
type SynthOptions struct {
	Seed                     uint64
	Nodes                    int // every node in the file, street nodes and points of interest
	West, South, East, North float64
}

// SynthStats say what Synthesize wrote.
type SynthStats struct {
	Nodes, Ways int
	Rows, Cols  int // of the street grid
	// Blocks (a street between two neighbouring crossings) of each kind.
	Footways, Steps, Gaps int
	Unwalkable            int // ways a walker may not take: motorways, foot=no, access=private, cycleways
	Bytes                 int64
}

// Synthesize writes a city-sized .osm.pbf for benchmarks and tests: a
// jittered grid of streets over the bounding box, residential with tertiary
// and secondary roads every few lines, and a motorway line now and then;
// here and there a block is a footway or steps, is not walkable (foot=no,
// access=private, a cycleway), or is missing, so that walks must go round.
// One node in fifty is a tagged point of interest on no way. The same
// options always give the same file.
func Synthesize(w io.Writer, o SynthOptions) (SynthStats, error) {
	if o.Nodes == 0 {
		o.Nodes = 200_000
	}
	if o.West == 0 && o.South == 0 && o.East == 0 && o.North == 0 {
		o.West, o.South, o.East, o.North = 128.85, 35.00, 129.30, 35.30
	}
	if !(o.West >= -180 && o.West < o.East && o.East <= 180 && o.South >= -90 && o.South < o.North && o.North <= 90) {
		return SynthStats{}, fmt.Errorf("streets: the box %g,%g–%g,%g is not west to east and south to north on the globe", o.West, o.South, o.East, o.North)
	}
	if o.Nodes < 4 {
		return SynthStats{}, errors.New("streets: a synthetic extract needs at least 4 nodes")
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x6d6165756c)) // "maeul"
	street := o.Nodes - o.Nodes/50
	aspect := (o.East - o.West) * math.Cos((o.South+o.North)/2*radians) / (o.North - o.South)
	cols := max(2, int(math.Round(math.Sqrt(float64(street)*aspect))))
	rows := max(2, street/cols)
	if rows*cols > o.Nodes {
		cols = o.Nodes / rows
	}
	st := SynthStats{Nodes: o.Nodes, Rows: rows, Cols: cols}
	dLon, dLat := (o.East-o.West)/float64(cols), (o.North-o.South)/float64(rows)

	bw := bufio.NewWriterSize(w, 1<<20)
	p := newPBFWriter(bw)
	p.header(o.West, o.South, o.East, o.North)
	jitter := func() float64 { return (rng.Float64() - 0.5) * 0.5 }
	for r := range rows {
		for c := range cols {
			p.node(int64(r*cols+c+1), o.West+(float64(c)+0.5+jitter())*dLon, o.South+(float64(r)+0.5+jitter())*dLat)
		}
	}
	amenities := []string{"library", "social_facility", "clinic", "community_centre", "kindergarten", "pharmacy"}
	for id := rows*cols + 1; id <= o.Nodes; id++ {
		p.node(int64(id), o.West+rng.Float64()*(o.East-o.West), o.South+rng.Float64()*(o.North-o.South),
			"amenity", amenities[rng.IntN(len(amenities))])
	}

	wayID := int64(0)
	line := func(n int, class string, node func(i int) int64) {
		var refs []int64
		kind := ""
		emit := func() {
			if len(refs) > 1 {
				wayID++
				tags := synthTags[kind]
				if tags == nil {
					tags = []string{"highway", kind}
				}
				if !walkableTags(tags) {
					st.Unwalkable++
				}
				p.way(wayID, refs, tags...)
				st.Ways++
			}
			refs = refs[:0]
		}
		for i := range n - 1 {
			k := synthBlock(rng.Float64(), class)
			switch k {
			case "gap":
				st.Gaps++
			case "footway":
				st.Footways++
			case "steps":
				st.Steps++
			}
			if k != kind || len(refs) > 24 {
				emit()
				kind = k
			}
			if k == "gap" {
				continue
			}
			if len(refs) == 0 {
				refs = append(refs, node(i))
			}
			refs = append(refs, node(i+1))
		}
		emit()
	}
	for r := range rows {
		line(cols, synthClass(r), func(c int) int64 { return int64(r*cols + c + 1) })
	}
	for c := range cols {
		line(rows, synthClass(c), func(r int) int64 { return int64(r*cols + c + 1) })
	}
	if err := p.close(); err != nil {
		return st, err
	}
	st.Bytes = p.bytes
	return st, bw.Flush()
}

func synthClass(line int) string {
	switch {
	case line%40 == 20:
		return "motorway"
	case line%12 == 0:
		return "secondary"
	case line%4 == 0:
		return "tertiary"
	}
	return "residential"
}

func synthBlock(u float64, class string) string {
	switch {
	case class == "motorway":
		return class
	case u < 0.04:
		return "gap"
	case u < 0.07:
		return "footway"
	case u < 0.085:
		return "steps"
	case u < 0.092:
		return "private"
	case u < 0.097:
		return "foot=no"
	case u < 0.102:
		return "cycleway"
	case u < 0.107:
		return "cycleway+foot"
	}
	return class
}

var synthTags = map[string][]string{
	"private":       {"highway", "service", "access", "private"},
	"foot=no":       {"highway", "residential", "foot", "no"},
	"cycleway+foot": {"highway", "cycleway", "foot", "designated"},
}

func walkableTags(kv []string) bool {
	var tags osm.Tags
	for i := 0; i+1 < len(kv); i += 2 {
		tags = append(tags, osm.Tag{Key: kv[i], Value: kv[i+1]})
	}
	ok, _ := Walkable(tags)
	return ok
}
