package statuslist

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// Golden vectors from draft-ietf-oauth-status-list, section "Status List"
// (the 16-entry 1-bit example) and the 12-entry 2-bit example, via
// examples/status_list_encoding_json and examples/status_list_encoding2_json
// in github.com/oauth-wg/draft-ietf-oauth-status-list.
var draftExamples = []struct {
	name     string
	bits     int
	statuses []Status
	packed   []byte
	lst      string
}{
	{
		name:     "1-bit",
		bits:     1,
		statuses: []Status{1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1},
		packed:   []byte{0xb9, 0xa3},
		lst:      "eNrbuRgAAhcBXQ",
	},
	{
		name:     "2-bit",
		bits:     2,
		statuses: []Status{1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3},
		packed:   []byte{0xc9, 0x44, 0xf9},
		lst:      "eNo76fITAAPfAgc",
	},
}

func TestDraftExamples(t *testing.T) {
	t.Parallel()
	for _, ex := range draftExamples {
		t.Run(ex.name, func(t *testing.T) {
			l, err := New(len(ex.statuses), ex.bits)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range ex.statuses {
				if err := l.Set(i, s); err != nil {
					t.Fatalf("Set(%d): %v", i, err)
				}
			}
			if !bytes.Equal(l.Bytes(), ex.packed) {
				t.Fatalf("packed = %x, want %x", l.Bytes(), ex.packed)
			}

			dec, err := Decode(ex.bits, ex.lst)
			if err != nil {
				t.Fatalf("Decode(draft lst): %v", err)
			}
			if !bytes.Equal(dec.Bytes(), ex.packed) {
				t.Fatalf("decoded = %x, want %x", dec.Bytes(), ex.packed)
			}
			for i, want := range ex.statuses {
				if got, _ := dec.Get(i); got != want {
					t.Errorf("status[%d] = %d, want %d", i, got, want)
				}
			}

			// DEFLATE output is not canonical, so our lst may differ from
			// the draft's; it must still carry the same bytes.
			lst, err := l.Encode()
			if err != nil {
				t.Fatal(err)
			}
			again, err := Decode(ex.bits, lst)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), ex.packed) {
				t.Fatalf("re-encoded = %x, want %x", again.Bytes(), ex.packed)
			}
		})
	}
}

// Appendix "Test vectors for Status List encoding" of the draft: 2^20 entries,
// all VALID except the listed ones (examples/status_list_encoding1_long_json
// and status_list_encoding2_long_json).
func TestDraftTestVectors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		bits int
		lst  string
		set  map[int]Status
	}{
		{
			bits: 1,
			lst: "eNrt3AENwCAMAEGogklACtKQPg9LugC9k_ACvreiogE" +
				"AAKkeCQAAAAAAAAAAAAAAAAAAAIBylgQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
				"AAAAAAAAAAAAAAAAAAAXG9IAAAAAAAAAPwsJAAAAAAAAAAAAAAAvhsSAAAAAAAAAAA" +
				"A7KpLAAAAAAAAAAAAAAAAAAAAAJsLCQAAAAAAAAAAADjelAAAAAAAAAAAKjDMAQAAA" +
				"ACAZC8L2AEb",
			set: map[int]Status{0: 1, 1993: 1, 25460: 1, 159495: 1, 495669: 1, 554353: 1,
				645645: 1, 723232: 1, 854545: 1, 934534: 1, 1000345: 1},
		},
		{
			bits: 2,
			lst: "eNrt2zENACEQAEEuoaBABP5VIO01fCjIHTMStt9ovGV" +
				"IAAAAAABAbiEBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEB5WwIAAAAAA" +
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAID0ugQAAAAAAAAAAAAAAAAAQG12SgAAA" +
				"AAAAAAAAAAAAAAAAAAAAAAAAOCSIQEAAAAAAAAAAAAAAAAAAAAAAAD8ExIAAAAAAAA" +
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwJEuAQAAAAAAAAAAAAAAAAAAAAAAAMB9S" +
				"wIAAAAAAAAAAAAAAAAAAACoYUoAAAAAAAAAAAAAAEBqH81gAQw",
			set: map[int]Status{0: 1, 1993: 2, 25460: 1, 159495: 3, 495669: 1, 554353: 1,
				645645: 2, 723232: 1, 854545: 1, 934534: 2, 1000345: 3},
		},
	}
	for _, c := range cases {
		l, err := Decode(c.bits, c.lst)
		if err != nil {
			t.Fatalf("bits=%d: %v", c.bits, err)
		}
		if l.Len() != 1<<20 {
			t.Fatalf("bits=%d: Len = %d, want %d", c.bits, l.Len(), 1<<20)
		}
		for i := 0; i < l.Len(); i++ {
			got, _ := l.Get(i)
			if got != c.set[i] {
				t.Fatalf("bits=%d: status[%d] = %d, want %d", c.bits, i, got, c.set[i])
			}
		}
	}
}

