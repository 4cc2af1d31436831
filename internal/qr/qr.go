package qr

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"io"
	"strconv"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// quiet is the blank margin, in modules, that ISO/IEC 18004 requires around
// the symbol; phone scanners fail noticeably more often without it.
const quiet = 4

// maxSize bounds the image so a bad request cannot allocate gigabytes.
const maxSize = 4096

// ErrLabel reports a missing text alternative: a QR code on a page must say
// what it is for (WCAG 1.1.1).
var ErrLabel = errors.New("qr: empty label")

// matrix is the symbol's modules, true for dark, indexed [y][x].
type matrix [][]bool

// encode uses level M, which survives a creased or partly smudged printout
// while keeping the symbol small enough for short ticket URLs.
func encode(content string, sizePx int) (matrix, error) {
	bc, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr: encode: %w", err)
	}
	n := bc.Bounds().Dx()
	if sizePx < n+2*quiet || sizePx > maxSize {
		return nil, fmt.Errorf("qr: size %dpx outside %d..%d for this content", sizePx, n+2*quiet, maxSize)
	}
	m := make(matrix, n)
	for y := range m {
		m[y] = make([]bool, n)
		for x := range m[y] {
			m[y][x] = color.GrayModel.Convert(bc.At(x, y)).(color.Gray).Y < 128
		}
	}
	return m, nil
}

// SVG returns content as an inline SVG sizePx square, labelled for screen
// readers with label. The modules form a single path of horizontal runs,
// which keeps the markup small and avoids hairline seams between squares.
func SVG(content string, sizePx int, label string) (template.HTML, error) {
	if strings.TrimSpace(label) == "" {
		return "", ErrLabel
	}
	m, err := encode(content, sizePx)
	if err != nil {
		return "", err
	}
	var d strings.Builder
	for y, row := range m {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run
		}
	}
	total := strconv.Itoa(len(m) + 2*quiet)
	size := strconv.Itoa(sizePx)
	// The white rectangle is the quiet zone; it must not be left transparent
	// because the page behind may be dark (high-contrast mode).
	svg := `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="` + html.EscapeString(label) +
		`" width="` + size + `" height="` + size + `" viewBox="0 0 ` + total + ` ` + total +
		`" shape-rendering="crispEdges"><rect width="` + total + `" height="` + total +
		`" fill="#fff"/><path fill="#000" d="` + d.String() + `"/></svg>`
	return template.HTML(svg), nil
}

// PNG writes content as a sizePx square PNG. Modules are a whole number of
// pixels, since blurred module edges are what makes scanners give up; the
// pixels left over widen the quiet zone.
func PNG(w io.Writer, content string, sizePx int) error {
	m, err := encode(content, sizePx)
	if err != nil {
		return err
	}
	n := len(m)
	scale := sizePx / (n + 2*quiet)
	off := (sizePx - scale*n) / 2
	img := image.NewPaletted(image.Rect(0, 0, sizePx, sizePx), color.Palette{color.White, color.Black})
	for y, row := range m {
		for x, dark := range row {
			if !dark {
				continue
			}
			for py := off + y*scale; py < off+(y+1)*scale; py++ {
				for px := off + x*scale; px < off+(x+1)*scale; px++ {
					img.SetColorIndex(px, py, 1)
				}
			}
		}
	}
	return png.Encode(w, img)
}
