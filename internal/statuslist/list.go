package statuslist

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Status is the value stored for one Referenced Token.
type Status uint8

// Status Types registered by the draft. Values 0x03 and 0x0C-0x0F are left to
// applications; Maeul uses 2-bit lists, so only these three are meaningful.
const (
	Valid     Status = 0x00
	Invalid   Status = 0x01
	Suspended Status = 0x02
)

// MaxDecodedBytes bounds the decompressed size of an "lst" value. DEFLATE
// expands roughly 1000:1, so without a cap a few kilobytes fetched from a
// hostile status endpoint could exhaust memory. 16 MiB still holds 134M 1-bit
// or 67M 2-bit entries, far beyond any list Maeul issues or consumes.
const MaxDecodedBytes = 16 << 20

var (
	// ErrInvalidBits reports a bit size other than 1, 2, 4 or 8.
	ErrInvalidBits = errors.New("statuslist: bits must be 1, 2, 4 or 8")
	// ErrIndexOutOfRange reports an index outside the list.
	ErrIndexOutOfRange = errors.New("statuslist: index out of range")
	// ErrStatusTooWide reports a status that does not fit in the list's bits.
	ErrStatusTooWide = errors.New("statuslist: status does not fit in bits")
	// ErrMalformed reports an "lst" value that is not valid base64url/ZLIB.
	ErrMalformed = errors.New("statuslist: malformed status list")
	// ErrTooLarge reports an "lst" value that decompresses beyond MaxDecodedBytes.
	ErrTooLarge = errors.New("statuslist: decompressed status list too large")
)

// List is a Status List: Len statuses of Bits bits each, packed so that index 0
// occupies the least significant bits of the first byte.
type List struct {
	bits int
	size int
	data []byte
}

func validBits(bits int) bool {
	return bits == 1 || bits == 2 || bits == 4 || bits == 8
}

// New returns a list of size entries, all Valid.
func New(size, bits int) (*List, error) {
	if !validBits(bits) {
		return nil, ErrInvalidBits
	}
	if size <= 0 {
		return nil, fmt.Errorf("statuslist: size must be positive, got %d", size)
	}
	if size > MaxDecodedBytes*(8/bits) {
		return nil, ErrTooLarge
	}
	return &List{bits: bits, size: size, data: make([]byte, (size*bits+7)/8)}, nil
}

// FromBytes wraps an already packed byte array. The list holds every entry
// the bytes can represent, because the encoding carries no explicit length.
func FromBytes(bits int, packed []byte) (*List, error) {
	if !validBits(bits) {
		return nil, ErrInvalidBits
	}
	if len(packed) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrMalformed)
	}
	if len(packed) > MaxDecodedBytes {
		return nil, ErrTooLarge
	}
	return &List{bits: bits, size: len(packed) * 8 / bits, data: bytes.Clone(packed)}, nil
}

// Bits is the number of bits per status.
func (l *List) Bits() int { return l.bits }

// Len is the number of statuses the list holds.
func (l *List) Len() int { return l.size }

// Bytes returns a copy of the packed, uncompressed byte array.
func (l *List) Bytes() []byte { return bytes.Clone(l.data) }

func (l *List) locate(idx int) (byteIdx int, shift uint, err error) {
	if idx < 0 || idx >= l.size {
		return 0, 0, fmt.Errorf("%w: %d not in [0,%d)", ErrIndexOutOfRange, idx, l.size)
	}
	perByte := 8 / l.bits
	return idx / perByte, uint((idx % perByte) * l.bits), nil
}

// Get returns the status at idx.
func (l *List) Get(idx int) (Status, error) {
	b, shift, err := l.locate(idx)
	if err != nil {
		return 0, err
	}
	mask := byte(1<<l.bits - 1)
	return Status(l.data[b] >> shift & mask), nil
}

// Set stores s at idx.
func (l *List) Set(idx int, s Status) error {
	b, shift, err := l.locate(idx)
	if err != nil {
		return err
	}
	mask := byte(1<<l.bits - 1)
	if byte(s) > mask {
		return fmt.Errorf("%w: 0x%02x in %d bits", ErrStatusTooWide, byte(s), l.bits)
	}
	l.data[b] = l.data[b]&^(mask<<shift) | byte(s)<<shift
	return nil
}

// Encode returns the "lst" value: the packed bytes compressed as ZLIB
// (RFC 1950) at the highest level, as the draft recommends, then base64url
// without padding. The output need not equal another implementation's bytes
// for the same list, since DEFLATE streams are not canonical.
func (l *List) Encode() (string, error) {
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(l.data); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// Decode parses an "lst" value with the given bits. It rejects padding, line
// breaks, non-ZLIB data, bad checksums, trailing bytes after the ZLIB stream,
// empty lists and anything that would decompress beyond MaxDecodedBytes.
func Decode(bits int, lst string) (*List, error) {
	if !validBits(bits) {
		return nil, ErrInvalidBits
	}
	// The Go decoder silently skips CR and LF; a signed value containing them
	// is not what the issuer produced, so refuse instead of normalising.
	if strings.ContainsAny(lst, "\r\n") {
		return nil, fmt.Errorf("%w: line break in lst", ErrMalformed)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(lst)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	src := bytes.NewReader(raw)
	zr, err := zlib.NewReader(src)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	defer zr.Close()
	packed, err := io.ReadAll(io.LimitReader(zr, MaxDecodedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(packed) > MaxDecodedBytes {
		return nil, ErrTooLarge
	}
	if src.Len() != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes after ZLIB stream", ErrMalformed, src.Len())
	}
	return FromBytes(bits, packed)
}