func TestRoundTripEveryBitSize(t *testing.T) {
	t.Parallel()
	for _, bits := range []int{1, 2, 4, 8} {
		const size = 1000
		l, err := New(size, bits)
		if err != nil {
			t.Fatal(err)
		}
		max := 1<<bits - 1
		for i := 0; i < size; i++ {
			if err := l.Set(i, Status((i*7+3)%(max+1))); err != nil {
				t.Fatal(err)
			}
		}
		lst, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(lst, "=+/") {
			t.Fatalf("bits=%d: lst %q is not unpadded base64url", bits, lst)
		}
		got, err := Decode(bits, lst)
		if err != nil {
			t.Fatalf("bits=%d: %v", bits, err)
		}
		if got.Len() < size {
			t.Fatalf("bits=%d: Len = %d < %d", bits, got.Len(), size)
		}
		for i := 0; i < size; i++ {
			s, _ := got.Get(i)
			if want := Status((i*7 + 3) % (max + 1)); s != want {
				t.Fatalf("bits=%d: status[%d] = %d, want %d", bits, i, s, want)
			}
		}
	}
}

func TestSetDoesNotDisturbNeighbours(t *testing.T) {
	t.Parallel()
	l, _ := New(4, 2)
	_ = l.Set(1, Suspended)
	_ = l.Set(2, Invalid)
	_ = l.Set(1, Valid)
	want := []Status{Valid, Valid, Invalid, Valid}
	for i, w := range want {
		if got, _ := l.Get(i); got != w {
			t.Errorf("status[%d] = %d, want %d", i, got, w)
		}
	}
}

func TestBounds(t *testing.T) {
	t.Parallel()
	l, err := New(10, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, idx := range []int{-1, 10, 11, 1 << 30} {
		if _, err := l.Get(idx); !errors.Is(err, ErrIndexOutOfRange) {
			t.Errorf("Get(%d) err = %v, want ErrIndexOutOfRange", idx, err)
		}
		if err := l.Set(idx, Invalid); !errors.Is(err, ErrIndexOutOfRange) {
			t.Errorf("Set(%d) err = %v, want ErrIndexOutOfRange", idx, err)
		}
	}
	if err := l.Set(0, 4); !errors.Is(err, ErrStatusTooWide) {
		t.Errorf("Set(0, 4) on 2 bits err = %v, want ErrStatusTooWide", err)
	}
	for _, bits := range []int{0, 3, 5, 16} {
		if _, err := New(8, bits); !errors.Is(err, ErrInvalidBits) {
			t.Errorf("New(bits=%d) err = %v, want ErrInvalidBits", bits, err)
		}
		if _, err := Decode(bits, "eNrbuRgAAhcBXQ"); !errors.Is(err, ErrInvalidBits) {
			t.Errorf("Decode(bits=%d) err = %v, want ErrInvalidBits", bits, err)
		}
	}
	if _, err := New(0, 1); err == nil {
		t.Error("New(0, 1) succeeded")
	}
}

func zlibLst(t *testing.T, data []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

func TestDecodeRejectsMalformed(t *testing.T) {
	t.Parallel()
	valid := "eNrbuRgAAhcBXQ"
	raw, _ := base64.RawURLEncoding.DecodeString(valid)
	badSum := bytes.Clone(raw)
	badSum[len(badSum)-1] ^= 0xff
	var rawDeflate bytes.Buffer // DEFLATE without the ZLIB wrapper
	fw, _ := flate.NewWriter(&rawDeflate, flate.BestCompression)
	_, _ = fw.Write([]byte{0xb9, 0xa3})
	_ = fw.Close()
	cases := map[string]string{
		"empty":             "",
		"padding":           valid + "==",
		"std alphabet":      "eNrbuRgAAhcBXQ+/",
		"line break":        "eNrbuRgA\nAhcBXQ",
		"not zlib":          base64.RawURLEncoding.EncodeToString([]byte("hello world")),
		"bad checksum":      base64.RawURLEncoding.EncodeToString(badSum),
		"truncated":         base64.RawURLEncoding.EncodeToString(raw[:len(raw)-3]),
		"trailing bytes":    base64.RawURLEncoding.EncodeToString(append(bytes.Clone(raw), 0)),
		"empty list":        zlibLst(t, nil),
		"raw deflate":       base64.RawURLEncoding.EncodeToString(rawDeflate.Bytes()),
		"gzip magic":        base64.RawURLEncoding.EncodeToString([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}),
		"non-zero tail":     "eNrbuRgAAhcBXR",
		"not base64 at all": "!!!",
	}
	for name, lst := range cases {
		if _, err := Decode(1, lst); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func TestDecodeRejectsZipBomb(t *testing.T) {
	t.Parallel()
	bomb := zlibLst(t, make([]byte, MaxDecodedBytes+1))
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb unexpectedly large: %d bytes", len(bomb))
	}
	if _, err := Decode(1, bomb); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if _, err := Decode(1, zlibLst(t, make([]byte, MaxDecodedBytes))); err != nil {
		t.Fatalf("list of exactly MaxDecodedBytes rejected: %v", err)
	}
}
