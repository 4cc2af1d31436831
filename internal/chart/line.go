package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// dashes and markers tell series apart without colour.
var dashes = []string{"", "9 4", "2 4", "12 4 2 4", "16 5", "5 5"}

func dash(i int) string {
	if d := dashes[i%len(dashes)]; d != "" {
		return ` stroke-dasharray="` + d + `"`
	}
	return ""
}

// marker returns a path for series i's point marker centred on x, y.
func marker(i int, x, y float64) string {
	const r = 4.5
	switch i % 4 {
	case 1: // square
		return fmt.Sprintf("M%s %sh%sv%sh-%sz", num(x-r), num(y-r), num(2*r), num(2*r), num(2*r))
	case 2: // triangle
		return fmt.Sprintf("M%s %sL%s %sH%sz", num(x), num(y-r-1), num(x+r+1), num(y+r), num(x-r-1))
	case 3: // diamond
		return fmt.Sprintf("M%s %sL%s %sL%s %sL%s %sz", num(x), num(y-r-1), num(x+r+1), num(y), num(x), num(y+r+1), num(x-r-1), num(y))
	}
	// circle, as two arcs
	return fmt.Sprintf("M%s %sa%s %s 0 1 0 %s 0a%s %s 0 1 0 -%s 0z", num(x-r), num(y), num(r), num(r), num(2*r), num(r), num(r), num(2*r))
}

// Line renders one line per series across the point labels in order, such
// as a trend per month. A label missing from a series breaks its line
// rather than dropping it to zero. With a single series every point is
// labelled with its value where the labels fit.
func Line(title, desc string, s []Series, opt Options) template.HTML {
	c := newChart(title, desc, s, opt)
	var b strings.Builder
	c.open(&b, title, desc)
	top := c.legend(func(i int, x, y float64) {
		fmt.Fprintf(&b, `<path d="M%s %sh18" stroke="%s" stroke-width="3"%s/>`, num(x), num(y+9), colour(i), dash(i))
		fmt.Fprintf(&b, `<path d="%s" fill="%s"/>`, marker(i, x+9, y+9), colour(i))
		c.legendLabel(&b, i, x, y)
	})
	sc := niceScale(c.min, c.max)

	x0, x1 := pad+c.tickWidth(sc)+6, float64(c.w-pad)
	y0, y1 := top+pad+fontSize+6, float64(c.h)-pad-fontSize-8
	y := func(v float64) float64 { return y1 - sc.frac(v)*(y1-y0) }
	band := (x1 - x0) / float64(max(1, len(c.cats)))
	x := func(ci int) float64 { return x0 + band*(float64(ci)+0.5) }

	for _, t := range c.ticks(sc) {
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`, num(x0), num(x1), num(y(t)), num(y(t)), gridInk)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, num(x0-6), num(y(t)+fontSize*0.35), ink, esc(c.tickText(t)))
	}
	fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, num(x0), num(x1), num(y(0)), num(y(0)), axisInk)

	// Label every k-th category (and value) so text never overlaps, e.g.
	// every third month on a two-year trend in a narrow column.
	widest := c.maxCatWidth()
	if len(c.names) == 1 {
		widest = math.Max(widest, c.maxValueWidth())
	}
	k := max(1, int(math.Ceil((widest+8)/band)))
	for ci, label := range c.cats {
		if ci%k == 0 {
			fmt.Fprintf(&b, `<text class="cat" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(x(ci)), num(y1+fontSize+4), ink, esc(label))
		}
	}

	for si := range c.names {
		var d strings.Builder
		pen := false
		for ci := range c.cats {
			if !c.has[si][ci] {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s", cmd, num(x(ci)), num(y(float64(c.vals[si][ci]))))
			pen = true
		}
		if d.Len() > 0 {
			fmt.Fprintf(&b, `<path class="line s%d" d="%s" fill="none" stroke="%s" stroke-width="3" stroke-linejoin="round"%s/>`,
				si, d.String(), colour(si), dash(si))
		}
		for ci := range c.cats {
			if !c.has[si][ci] {
				continue
			}
			v := c.vals[si][ci]
			fmt.Fprintf(&b, `<path class="point s%d" d="%s" fill="%s"/>`, si, marker(si, x(ci), y(float64(v))), colour(si))
			if len(c.names) == 1 && ci%k == 0 {
				ly := y(float64(v)) - 10
				// Below, unless that would run into the category labels.
				if c.dip(si, ci) && y(float64(v))+fontSize+8 < y1 {
					ly = y(float64(v)) + fontSize + 8
				}
				fmt.Fprintf(&b, `<text class="value" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(x(ci)), num(ly), ink, esc(c.valueText(v)))
			}
		}
	}
	c.empty(&b, (x0+x1)/2, (y0+y1)/2)
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// dip reports whether a point lies below a neighbour and no neighbour lies
// below it; its label goes underneath, where the line is not.
func (c *chart) dip(si, ci int) bool {
	v, lower, higher := c.vals[si][ci], false, false
	for _, n := range []int{ci - 1, ci + 1} {
		if n < 0 || n >= len(c.cats) || !c.has[si][n] {
			continue
		}
		lower = lower || c.vals[si][n] < v
		higher = higher || c.vals[si][n] > v
	}
	return higher && !lower
}
