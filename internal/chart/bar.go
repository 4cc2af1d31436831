package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// patterns, in white over the series colour, tell series apart for readers
// who cannot tell the colours apart; the first series stays solid.
var patterns = []string{
	``,
	`<path d="M-2 2l4-4M0 8l8-8M6 10l4-4" stroke="#fff" stroke-width="2"/>`,
	`<circle cx="4" cy="4" r="1.7" fill="#fff"/>`,
	`<path d="M0 4h8" stroke="#fff" stroke-width="2"/>`,
	`<path d="M0 0l8 8M8 0l-8 8" stroke="#fff" stroke-width="1.5"/>`,
	`<path d="M4 0v8" stroke="#fff" stroke-width="2"/>`,
}

// barFill is series i's fill: solid for a lone series, where a pattern
// would only add noise.
func (c *chart) barFill(i int) string {
	if len(c.names) < 2 || patterns[i%len(patterns)] == "" {
		return colour(i)
	}
	return fmt.Sprintf("url(#%s-p%d)", c.id, i)
}

func (c *chart) patternDefs(b *strings.Builder) {
	if len(c.names) < 2 {
		return
	}
	b.WriteString("<defs>")
	for i := range c.names {
		if p := patterns[i%len(patterns)]; p != "" {
			fmt.Fprintf(b, `<pattern id="%s-p%d" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="%s"/>%s</pattern>`,
				c.id, i, colour(i), p)
		}
	}
	b.WriteString("</defs>")
}

// Bar renders grouped bars, one group per point label and one bar per
// series, with each value written at the end of its bar. Bars start at zero,
// so negative values extend the other way. title and desc become the
// accessible name and description; desc should state the key figures.
func Bar(title, desc string, s []Series, opt Options) template.HTML {
	c := newChart(title, desc, s, opt)
	top := c.legend(nil)
	sc := niceScale(c.min, c.max)
	horizontal := opt.Horizontal || !c.fitsVertical(sc)
	if horizontal {
		// Grow rather than let bars and their labels overlap.
		need := top + 2*pad + fontSize + 8 + float64(len(c.cats)*max(1, len(c.names)))*(fontSize+6)/0.8
		c.h = max(c.h, int(math.Ceil(need)))
	}
	var b strings.Builder
	c.open(&b, title, desc)
	c.patternDefs(&b)
	c.legend(func(i int, x, y float64) {
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="18" height="18" fill="%s" stroke="%s"/>`, num(x), num(y), c.barFill(i), colour(i))
		c.legendLabel(&b, i, x, y)
	})
	if horizontal {
		c.barsH(&b, sc, top)
	} else {
		c.barsV(&b, sc, top)
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

func (c *chart) tickWidth(sc scale) float64 {
	w := 0.0
	for _, t := range c.ticks(sc) {
		w = math.Max(w, textWidth(c.tickText(t)))
	}
	return w
}

// columns lays out vertical bars: the plot's left and right edges, the
// width of a category and of one bar.
func (c *chart) columns(sc scale) (x0, x1, band, bw float64) {
	x0, x1 = pad+c.tickWidth(sc)+6, float64(c.w-pad)
	band = (x1 - x0) / float64(max(1, len(c.cats)))
	return x0, x1, band, band * 0.8 / float64(max(1, len(c.names)))
}

// fitsVertical reports whether category and value labels fit under and
// over their columns. Turning them sideways is the usual escape, but
// rotated Hangul is hard to read, so Bar switches to horizontal instead.
func (c *chart) fitsVertical(sc scale) bool {
	_, _, band, bw := c.columns(sc)
	return c.maxCatWidth() <= band-4 && c.maxValueWidth() <= bw-2
}

func (c *chart) barsV(b *strings.Builder, sc scale, top float64) {
	x0, x1, band, bw := c.columns(sc)
	// Negative bars carry their labels below, above the category row.
	negRoom := 0.0
	if c.min < 0 {
		negRoom = fontSize + 4
	}
	y0 := top + pad + fontSize + 4
	y1 := float64(c.h) - pad - fontSize - 8 - negRoom
	y := func(v float64) float64 { return y1 - sc.frac(v)*(y1-y0) }

	for _, t := range c.ticks(sc) {
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`, num(x0), num(x1), num(y(t)), num(y(t)), gridInk)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, num(x0-6), num(y(t)+fontSize*0.35), ink, esc(c.tickText(t)))
	}
	fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, num(x0), num(x1), num(y(0)), num(y(0)), axisInk)

	for ci, label := range c.cats {
		for si := range c.names {
			if !c.has[si][ci] {
				continue
			}
			v := c.vals[si][ci]
			bx := x0 + band*float64(ci) + band*0.1 + bw*float64(si)
			yv, yz := y(float64(v)), y(0)
			fmt.Fprintf(b, `<rect class="bar s%d" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s"/>`,
				si, num(bx), num(math.Min(yv, yz)), num(bw), num(math.Abs(yz-yv)), c.barFill(si), colour(si))
			ly := yv - 4
			if v < 0 {
				ly = yv + fontSize + 2
			}
			fmt.Fprintf(b, `<text class="value" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(bx+bw/2), num(ly), ink, esc(c.valueText(v)))
		}
		fmt.Fprintf(b, `<text class="cat" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`,
			num(x0+band*(float64(ci)+0.5)), num(y1+negRoom+fontSize+4), ink, esc(label))
	}
	c.empty(b, (x0+x1)/2, (y0+y1)/2)
}

func (c *chart) barsH(b *strings.Builder, sc scale, top float64) {
	catW := math.Min(c.maxCatWidth(), float64(c.w)*0.35)
	valW := c.maxValueWidth() + 4
	x0, x1 := pad+catW+8, float64(c.w-pad)
	if c.min < 0 {
		x0 += valW
	}
	if c.max > 0 {
		x1 -= valW
	}
	y0, y1 := top+pad, float64(c.h)-pad-fontSize-8
	x := func(v float64) float64 { return x0 + sc.frac(v)*(x1-x0) }

	for _, t := range c.ticks(sc) {
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`, num(x(t)), num(x(t)), num(y0), num(y1), gridInk)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(x(t)), num(y1+fontSize+4), ink, esc(c.tickText(t)))
	}
	fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, num(x(0)), num(x(0)), num(y0), num(y1), axisInk)

	band := (y1 - y0) / float64(max(1, len(c.cats)))
	bh := band * 0.8 / float64(max(1, len(c.names)))
	for ci, label := range c.cats {
		for si := range c.names {
			if !c.has[si][ci] {
				continue
			}
			v := c.vals[si][ci]
			by := y0 + band*float64(ci) + band*0.1 + bh*float64(si)
			xv, xz := x(float64(v)), x(0)
			fmt.Fprintf(b, `<rect class="bar s%d" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s"/>`,
				si, num(math.Min(xv, xz)), num(by), num(math.Abs(xv-xz)), num(bh), c.barFill(si), colour(si))
			lx, anchor := xv+4, "start"
			if v < 0 {
				lx, anchor = xv-4, "end"
			}
			fmt.Fprintf(b, `<text class="value" x="%s" y="%s" text-anchor="%s" fill="%s">%s</text>`,
				num(lx), num(by+bh/2+fontSize*0.35), anchor, ink, esc(c.valueText(v)))
		}
		fmt.Fprintf(b, `<text class="cat" x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`,
			num(pad+catW), num(y0+band*(float64(ci)+0.5)+fontSize*0.35), ink, esc(fit(label, catW)))
	}
	c.empty(b, (x0+x1)/2, (y0+y1)/2)
}
