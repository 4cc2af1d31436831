package streets

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/encoding/protowire"
)

// The limits of the PBF format (wiki.openstreetmap.org/wiki/PBF_Format).
const (
	maxHeaderSize = 64 << 10
	maxBlobSize   = 32 << 20
	// The decoder takes blobs under 32 MiB; the uncompressed ones this
	// reader passes on need a few bytes around their data.
	maxRawSize = maxBlobSize - 64
)

// blockReader stands between the file and the osmpbf decoder. That decoder
// panics in its own goroutines on some malformed blocks (plain Node groups,
// string indices past the table), where no recover in Load can reach, so each
// block is decompressed and checked here first and passed on uncompressed,
// which also spares the decoder a second decompression. Unknown block types
// are dropped, as the format asks of readers.
type blockReader struct {
	src    io.Reader
	offset int64 // of the next block in the file
	blocks int   // read so far
	passed int   // handed to the decoder
	buf    []byte
	out    []byte
	pos    int
	err    error // sticky; io.EOF at the end
	zr     io.ReadCloser
	raw    bytes.Buffer
}

func newBlockReader(r io.Reader) *blockReader { return &blockReader{src: r} }

func (b *blockReader) Read(p []byte) (int, error) {
	for b.pos == len(b.out) {
		if b.err != nil {
			return 0, b.err
		}
		b.err = b.next()
	}
	n := copy(p, b.out[b.pos:])
	b.pos += n
	return n, nil
}

// failure is the reader's own error, if it stopped on one.
func (b *blockReader) failure() error {
	if b.err == io.EOF {
		return nil
	}
	return b.err
}

func (b *blockReader) next() error {
	for {
		at := b.offset
		var size [4]byte
		n, err := io.ReadFull(b.src, size[:])
		if err == io.EOF && b.blocks == 0 {
			return errors.New("streets: the file is empty")
		}
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return b.truncated(at, n, err)
		}
		b.blocks++
		headerSize := binary.BigEndian.Uint32(size[:])
		if headerSize >= maxHeaderSize {
			return fmt.Errorf("streets: block %d at byte %d: a header of %d bytes is over the format's 64 KiB; this is not an .osm.pbf file", b.blocks, at, headerSize)
		}
		header := b.buffer(int(headerSize))
		if n, err := io.ReadFull(b.src, header); err != nil {
			return b.truncated(at, 4+n, err)
		}
		typ, dataSize, err := parseBlobHeader(header)
		if err != nil {
			return fmt.Errorf("streets: block %d at byte %d: %v", b.blocks, at, err)
		}
		blob := b.buffer(dataSize)
		if n, err := io.ReadFull(b.src, blob); err != nil {
			return b.truncated(at, 4+int(headerSize)+n, err)
		}
		b.offset += 4 + int64(headerSize) + int64(dataSize)

		data, err := b.inflate(blob)
		if err == nil {
			switch typ {
			case "OSMHeader":
				if b.passed > 0 {
					err = errors.New("a second OSMHeader block")
				} else {
					err = checkHeader(data)
				}
			case "OSMData":
				err = checkData(data)
			default:
				continue
			}
		}
		if err != nil {
			return fmt.Errorf("streets: block %d (%s) at byte %d: %v", b.blocks, typ, at, err)
		}
		b.frame(typ, data)
		b.passed++
		return nil
	}
}

// buffer is b.buf resized to n bytes; the header is parsed before the blob
// reuses it.
func (b *blockReader) buffer(n int) []byte {
	if cap(b.buf) < n {
		b.buf = make([]byte, n)
	}
	return b.buf[:n]
}

func (b *blockReader) truncated(at int64, n int, err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("streets: the file ends inside block %d, %d bytes after it starts at byte %d", b.blocks+1, n, at)
	}
	return fmt.Errorf("streets: reading block %d at byte %d: %w", b.blocks+1, at, err)
}

