package streets

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"io"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// blockEntities is how many nodes or ways go in one block, as osmium and
// osmosis write them.
const blockEntities = 8000

// pbfWriter writes an .osm.pbf file: an OSMHeader block, then OSMData blocks
// of DenseNodes or Ways, each with its own string table, zlib-compressed
// (or not, for the fuzz corpus, where a mutation should reach the protobuf
// rather than break the compression). Coordinates are in the default
// granularity of 100 nanodegrees. Nodes go before ways and in order of id,
// as readers expect.
type pbfWriter struct {
	w     io.Writer
	raw   bool
	err   error
	bytes int64

	kind    int // of the open block: 0 none, 1 nodes, 2 ways
	count   int
	strings []string
	index   map[string]uint64

	ids, lats, lons []int64
	keysVals        []uint64
	tagged          bool
	ways            []byte // the group's Way messages, each with its field tag

	zbuf bytes.Buffer
	zw   *zlib.Writer
}

func newPBFWriter(w io.Writer) *pbfWriter {
	return &pbfWriter{w: w, index: map[string]uint64{}}
}

func (p *pbfWriter) header(west, south, east, north float64) error {
	nano := func(d float64) uint64 { return protowire.EncodeZigZag(int64(math.Round(d * 1e9))) }
	var bbox []byte
	for i, v := range []float64{west, east, north, south} { // left, right, top, bottom
		bbox = protowire.AppendTag(bbox, protowire.Number(i+1), protowire.VarintType)
		bbox = protowire.AppendVarint(bbox, nano(v))
	}
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, bbox)
	for _, f := range []string{"OsmSchema-V0.6", "DenseNodes"} {
		b = protowire.AppendTag(b, 4, protowire.BytesType)
		b = protowire.AppendString(b, f)
	}
	b = protowire.AppendTag(b, 5, protowire.BytesType)
	b = protowire.AppendString(b, "Sort.Type_then_ID")
	b = protowire.AppendTag(b, 16, protowire.BytesType)
	b = protowire.AppendString(b, "maeul")
	p.blob("OSMHeader", b)
	return p.err
}

// node adds a node; tags are keys and values in turn.
func (p *pbfWriter) node(id int64, lon, lat float64, tags ...string) error {
	p.open(1)
	p.ids = append(p.ids, id)
	p.lons = append(p.lons, int64(math.Round(lon*1e7)))
	p.lats = append(p.lats, int64(math.Round(lat*1e7)))
	for _, s := range tags {
		p.keysVals = append(p.keysVals, p.str(s))
	}
	p.keysVals = append(p.keysVals, 0)
	p.tagged = p.tagged || len(tags) > 0
	return p.err
}

// way adds a way through the nodes refs; tags are keys and values in turn.
func (p *pbfWriter) way(id int64, refs []int64, tags ...string) error {
	p.open(2)
	var m []byte
	m = protowire.AppendTag(m, 1, protowire.VarintType)
	m = protowire.AppendVarint(m, uint64(id))
	var keys, vals []uint64
	for i := 0; i+1 < len(tags); i += 2 {
		keys, vals = append(keys, p.str(tags[i])), append(vals, p.str(tags[i+1]))
	}
	m = appendPacked(m, 2, keys)
	m = appendPacked(m, 3, vals)
	m = appendPacked(m, 8, deltas(refs))
	p.ways = protowire.AppendTag(p.ways, 3, protowire.BytesType)
	p.ways = protowire.AppendBytes(p.ways, m)
	return p.err
}

func (p *pbfWriter) close() error {
	p.flush()
	return p.err
}

func (p *pbfWriter) open(kind int) {
	if p.kind != kind || p.count == blockEntities {
		p.flush()
		p.kind = kind
	}
	p.count++
}

func (p *pbfWriter) str(s string) uint64 {
	if len(p.strings) == 0 {
		p.strings = append(p.strings, "") // index 0 ends a node's tags
	}
	i, ok := p.index[s]
	if !ok {
		i = uint64(len(p.strings))
		p.index[s] = i
		p.strings = append(p.strings, s)
	}
	return i
}

func (p *pbfWriter) flush() {
	if p.count == 0 {
		return
	}
	var group []byte
	if p.kind == 1 {
		var dense []byte
		dense = appendPacked(dense, 1, deltas(p.ids))
		dense = appendPacked(dense, 8, deltas(p.lats))
		dense = appendPacked(dense, 9, deltas(p.lons))
		if p.tagged {
			dense = appendPacked(dense, 10, p.keysVals)
		}
		group = protowire.AppendTag(group, 2, protowire.BytesType)
		group = protowire.AppendBytes(group, dense)
	} else {
		group = p.ways
	}
	var table []byte
	if len(p.strings) == 0 {
		p.strings = append(p.strings, "")
	}
	for _, s := range p.strings {
		table = protowire.AppendTag(table, 1, protowire.BytesType)
		table = protowire.AppendString(table, s)
	}
	var block []byte
	block = protowire.AppendTag(block, 1, protowire.BytesType)
	block = protowire.AppendBytes(block, table)
	block = protowire.AppendTag(block, 2, protowire.BytesType)
	block = protowire.AppendBytes(block, group)
	p.blob("OSMData", block)

	p.kind, p.count, p.tagged = 0, 0, false
	p.strings = p.strings[:0]
	clear(p.index)
	p.ids, p.lats, p.lons, p.keysVals, p.ways = p.ids[:0], p.lats[:0], p.lons[:0], p.keysVals[:0], nil
}

func (p *pbfWriter) blob(typ string, data []byte) {
	if p.err != nil {
		return
	}
	if len(data) > maxRawSize {
		p.err = errors.New("streets: a block over 32 MiB")
		return
	}
	var blob []byte
	if p.raw {
		blob = protowire.AppendTag(blob, 1, protowire.BytesType)
		blob = protowire.AppendBytes(blob, data)
	} else {
		p.zbuf.Reset()
		if p.zw == nil {
			p.zw = zlib.NewWriter(&p.zbuf)
		} else {
			p.zw.Reset(&p.zbuf)
		}
		p.zw.Write(data) // writes to a bytes.Buffer, which does not fail
		p.zw.Close()
		blob = protowire.AppendTag(blob, 2, protowire.VarintType)
		blob = protowire.AppendVarint(blob, uint64(len(data)))
		blob = protowire.AppendTag(blob, 3, protowire.BytesType)
		blob = protowire.AppendBytes(blob, p.zbuf.Bytes())
	}
	var header []byte
	header = protowire.AppendTag(header, 1, protowire.BytesType)
	header = protowire.AppendString(header, typ)
	header = protowire.AppendTag(header, 3, protowire.VarintType)
	header = protowire.AppendVarint(header, uint64(len(blob)))
	out := binary.BigEndian.AppendUint32(nil, uint32(len(header)))
	out = append(append(out, header...), blob...)
	n, err := p.w.Write(out)
	p.bytes += int64(n)
	p.err = err
}

func deltas(v []int64) []uint64 {
	out := make([]uint64, len(v))
	var prev int64
	for i, x := range v {
		out[i] = protowire.EncodeZigZag(x - prev)
		prev = x
	}
	return out
}

func appendPacked(b []byte, num protowire.Number, v []uint64) []byte {
	if len(v) == 0 {
		return b
	}
	size := 0
	for _, x := range v {
		size += protowire.SizeVarint(x)
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(size))
	for _, x := range v {
		b = protowire.AppendVarint(b, x)
	}
	return b
}
