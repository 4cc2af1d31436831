package guides

import (
	"bytes"
	"errors"
	"testing"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/sheet"
)

// FuzzParseHotspots: whatever a coordinator sends, the parser answers
// with hotspots or with problems that have lines and messages, never a
// panic; and what it accepts, written out and read again, is the same.
// Its seed corpus is testdata/fuzz/FuzzParseHotspots.
func FuzzParseHotspots(f *testing.F) {
	f.Add([]byte(threeSpots))
	f.Fuzz(func(t *testing.T, data []byte) {
		hf, err := ParseHotspots(bytes.NewReader(data))
		if err != nil {
			var se *sheet.Error
			var e *errs.Error
			if !errors.As(err, &se) && !errors.As(err, &e) {
				t.Fatalf("an error that is not a refusal: %v", err)
			}
			if se != nil {
				for _, p := range se.Problems {
					if p.Key == "" || p.Line < 0 {
						t.Fatalf("a problem without a message or line: %+v", p)
					}
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, h := range hf.Hotspots {
			if err := h.validate(); err != nil {
				t.Fatalf("accepted an invalid hotspot %+v: %v", h, err)
			}
			if seen[h.Ref] {
				t.Fatalf("ref %q twice", h.Ref)
			}
			seen[h.Ref] = true
		}
		var buf bytes.Buffer
		if err := WriteHotspots(&buf, hf.Hotspots); err != nil {
			t.Fatal(err)
		}
		again, err := ParseHotspots(&buf)
		if err != nil {
			t.Fatalf("its own export refused: %v\n%s", err, buf.String())
		}
		for i := range hf.Hotspots {
			a, b := hf.Hotspots[i], again.Hotspots[i]
			// The export writes coordinates to the microdegree the store keeps.
			a.At, b.At = Point{float64(micro(a.At.Lat)), float64(micro(a.At.Lon))}, Point{float64(micro(b.At.Lat)), float64(micro(b.At.Lon))}
			if a != b {
				t.Fatalf("read back differently:\n%+v\n%+v", a, b)
			}
		}
	})
}