func parseBlobHeader(h []byte) (typ string, size int, err error) {
	var haveType, haveSize bool
	for len(h) > 0 {
		num, wt, n := protowire.ConsumeTag(h)
		if n < 0 {
			return "", 0, errors.New("a damaged block header")
		}
		h = h[n:]
		switch {
		case num == 1 && wt == protowire.BytesType:
			v, n := protowire.ConsumeBytes(h)
			if n < 0 {
				return "", 0, errors.New("a damaged block header")
			}
			typ, haveType, h = string(v), true, h[n:]
		case num == 3 && wt == protowire.VarintType:
			v, n := protowire.ConsumeVarint(h)
			if n < 0 {
				return "", 0, errors.New("a damaged block header")
			}
			if v >= maxBlobSize {
				return "", 0, fmt.Errorf("a block of %d bytes is over the format's 32 MiB", v)
			}
			size, haveSize, h = int(v), true, h[n:]
		default:
			n := protowire.ConsumeFieldValue(num, wt, h)
			if n < 0 {
				return "", 0, errors.New("a damaged block header")
			}
			h = h[n:]
		}
	}
	if !haveType || !haveSize {
		return "", 0, errors.New("a block header without its type or size")
	}
	return typ, size, nil
}

// inflate returns the block's data uncompressed; it is valid until the next call.
func (b *blockReader) inflate(blob []byte) ([]byte, error) {
	var raw, zdata []byte
	rawSize := -1
	for len(blob) > 0 {
		num, wt, n := protowire.ConsumeTag(blob)
		if n < 0 {
			return nil, errors.New("a damaged blob")
		}
		blob = blob[n:]
		switch {
		case num == 1 && wt == protowire.BytesType:
			raw, n = protowire.ConsumeBytes(blob)
		case num == 2 && wt == protowire.VarintType:
			var v uint64
			v, n = protowire.ConsumeVarint(blob)
			if v > maxRawSize {
				return nil, fmt.Errorf("the data would be %d bytes uncompressed, over the format's 32 MiB", v)
			}
			rawSize = int(v)
		case num == 3 && wt == protowire.BytesType:
			zdata, n = protowire.ConsumeBytes(blob)
		case num >= 4 && num <= 7:
			name := map[protowire.Number]string{4: "lzma", 5: "bzip2", 6: "lz4", 7: "zstd"}[num]
			return nil, fmt.Errorf("the data is %s-compressed; only zlib and uncompressed blocks can be read", name)
		default:
			n = protowire.ConsumeFieldValue(num, wt, blob)
		}
		if n < 0 {
			return nil, errors.New("a damaged blob")
		}
		blob = blob[n:]
	}
	switch {
	case raw != nil && len(raw) > maxRawSize:
		return nil, fmt.Errorf("%d bytes of data are over the format's 32 MiB", len(raw))
	case raw != nil:
		return raw, nil
	case zdata == nil:
		return nil, errors.New("a blob without data")
	case rawSize < 0:
		return nil, errors.New("a zlib blob without its uncompressed size")
	}
	var err error
	if b.zr == nil {
		b.zr, err = zlib.NewReader(bytes.NewReader(zdata))
	} else {
		err = b.zr.(zlib.Resetter).Reset(bytes.NewReader(zdata), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("the zlib data: %v", err)
	}
	b.raw.Reset()
	b.raw.Grow(rawSize)
	if _, err := b.raw.ReadFrom(io.LimitReader(b.zr, int64(rawSize)+1)); err != nil {
		return nil, fmt.Errorf("the zlib data: %v", err)
	}
	if b.raw.Len() != rawSize {
		return nil, fmt.Errorf("the zlib data is %d bytes uncompressed, not the %d its blob says", b.raw.Len(), rawSize)
	}
	return b.raw.Bytes(), nil
}

// frame sets out to the block as the decoder reads it: its length, its
// header and an uncompressed blob.
func (b *blockReader) frame(typ string, data []byte) {
	blobLen := protowire.SizeTag(1) + protowire.SizeBytes(len(data)) +
		protowire.SizeTag(2) + protowire.SizeVarint(uint64(len(data)))
	out := b.out[:0]
	out = append(out, 0, 0, 0, 0)
	out = protowire.AppendTag(out, 1, protowire.BytesType)
	out = protowire.AppendString(out, typ)
	out = protowire.AppendTag(out, 3, protowire.VarintType)
	out = protowire.AppendVarint(out, uint64(blobLen))
	binary.BigEndian.PutUint32(out, uint32(len(out)-4))
	out = protowire.AppendTag(out, 1, protowire.BytesType)
	out = protowire.AppendBytes(out, data)
	out = protowire.AppendTag(out, 2, protowire.VarintType)
	out = protowire.AppendVarint(out, uint64(len(data)))
	b.out, b.pos = out, 0
}
