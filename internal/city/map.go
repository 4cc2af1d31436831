package city

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// scale is a 5-step sequential blue scale (ColorBrewer Blues). Its darkest
// step stops short of navy so that the outline keeps at least 4:1 contrast
// against every fill, and its lightest step is not white, which is kept for
// districts without data.
var scale = [5]string{"#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd"}

const (
	outline = "#1a1a1a"
	noData  = "#ffffff"
	// The drawing is 480 units wide and meant to be shown at the width of
	// a phone, so text sizes are chosen to stay legible at about 3/4 scale.
	mapWidth       = 480.0
	margin         = 8.0
	legendRow      = 30.0
	legendSwatch   = 22.0
	legendFontSize = 18
	sourceFontSize = 13
)

// DistrictMapSVG draws a choropleth of values, keyed by district code, as
// an inline SVG image. title names the image for screen readers; because
// role="img" hides the districts' own tooltips from them, the image's
// description repeats every district's value. A district missing from
// values is drawn white with a dashed outline as "no data", which is not
// the same as zero.
func DistrictMapSVG(values map[string]int64, title string, lang string) template.HTML {
	minLon, minLat, maxLon, maxLat := bounds()
	// Equirectangular with longitude shrunk by the cosine of the middle
	// latitude, so that Busan keeps its shape at this latitude.
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	s := (mapWidth - 2*margin) / ((maxLon - minLon) * k)
	mapHeight := (maxLat-minLat)*s + 2*margin
	project := func(pt [2]float64) (x, y float64) {
		return margin + (pt[0]-minLon)*k*s, margin + (maxLat-pt[1])*s
	}

	cls := newClasses(values)
	missing := false
	for _, d := range districtTable {
		if _, ok := values[d.Code]; !ok {
			missing = true
		}
	}
	rows := 0
	if cls.known {
		rows = len(scale)
	}
	if missing {
		rows++
	}
	height := mapHeight + float64(rows)*legendRow + margin + sourceFontSize + margin

	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	b.WriteString(num(mapWidth))
	b.WriteByte(' ')
	b.WriteString(num(height))
	b.WriteString(`" role="img" class="district-map" font-family="sans-serif" fill="#1a1a1a">`)
	b.WriteString(`<title>` + esc(title) + `</title><desc>`)
	for i, d := range districtTable {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(esc(valueLabel(d, values, lang)))
	}
	b.WriteString(`</desc>`)

	// Strokes keep their width however small a phone draws the map.
	b.WriteString(`<g stroke="` + outline + `" stroke-width="1.5" stroke-linejoin="round" fill-rule="evenodd">`)
	for _, d := range districtTable {
		fill, dash := noData, ` stroke-dasharray="4 3"`
		if v, ok := values[d.Code]; ok {
			fill, dash = scale[cls.of(v)], ""
		}
		b.WriteString(`<path vector-effect="non-scaling-stroke" fill="` + fill + `"` + dash + ` d="`)
		for _, p := range boundaries[d.Code] {
			for _, r := range p {
				for i, pt := range r {
					if i == 0 {
						b.WriteByte('M')
					} else {
						b.WriteByte('L')
					}
					x, y := project(pt)
					b.WriteString(num(x) + "," + num(y))
				}
				b.WriteByte('Z')
			}
		}
		b.WriteString(`"><title>` + esc(valueLabel(d, values, lang)) + `</title></path>`)
	}
	b.WriteString(`</g>`)

	y := mapHeight
	legendEntry := func(fill, dash, label string) {
		b.WriteString(`<rect x="` + num(margin) + `" y="` + num(y) + `" width="` + num(legendSwatch) + `" height="` + num(legendSwatch) +
			`" fill="` + fill + `" stroke="` + outline + `"` + dash + `/>`)
		b.WriteString(`<text x="` + num(margin+legendSwatch+10) + `" y="` + num(y+legendSwatch/2) +
			`" dominant-baseline="central" font-size="` + strconv.Itoa(legendFontSize) + `">` + esc(label) + `</text>`)
		y += legendRow
	}
	b.WriteString(`<g class="legend">`)
	if cls.known {
		for i, c := range scale {
			legendEntry(c, "", cls.label(i))
		}
	}
	if missing {
		legendEntry(noData, ` stroke-dasharray="4 3"`, noDataText(lang))
	}
	b.WriteString(`</g>`)

	source := "Boundaries: KOSTAT 2013"
	if lang == "ko" {
		source = "경계: 통계청(KOSTAT) 2013"
	}
	b.WriteString(`<text x="` + num(mapWidth-margin) + `" y="` + num(height-margin) + `" text-anchor="end" font-size="` +
		strconv.Itoa(sourceFontSize) + `">` + esc(source) + `</text></svg>`)
	return template.HTML(b.String())
}

// classes splits the values into len(scale) equal integer intervals from
// zero, or from the smallest value if it is negative, so that a light
// district means few and the legend reads as plain ranges. Arithmetic is
// done in uint64 so that no pair of int64 values overflows.
type classes struct {
	lo    int64
	width uint64
	known bool
}

func newClasses(values map[string]int64) classes {
	var lo, hi int64
	known := false
	for _, d := range districtTable {
		v, ok := values[d.Code]
		if !ok {
			continue
		}
		lo, hi, known = min(lo, v), max(hi, v), true
	}
	span := uint64(hi) - uint64(lo)
	return classes{lo: lo, width: span/uint64(len(scale)) + 1, known: known}
}

func (c classes) of(v int64) int {
	return int((uint64(v) - uint64(c.lo)) / c.width)
}

func (c classes) label(i int) string {
	from := int64(uint64(c.lo) + uint64(i)*c.width)
	if c.width == 1 {
		return formatInt(from)
	}
	return formatInt(from) + "–" + formatInt(int64(uint64(from)+c.width-1))
}

func valueLabel(d District, values map[string]int64, lang string) string {
	v, ok := values[d.Code]
	if !ok {
		return d.Name(lang) + ": " + noDataText(lang)
	}
	return d.Name(lang) + ": " + formatInt(v)
}

func noDataText(lang string) string {
	if lang == "ko" {
		return "자료 없음"
	}
	return "No data"
}

// formatInt groups digits by thousands with commas, as both Korean and
// English readers expect.
func formatInt(v int64) string {
	digits := strconv.FormatInt(v, 10)
	sign := ""
	if digits[0] == '-' {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func num(f float64) string {
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// esc escapes text for XML as well as HTML, so the SVG is valid both
// inline in a page and saved as a file.
func esc(s string) string {
	return template.HTMLEscapeString(s)
}
