package streets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/paulmach/osm"
	"google.golang.org/protobuf/encoding/protowire"
)

func TestWalkable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		tags         []string
		ok, stepFree bool
	}{
		{[]string{"highway", "residential"}, true, true},
		{[]string{"highway", "steps"}, true, false},
		{[]string{"highway", "steps", "wheelchair", "yes"}, true, true},
		{[]string{"highway", "footway", "wheelchair", "no"}, true, false},
		{[]string{"highway", "living_street"}, true, true},
		{[]string{"highway", "track", "access", "private"}, false, false},
		{[]string{"highway", "track", "access", "private", "foot", "designated"}, true, true},
		{[]string{"highway", "trunk_link"}, false, false},
		{[]string{"highway", "trunk_link", "foot", "yes"}, true, true},
		{[]string{"highway", "pedestrian", "foot", "private"}, false, false},
		{[]string{"highway", "proposed"}, false, false},
		{[]string{"railway", "platform"}, false, false},
		{nil, false, false},
	}
	for _, c := range cases {
		var tags osm.Tags
		for i := 0; i < len(c.tags); i += 2 {
			tags = append(tags, osm.Tag{Key: c.tags[i], Value: c.tags[i+1]})
		}
		if ok, sf := Walkable(tags); ok != c.ok || (ok && sf != c.stepFree) {
			t.Errorf("%v: walkable %v, step-free %v; want %v, %v", c.tags, ok, sf, c.ok, c.stepFree)
		}
	}
}

func TestClippedWaysKeepTheirSegmentsInTheFile(t *testing.T) {
	t.Parallel()
	g := load(t, []tnode{n(1, 0, 0), n(2, 0, 1), n(3, 0, 3), n(4, 0, 4), n(5, 1, 0)},
		[]tway{
			{8, []int64{1, 2, 99, 3, 4}, []string{"highway", "residential"}},
			{9, []int64{98, 97}, []string{"highway", "residential"}},
			{10, []int64{1, 5}, []string{"highway", "footway"}},
		})
	st := g.Stats()
	if st.ClippedWays != 2 || st.MissingRefs != 3 || st.Missing != "way 8 refers to node 99, which is not in the file" {
		t.Errorf("Stats = %+v", st)
	}
	if st.Nodes != 5 || st.Segments != 3 {
		t.Errorf("%d nodes and %d segments, want 5 and 3 (1–2, 3–4, 1–5)", st.Nodes, st.Segments)
	}
	tm := g.Reach([]Point{at(0, 0)}, 3600, Profile{})
	wantTime(t, tm, at(0, 1), northStep/DefaultSpeed)
	wantUnreached(t, tm, at(0, 3)) // the segment 2–3 passed through the missing node
}

func TestNodesAndWaysInAnyOrder(t *testing.T) {
	t.Parallel()
	nodes := []tnode{n(1, 0, 0), n(2, 0, 1), n(3, 0, 2), n(4, 1, 2)}
	ways := []tway{{1, []int64{1, 2, 3}, []string{"highway", "residential"}}, {2, []int64{3, 4}, []string{"highway", "steps"}}}
	sorted := load(t, nodes, ways)

	var buf bytes.Buffer
	p := newPBFWriter(&buf)
	p.header(129, 35, 129.1, 35.1)
	for _, w := range ways {
		p.way(w.id, w.refs, w.tags...)
	}
	for i := len(nodes) - 1; i >= 0; i-- {
		p.node(nodes[i].id, nodes[i].lon, nodes[i].lat)
	}
	p.node(2, 10, 10) // a second node 2: the first in the file is kept
	if err := p.close(); err != nil {
		t.Fatal(err)
	}
	shuffled, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	a, b := sorted.Stats(), shuffled.Stats()
	b.NodesRead--
	if a != b {
		t.Fatalf("stats differ:\n%+v\n%+v", a, b)
	}
	for _, g := range []*Graph{sorted, shuffled} {
		tm := g.Reach([]Point{at(0, 0)}, 3600, Profile{})
		wantTime(t, tm, at(1, 2), (2*northStep+gcEast(35.002, 0.001))/DefaultSpeed)
	}
}

// The raw makings of a file, for the damaged ones.

func block(typ string, data []byte) []byte {
	blob := protowire.AppendTag(nil, 1, protowire.BytesType)
	blob = protowire.AppendBytes(blob, data)
	return frameBlob(typ, blob)
}

func frameBlob(typ string, blob []byte) []byte {
	h := protowire.AppendTag(nil, 1, protowire.BytesType)
	h = protowire.AppendString(h, typ)
	h = protowire.AppendTag(h, 3, protowire.VarintType)
	h = protowire.AppendVarint(h, uint64(len(blob)))
	out := binary.BigEndian.AppendUint32(nil, uint32(len(h)))
	return append(append(out, h...), blob...)
}

