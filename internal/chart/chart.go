package chart

import (
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Point is one labelled value, such as a month and its count.
type Point struct {
	Label string
	Value int64
}

// Series is one named set of points. Series are matched by point label; a
// label missing from a series is drawn as missing, not as zero.
type Series struct {
	Name   string
	Points []Point
}

// Options size and annotate a chart. Zero sizes take defaults.
type Options struct {
	Width, Height int
	ValueSuffix   string // appended to value labels, e.g. "명" or " people"
	// Horizontal draws Bar charts with bars running left to right, which
	// suits long category names such as district names. Bar also chooses
	// it when labels would not fit over and under vertical bars.
	Horizontal bool
	// EmptyText is shown when there are no points. It is user-visible, so
	// callers pass the localized "no data" message.
	EmptyText string
}

const (
	defaultWidth  = 640
	defaultHeight = 360
	// fontSize is in SVG user units, which equal CSS pixels at the default
	// size; 14 stays legible when the chart is scaled down to a narrow
	// column and doubles cleanly at 200% zoom.
	fontSize = 14
	pad      = 8
	ink      = "#1a1a1a" // 17:1 on white
	gridInk  = "#c4c4c4" // decorative; the tick labels carry the values
	axisInk  = "#595959" // 7:1, for the zero line
)

// palette holds series colours, each at least 4.5:1 against white (checked
// by TestPaletteContrast), in an order that keeps neighbours distinct for
// the common kinds of colour blindness.
var palette = []string{"#1f5fa8", "#b3410e", "#1d7a3a", "#7a3ea0", "#a0234f", "#00707a"}

// chart is the data shared by both chart kinds, with series aligned on a
// common list of categories.
type chart struct {
	id       string
	w, h     int
	opt      Options
	cats     []string
	names    []string
	vals     [][]int64 // [series][category]
	has      [][]bool
	min, max int64
	any      bool
}

func newChart(title, desc string, s []Series, opt Options) *chart {
	c := &chart{w: opt.Width, h: opt.Height, opt: opt}
	if c.w <= 0 {
		c.w = defaultWidth
	}
	if c.h <= 0 {
		c.h = defaultHeight
	}
	index := map[string]int{}
	for _, sr := range s {
		for _, p := range sr.Points {
			if _, ok := index[p.Label]; !ok {
				index[p.Label] = len(c.cats)
				c.cats = append(c.cats, p.Label)
			}
		}
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%q %q %d %d", title, desc, c.w, c.h)
	for _, sr := range s {
		vals := make([]int64, len(c.cats))
		has := make([]bool, len(c.cats))
		fmt.Fprintf(h, "|%q", sr.Name)
		for _, p := range sr.Points {
			fmt.Fprintf(h, " %q=%d", p.Label, p.Value)
			i := index[p.Label]
			vals[i], has[i] = p.Value, true
			if !c.any || p.Value < c.min {
				c.min = p.Value
			}
			if !c.any || p.Value > c.max {
				c.max = p.Value
			}
			c.any = true
		}
		c.names = append(c.names, sr.Name)
		c.vals = append(c.vals, vals)
		c.has = append(c.has, has)
	}
	// The id is derived from the content so output is reproducible and
	// several charts on one page do not share title, desc or pattern ids.
	c.id = fmt.Sprintf("chart-%x", h.Sum64())
	return c
}

// open starts the SVG with its accessible name and description.
func (c *chart) open(b *strings.Builder, title, desc string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="%[1]s-t %[1]s-d" width="%[2]d" height="%[3]d" viewBox="0 0 %[2]d %[3]d" class="chart" font-family="sans-serif" font-size="%[4]d">`,
		c.id, c.w, c.h, fontSize)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, c.id, esc(title), c.id, esc(desc))
	// An explicit white ground keeps the contrast promised above even on a
	// dark or high-contrast page.
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="#fff"/>`, c.w, c.h)
}

func (c *chart) empty(b *strings.Builder, x, y float64) {
	if !c.any && c.opt.EmptyText != "" {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(x), num(y), ink, esc(c.opt.EmptyText))
	}
}

// ticks are sc's ticks, or only the zero line when there is no data, so
// an empty chart does not show an invented scale.
func (c *chart) ticks(sc scale) []float64 {
	if !c.any {
		return []float64{0}
	}
	return sc.ticks()
}

// legend lays out the legend (for several series) in rows across the
// width and returns the vertical space it needs; draw, if set, is called
// with each entry's position.
func (c *chart) legend(draw func(i int, x, y float64)) float64 {
	if len(c.names) < 2 {
		return 0
	}
	const swatch, rowH = 18, fontSize + 12
	x, y := float64(pad), float64(pad)
	for i, name := range c.names {
		w := swatch + 6 + textWidth(name) + 16
		if x+w > float64(c.w-pad) && x > pad {
			x, y = pad, y+rowH
		}
		if draw != nil {
			draw(i, x, y)
		}
		x += w
	}
	return y + rowH
}

func (c *chart) legendLabel(b *strings.Builder, i int, x, y float64) {
	fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s">%s</text>`, num(x+24), num(y+fontSize), ink, esc(c.names[i]))
}

// valueText formats v with thousands separators, as both Korean and
// English readers expect.
func (c *chart) valueText(v int64) string {
	return c.group(strconv.FormatInt(v, 10))
}

// tickText is valueText for axis ticks, which may lie beyond the int64
// range when the data come close to it.
func (c *chart) tickText(t float64) string {
	return c.group(strconv.FormatFloat(t, 'f', 0, 64))
}

func (c *chart) group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out) + c.opt.ValueSuffix
	}
	return string(out) + c.opt.ValueSuffix
}

// maxValueWidth is the room the widest value label needs.
func (c *chart) maxValueWidth() float64 {
	return math.Max(textWidth(c.valueText(c.min)), textWidth(c.valueText(c.max)))
}

func (c *chart) maxCatWidth() float64 {
	w := 0.0
	for _, l := range c.cats {
		w = math.Max(w, textWidth(l))
	}
	return w
}

// textWidth estimates rendered width: there is no font metrics on the
// server, and Hangul and Han are about twice as wide as Latin letters.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			w += fontSize
		} else {
			w += 0.62 * fontSize
		}
	}
	return w
}

// fit shortens s with an ellipsis to about maxW, for labels that would run
// into the plot. The full text belongs in the accompanying table.
func fit(s string, maxW float64) string {
	if textWidth(s) <= maxW {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && textWidth(string(r))+textWidth("…") > maxW {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// esc escapes for XML text and attributes alike; unlike html.EscapeString
// it also replaces characters XML forbids, which would make the SVG
// unparseable.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// num formats a coordinate compactly; hundredths of a pixel are invisible.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func colour(i int) string { return palette[i%len(palette)] }
