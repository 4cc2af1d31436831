package qr

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

const ticket = "https://maeul.busan.kr/t/8F3K-2Q9Z?lang=ko"

// reference returns the library's own module matrix, independent of encode.
func reference(t *testing.T, content string) [][]bool {
	t.Helper()
	bc, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	n := bc.Bounds().Dx()
	m := make([][]bool, n)
	for y := range m {
		m[y] = make([]bool, n)
		for x := range m[y] {
			r, _, _, _ := bc.At(x, y).RGBA()
			m[y][x] = r == 0
		}
	}
	return m
}

type svgDoc struct {
	Role    string `xml:"role,attr"`
	Label   string `xml:"aria-label,attr"`
	Width   string `xml:"width,attr"`
	ViewBox string `xml:"viewBox,attr"`
	Rects   []struct {
		Width string `xml:"width,attr"`
		Fill  string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D string `xml:"d,attr"`
	} `xml:"path"`
}

func parseSVG(t *testing.T, s string) svgDoc {
	t.Helper()
	var doc svgDoc
	if err := xml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("SVG is not well-formed XML: %v\n%s", err, s)
	}
	return doc
}

// paint fills the cells covered by a path made of "MxyhWv1h-Wz" runs and
// fails on anything else, so a change of path syntax cannot pass silently.
func paint(t *testing.T, d string, size int) [][]bool {
	t.Helper()
	grid := make([][]bool, size)
	for i := range grid {
		grid[i] = make([]bool, size)
	}
	for _, cmd := range strings.Split(strings.TrimSuffix(d, "z"), "z") {
		var x, y, w, back int
		if _, err := fmt.Sscanf(cmd, "M%d %dh%dv1h-%d", &x, &y, &w, &back); err != nil || w != back || w < 1 {
			t.Fatalf("unexpected path command %q (%v)", cmd, err)
		}
		for i := x; i < x+w; i++ {
			if grid[y][i] {
				t.Fatalf("module %d,%d painted twice", i, y)
			}
			grid[y][i] = true
		}
	}
	return grid
}

func TestSVGCoversExactlyDarkModules(t *testing.T) {
	t.Parallel()
	for _, content := range []string{ticket, "부산 마을 행사 입장권 #42", "1234567890"} {
		out, err := SVG(content, 240, "입장 QR 코드")
		if err != nil {
			t.Fatal(err)
		}
		doc := parseSVG(t, string(out))
		ref := reference(t, content)
		total := len(ref) + 2*quietModules
		if doc.ViewBox != "0 0 "+strconv.Itoa(total)+" "+strconv.Itoa(total) {
			t.Errorf("viewBox %q, want %d modules with quiet zone", doc.ViewBox, total)
		}
		if len(doc.Paths) != 1 {
			t.Fatalf("%d paths, want 1", len(doc.Paths))
		}
		if len(doc.Rects) != 1 || doc.Rects[0].Fill != "#fff" || doc.Rects[0].Width != strconv.Itoa(total) {
			t.Errorf("background rect %+v does not cover the quiet zone in white", doc.Rects)
		}
		grid := paint(t, doc.Paths[0].D, total)
		for y := range total {
			for x := range total {
				inZone := x < quietModules || y < quietModules || x >= total-quietModules || y >= total-quietModules
				want := !inZone && ref[y-quietModules][x-quietModules]
				if grid[y][x] != want {
					t.Fatalf("%q: module %d,%d painted=%v, want %v (quiet zone %v)", content, x, y, grid[y][x], want, inZone)
				}
			}
		}
	}
}

func TestSVGAccessibleAndEscaped(t *testing.T) {
	t.Parallel()
	label := `표 <script>alert("x")</script> & 'A'`
	out, err := SVG(ticket, 200, label)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "<script") {
		t.Error("label not escaped")
	}
	doc := parseSVG(t, string(out))
	if doc.Role != "img" || doc.Label != label || doc.Width != "200" {
		t.Errorf("role=%q aria-label=%q width=%q", doc.Role, doc.Label, doc.Width)
	}
	if _, err := SVG(ticket, 200, "  "); !errors.Is(err, ErrLabel) {
		t.Errorf("blank label: err = %v, want ErrLabel", err)
	}
}

func TestSizeLimits(t *testing.T) {
	t.Parallel()
	n := len(reference(t, ticket)) + 2*quietModules
	for _, size := range []int{0, n - 1, maxSize + 1} {
		if _, err := SVG(ticket, size, "l"); err == nil {
			t.Errorf("SVG size %d: no error", size)
		}
		if err := PNG(&bytes.Buffer{}, ticket, size); err == nil {
			t.Errorf("PNG size %d: no error", size)
		}
	}
	if _, err := SVG(ticket, n, "l"); err != nil {
		t.Errorf("SVG at minimum size %d: %v", n, err)
	}
}

func TestPNG(t *testing.T) {
	t.Parallel()
	ref := reference(t, ticket)
	for _, size := range []int{len(ref) + 2*quietModules, 256, 301} {
		var b bytes.Buffer
		if err := PNG(&b, ticket, size); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatal(err)
		}
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
			t.Fatalf("PNG is %v, want %dx%d", r, size, size)
		}
		dark := func(x, y int) bool {
			return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128
		}
		scale := size / (len(ref) + 2*quietModules)
		off := (size - scale*len(ref)) / 2
		if off < quietModules*scale {
			t.Fatalf("size %d: quietModules zone %dpx < %d modules of %dpx", size, off, quietModules, scale)
		}
		for y := range size {
			for x := range size {
				mx, my := (x-off)/scale, (y-off)/scale
				want := x >= off && y >= off && mx < len(ref) && my < len(ref) && ref[my][mx]
				if dark(x, y) != want {
					t.Fatalf("size %d: pixel %d,%d dark=%v, want %v", size, x, y, !want, want)
				}
			}
		}
	}
}

// quietModules is the ISO/IEC 18004 minimum, stated here rather than read
// from the package so that shrinking it fails the tests.
const quietModules = 4