func msg(fields ...any) []byte {
	var b []byte
	for i := 0; i < len(fields); i += 2 {
		num := protowire.Number(fields[i].(int))
		switch v := fields[i+1].(type) {
		case []byte:
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendBytes(b, v)
		case string:
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendString(b, v)
		case uint64:
			b = protowire.AppendTag(b, num, protowire.VarintType)
			b = protowire.AppendVarint(b, v)
		}
	}
	return b
}

func varints(v ...uint64) []byte {
	var b []byte
	for _, x := range v {
		b = protowire.AppendVarint(b, x)
	}
	return b
}

var header = block("OSMHeader", msg(4, "OsmSchema-V0.6", 4, "DenseNodes"))

func strtab(s ...string) []byte {
	var fields []any
	for _, x := range append([]string{""}, s...) {
		fields = append(fields, 1, x)
	}
	return msg(fields...)
}

func TestLoadErrorsSayWhatIsWrong(t *testing.T) {
	t.Parallel()
	valid := pbf(t, []tnode{n(1, 0, 0), n(2, 0, 1)}, []tway{{1, []int64{1, 2}, []string{"highway", "residential"}}})
	dataBlock := func(group []byte, s ...string) []byte {
		return append(append([]byte{}, header...), block("OSMData", msg(1, strtab(s...), 2, group))...)
	}
	zlibBlob := func(rawSize uint64, z []byte) []byte {
		return append(append([]byte{}, header...), frameBlob("OSMData", msg(2, rawSize, 3, z))...)
	}
	cases := []struct {
		name, want string
		file       []byte
	}{
		{"empty", "the file is empty", nil},
		{"text", "this is not an .osm.pbf file", []byte("hello, this is not a pbf file at all")},
		{"truncated", "the file ends inside block", valid[:len(valid)-5]},
		{"no streets", "no walkable street in the file (1 ways read)",
			pbf(t, []tnode{n(1, 0, 0), n(2, 0, 1)}, []tway{{1, []int64{1, 2}, []string{"highway", "motorway"}}})},
		{"no nodes", "no walkable street has two nodes in the file (1 ways read); for one, way 4 refers to node 7, which is not in the file",
			pbf(t, nil, []tway{{4, []int64{7, 8}, []string{"highway", "residential"}}})},
		{"off the globe", "node 2 is at longitude 129, latitude 95",
			pbf(t, []tnode{n(1, 0, 0), {2, 129, 95}}, []tway{{1, []int64{1, 2}, []string{"highway", "residential"}}})},
		{"plain nodes", fmt.Sprintf("block 2 (OSMData) at byte %d: nodes stored one by one", len(header)),
			dataBlock(msg(1, msg(1, uint64(2), 8, uint64(700000000), 9, uint64(2580000000))))},
		{"string index", "a string index of 5, past the block's table of 3 strings",
			dataBlock(msg(3, msg(1, uint64(1), 2, varints(1), 3, varints(5), 8, varints(2, 2))), "highway", "residential")},
		{"user index", "a string index of 4, past the block's table of 1 strings",
			dataBlock(msg(2, msg(1, varints(2), 5, msg(5, varints(8)), 8, varints(0), 9, varints(0))))},
		{"way lists", "a way whose node ids and coordinates differ in number",
			dataBlock(msg(3, msg(1, uint64(1), 8, varints(2, 2, 2), 9, varints(0, 0))))},
		{"two lists", "a way with two lists of nodes",
			dataBlock(msg(3, msg(1, uint64(1), 8, varints(2, 2), 8, varints(2, 2))))},
		{"lzma", "the data is lzma-compressed", append(append([]byte{}, header...), frameBlob("OSMData", msg(2, uint64(10), 4, []byte("x")))...)},
		{"bad zlib", "the zlib data", zlibBlob(10, []byte("not zlib"))},
		{"zlib size", "the zlib data is 8 bytes uncompressed, not the 10 its blob says", zlibBlob(10, zlibbed([]byte("8 bytes!")))},
		{"feature", `the file needs the feature "LocationsOnWays"`, block("OSMHeader", msg(4, "OsmSchema-V0.6", 4, "LocationsOnWays"))},
		{"two headers", "a second OSMHeader block", append(append([]byte{}, valid...), header...)},
		{"decoder", "decoding the file", dataBlock(msg(2, msg(8, varints(0), 9, varints(0))))},
	}
	for _, c := range cases {
		g, err := Load(bytes.NewReader(c.file))
		if err == nil {
			t.Errorf("%s: loaded %+v, want an error", c.name, g.Stats())
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.want)
		}
	}
}

func TestUnknownBlocksAreSkipped(t *testing.T) {
	t.Parallel()
	valid := pbf(t, []tnode{n(1, 0, 0), n(2, 0, 1)}, []tway{{1, []int64{1, 2}, []string{"highway", "residential"}}})
	file := append(append([]byte{}, valid...), block("OSMIndex", []byte("whatever is in it"))...)
	g, err := Load(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if g.Stats().Segments != 1 {
		t.Errorf("Stats = %+v", g.Stats())
	}
}
