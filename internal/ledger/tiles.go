package ledger

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// C2SP tlog-tiles: the tree's hashes in tiles of 256, a tile at level L
// holding the hashes of tree level 8·L; entries in bundles of 256.

// TileWidth is the number of hashes of a full tile, and of entries of a
// full bundle.
const TileWidth = 256

// HashSize is the size of a SHA-256 hash.
const HashSize = 32

// TilePath is the path of a tile below the log's prefix: "tile/L/N" or
// "tile/L/N.p/W" for a partial tile of width W, with L = -1 for the entry
// bundle "tile/entries/N".
func TilePath(level int, index uint64, width int) string {
	l := "entries"
	if level >= 0 {
		l = strconv.Itoa(level)
	}
	p := "tile/" + l + "/" + encodeIndex(index)
	if width < TileWidth {
		p += ".p/" + strconv.Itoa(width)
	}
	return p
}

// encodeIndex writes N in groups of three digits, each but the last
// prefixed by x: 1234067 is x001/x234/067.
func encodeIndex(n uint64) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n /= 1000; n > 0; n /= 1000 {
		s = fmt.Sprintf("x%03d/", n%1000) + s
	}
	return s
}

// ParseTilePath reads what TilePath writes, and nothing else: every other
// spelling of the same tile is refused, so that caches see one name.
func ParseTilePath(p string) (level int, index uint64, width int, err error) {
	bad := func() (int, uint64, int, error) { return 0, 0, 0, errors.New("ledger: not a tile path") }
	rest, ok := strings.CutPrefix(p, "tile/")
	if !ok {
		return bad()
	}
	l, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return bad()
	}
	if l == "entries" {
		level = -1
	} else {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 || n > 63 || strconv.Itoa(n) != l {
			return bad()
		}
		level = n
	}
	width = TileWidth
	if i := strings.Index(rest, ".p/"); i >= 0 {
		w, err := strconv.Atoi(rest[i+3:])
		if err != nil || w < 1 || w >= TileWidth || strconv.Itoa(w) != rest[i+3:] {
			return bad()
		}
		width, rest = w, rest[:i]
	}
	groups := strings.Split(rest, "/")
	for i, g := range groups {
		last := i == len(groups)-1
		if !last {
			g, ok = strings.CutPrefix(g, "x")
			if !ok {
				return bad()
			}
		}
		if len(g) != 3 || strings.Trim(g, "0123456789") != "" {
			return bad()
		}
		d, _ := strconv.Atoi(g)
		if index > (1<<64-1-uint64(d))/1000 {
			return bad()
		}
		index = index*1000 + uint64(d)
	}
	if len(groups) > 1 && strings.TrimPrefix(groups[0], "x") == "000" {
		return bad()
	}
	return level, index, width, nil
}

// BundleEntries splits an entry bundle into its entries: each is prefixed
// by its length as a big-endian 16-bit number.
func BundleEntries(b []byte) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 2 {
			return nil, errors.New("ledger: truncated entry bundle")
		}
		n := int(b[0])<<8 | int(b[1])
		if len(b) < 2+n {
			return nil, errors.New("ledger: truncated entry bundle")
		}
		out = append(out, b[2:2+n])
		b = b[2+n:]
	}
	return out, nil
}

// appendBundleEntry adds one entry to a bundle.
func appendBundleEntry(b, entry []byte) []byte {
	return append(append(b, byte(len(entry)>>8), byte(len(entry))), entry...)
}
