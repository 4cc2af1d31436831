package chart

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// node is a generic XML element tree.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) float(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

// find returns all descendants named tag whose class contains class.
func (n node) find(tag, class string) []node {
	var out []node
	for _, c := range n.Nodes {
		if c.XMLName.Local == tag && (class == "" || strings.Contains(" "+c.attr("class")+" ", " "+class+" ")) {
			out = append(out, c)
		}
		out = append(out, c.find(tag, class)...)
	}
	return out
}

func parse(t *testing.T, h template.HTML) node {
	t.Helper()
	s := string(h)
	for _, bad := range []string{"NaN", "Inf"} {
		if strings.Contains(s, bad) {
			t.Fatalf("output contains %s:\n%s", bad, s)
		}
	}
	var root node
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, s)
	}
	if root.XMLName.Local != "svg" || root.attr("role") != "img" {
		t.Fatalf("root is <%s role=%q>, want <svg role=img>", root.XMLName.Local, root.attr("role"))
	}
	// aria-labelledby must point at the title and desc of this chart.
	ids := strings.Fields(root.attr("aria-labelledby"))
	if len(ids) != 2 {
		t.Fatalf("aria-labelledby = %q", root.attr("aria-labelledby"))
	}
	for i, tag := range []string{"title", "desc"} {
		els := root.find(tag, "")
		if len(els) != 1 || els[0].attr("id") != ids[i] {
			t.Errorf("<%s> with id %q not found", tag, ids[i])
		}
	}
	return root
}

func months(vals ...int64) []Point {
	p := make([]Point, len(vals))
	for i, v := range vals {
		p[i] = Point{Label: fmt.Sprintf("%d월", i+1), Value: v}
	}
	return p
}

func allCharts(s []Series, opt Options) map[string]template.HTML {
	h := opt
	h.Horizontal = true
	return map[string]template.HTML{
		"bar":   Bar("t", "d", s, opt),
		"barH":  Bar("t", "d", s, h),
		"line":  Line("t", "d", s, opt),
		"lineH": Line("t", "d", s, h),
	}
}

func TestWellFormed(t *testing.T) {
	t.Parallel()
	cases := map[string][]Series{
		"nil":         nil,
		"no points":   {{Name: "a"}},
		"all zero":    {{Name: "a", Points: months(0, 0, 0)}},
		"one point":   {{Name: "a", Points: months(7)}},
		"negative":    {{Name: "a", Points: months(-5, 12, -300, 40)}},
		"all neg":     {{Name: "a", Points: months(-5, -1)}},
		"huge":        {{Name: "a", Points: months(math.MaxInt64, math.MinInt64)}},
		"many series": {{Name: "a", Points: months(1, 2)}, {Name: "b", Points: months(3)}, {Name: "c"}, {Name: "d", Points: months(0, 9)}, {Name: "e", Points: months(5, 5)}, {Name: "f", Points: months(1, 1)}, {Name: "g", Points: months(8, 1)}},
		"long labels": {{Name: "a", Points: []Point{{"부산광역시 해운대구 우동 주민센터", 3}, {"부산광역시 사하구 다대1동 행정복지센터", 12}}}},
		"control":     {{Name: "a\x00b\x1b", Points: []Point{{"\x01\uFFFE", 1}}}},
	}
	for name, s := range cases {
		for kind, h := range allCharts(s, Options{ValueSuffix: "명", EmptyText: "데이터 없음"}) {
			t.Run(name+"/"+kind, func(t *testing.T) { parse(t, h) })
		}
	}
}

func TestEscaping(t *testing.T) {
	t.Parallel()
	evil := `<script>alert("x&y")</script>`
	s := []Series{{Name: evil, Points: []Point{{evil, 3}, {"b", 4}}}, {Name: "ok", Points: []Point{{"b", 1}}}}
	for kind, h := range allCharts(s, Options{ValueSuffix: evil}) {
		if strings.Contains(string(h), "<script") {
			t.Errorf("%s: unescaped <script>", kind)
		}
		root := parse(t, h)
		found := false
		for _, el := range root.find("text", "") {
			if el.Text == evil {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: label text not preserved after unescaping", kind)
		}
	}
	h := Bar(evil, evil, nil, Options{})
	root := parse(t, h)
	if root.find("title", "")[0].Text != evil || root.find("desc", "")[0].Text != evil {
		t.Error("title/desc not preserved")
	}
}

func TestVerticalBarsProportional(t *testing.T) {
	t.Parallel()
	vals := []int64{120, 45, 0, 310, 7}
	root := parse(t, Bar("t", "d", []Series{{Name: "신청", Points: months(vals...)}}, Options{}))
	bars := root.find("rect", "bar")
	if len(bars) != len(vals) {
		t.Fatalf("%d bars, want %d", len(bars), len(vals))
	}
	base := bars[0].float(t, "y") + bars[0].float(t, "height")
	perUnit := bars[3].float(t, "height") / 310
	for i, b := range bars {
		if got := b.float(t, "y") + b.float(t, "height"); math.Abs(got-base) > 0.02 {
			t.Errorf("bar %d ends at %v, others at %v", i, got, base)
		}
		if want := float64(vals[i]) * perUnit; math.Abs(b.float(t, "height")-want) > 0.02 {
			t.Errorf("bar %d height %v, want %v for value %d", i, b.float(t, "height"), want, vals[i])
		}
	}
	values := root.find("text", "value")
	if len(values) != len(vals) || values[3].Text != "310명" && values[3].Text != "310" {
		t.Errorf("value labels %v", values)
	}
}

func TestHorizontalBarsProportionalWithNegatives(t *testing.T) {
	t.Parallel()
	vals := []int64{1500, -300, 2250}
	root := parse(t, Bar("t", "d", []Series{{Points: months(vals...)}}, Options{Horizontal: true, ValueSuffix: "건"}))
	bars := root.find("rect", "bar")
	if len(bars) != 3 {
		t.Fatalf("%d bars", len(bars))
	}
	zero := bars[0].float(t, "x")
	perUnit := bars[0].float(t, "width") / 1500
	if got := bars[1].float(t, "x") + bars[1].float(t, "width"); math.Abs(got-zero) > 0.02 {
		t.Errorf("negative bar ends at %v, want zero line %v", got, zero)
	}
	for i, b := range bars {
		if want := math.Abs(float64(vals[i])) * perUnit; math.Abs(b.float(t, "width")-want) > 0.02 {
			t.Errorf("bar %d width %v, want %v", i, b.float(t, "width"), want)
		}
	}
	var got []string
	for _, v := range root.find("text", "value") {
		got = append(got, v.Text)
	}
	if strings.Join(got, " ") != "1,500건 -300건 2,250건" {
		t.Errorf("value labels %q", got)
	}
	w := root.float(t, "width")
	for _, v := range root.find("text", "value") {
		if x := v.float(t, "x"); x < 0 || x+textWidth(v.Text) > w {
			t.Errorf("value label %q at x=%v runs off a %v-wide chart", v.Text, x, w)
		}
	}
}

func TestHorizontalGrowsForManyBars(t *testing.T) {
	t.Parallel()
	var p []Point
	for i := range 30 {
		p = append(p, Point{fmt.Sprintf("구 %d", i), int64(i)})
	}
	root := parse(t, Bar("t", "d", []Series{{Name: "a", Points: p}, {Name: "b", Points: p}}, Options{Horizontal: true}))
	bars := root.find("rect", "bar")
	for _, b := range bars {
		if b.float(t, "height") < fontSize {
			t.Fatalf("bar %v tall, too thin for its %dpx label", b.float(t, "height"), fontSize)
		}
	}
}

func TestSeriesDistinctWithoutColour(t *testing.T) {
	t.Parallel()
	s := []Series{{Name: "2025", Points: months(3, 4)}, {Name: "2026", Points: months(5, 6)}, {Name: "목표", Points: months(1, 1)}}
	root := parse(t, Bar("t", "d", s, Options{}))
	fills := map[string]bool{}
	for i := range s {
		bars := root.find("rect", fmt.Sprintf("s%d", i))
		if len(bars) != 2 {
			t.Fatalf("series %d: %d bars", i, len(bars))
		}
		fills[bars[0].attr("fill")] = true
		if f := bars[0].attr("fill"); i > 0 {
			id := strings.TrimSuffix(strings.TrimPrefix(f, "url(#"), ")")
			ok := false
			for _, p := range root.find("pattern", "") {
				ok = ok || p.attr("id") == id
			}
			if !ok {
				t.Errorf("series %d fill %q is not a defined pattern", i, f)
			}
		}
	}
	if len(fills) != len(s) {
		t.Errorf("fills not distinct: %v", fills)
	}

	root = parse(t, Line("t", "d", s, Options{}))
	styles := map[string]bool{}
	for i := range s {
		l := root.find("path", fmt.Sprintf("line s%d", i))
		pts := root.find("path", fmt.Sprintf("point s%d", i))
		if len(l) != 1 || len(pts) != 2 {
			t.Fatalf("series %d: %d lines, %d points", i, len(l), len(pts))
		}
		// Compare marker shapes by their commands only, not positions.
		shape := strings.Map(func(r rune) rune {
			if strings.ContainsRune("MmLlHhVvAaZz", r) {
				return r
			}
			return -1
		}, pts[0].attr("d"))
		styles[l[0].attr("stroke-dasharray")+"|"+shape] = true
	}
	if len(styles) != len(s) {
		t.Errorf("line styles not distinct: %v", styles)
	}
}

func TestLineGapsAndLabels(t *testing.T) {
	t.Parallel()
	a := Series{Name: "a", Points: []Point{{"1월", 5}, {"2월", 6}, {"3월", 7}, {"4월", 8}}}
	b := Series{Name: "b", Points: []Point{{"1월", 1}, {"3월", 2}, {"4월", 3}}}
	root := parse(t, Line("t", "d", []Series{a, b}, Options{}))
	d := root.find("path", "line s1")[0].attr("d")
	if strings.Count(d, "M") != 2 || strings.Count(d, "L") != 1 {
		t.Errorf("series with a missing month should be two segments, got %q", d)
	}
	if n := len(root.find("text", "value")); n != 0 {
		t.Errorf("%d value labels on a multi-series line chart", n)
	}
	root = parse(t, Line("t", "d", []Series{a}, Options{ValueSuffix: "명"}))
	if n := len(root.find("text", "value")); n != 4 {
		t.Errorf("%d value labels on a single-series line chart, want 4", n)
	}
}

func TestLineThinsCrowdedLabels(t *testing.T) {
	t.Parallel()
	var p []Point
	for i := range 36 {
		p = append(p, Point{fmt.Sprintf("%d년 %d월", 2024+i/12, i%12+1), int64(i * 1000)})
	}
	root := parse(t, Line("t", "d", []Series{{Points: p}}, Options{Width: 480}))
	cats := root.find("text", "cat")
	if len(cats) >= 36 || len(cats) < 2 {
		t.Fatalf("%d category labels for 36 points in 480px", len(cats))
	}
	for i := 1; i < len(cats); i++ {
		gap := cats[i].float(t, "x") - cats[i-1].float(t, "x")
		if gap < textWidth(cats[i].Text) {
			t.Errorf("labels %q and %q overlap (gap %v)", cats[i-1].Text, cats[i].Text, gap)
		}
	}
}

func TestEmpty(t *testing.T) {
	t.Parallel()
	for kind, h := range allCharts(nil, Options{EmptyText: "데이터 없음"}) {
		root := parse(t, h)
		if len(root.find("rect", "bar")) != 0 || len(root.find("path", "line")) != 0 {
			t.Errorf("%s: marks drawn for no data", kind)
		}
		found := false
		for _, el := range root.find("text", "") {
			found = found || el.Text == "데이터 없음"
		}
		if !found {
			t.Errorf("%s: empty text not shown", kind)
		}
	}
	// Zero values are data, not absence: bars of zero length with labels.
	root := parse(t, Bar("t", "d", []Series{{Points: months(0, 0)}}, Options{EmptyText: "데이터 없음"}))
	bars := root.find("rect", "bar")
	if len(bars) != 2 || bars[0].float(t, "height") != 0 {
		t.Errorf("zero data: bars %v", bars)
	}
	if strings.Contains(string(Bar("t", "d", []Series{{Points: months(0)}}, Options{EmptyText: "데이터 없음"})), "데이터 없음") {
		t.Error("zero value reported as no data")
	}
}

func TestIDsDifferPerChart(t *testing.T) {
	t.Parallel()
	a := parse(t, Bar("A", "d", []Series{{Points: months(1)}}, Options{}))
	b := parse(t, Bar("B", "d", []Series{{Points: months(1)}}, Options{}))
	if a.attr("aria-labelledby") == b.attr("aria-labelledby") {
		t.Error("two different charts share ids")
	}
	again := parse(t, Bar("A", "d", []Series{{Points: months(1)}}, Options{}))
	if a.attr("aria-labelledby") != again.attr("aria-labelledby") {
		t.Error("ids are not reproducible")
	}
}

func TestNiceScale(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		min, max     int64
		lo, hi, step float64
	}{
		{0, 0, 0, 1, 1},
		{0, 1, 0, 1, 1},
		{0, 7, 0, 8, 2},
		{0, 87, 0, 100, 20},
		{3, 87, 0, 100, 20},
		{0, 100, 0, 100, 20},
		{0, 1234, 0, 1500, 500},
		{-40, 95, -50, 100, 50},
		{-7, -2, -8, 0, 2},
		{0, 2_000_000, 0, 2_000_000, 500_000},
	} {
		s := niceScale(c.min, c.max)
		if s.lo != c.lo || s.hi != c.hi || s.step != c.step {
			t.Errorf("niceScale(%d, %d) = %v..%v step %v, want %v..%v step %v", c.min, c.max, s.lo, s.hi, s.step, c.lo, c.hi, c.step)
		}
	}
}

func TestNiceScaleProperties(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		a, b := r.Int64N(2_000_000)-1_000_000, r.Int64N(1<<40)
		if r.IntN(2) == 0 {
			b = r.Int64N(100)
		}
		lo, hi := min(a, b), max(a, b)
		s := niceScale(lo, hi)
		ticks := s.ticks()
		mant := s.step / math.Pow(10, math.Floor(math.Log10(s.step)))
		if mant != 1 && mant != 2 && mant != 5 {
			t.Fatalf("(%d,%d): step %v is not 1, 2 or 5 × 10^k", lo, hi, s.step)
		}
		if s.lo > float64(min(lo, 0)) || s.hi < float64(max(hi, 0)) {
			t.Fatalf("(%d,%d): axis %v..%v does not cover data and zero", lo, hi, s.lo, s.hi)
		}
		if n := len(ticks); n < 2 || n > targetTicks+2 {
			t.Fatalf("(%d,%d): %d ticks", lo, hi, n)
		}
		for _, tk := range ticks {
			if tk != math.Trunc(tk) || math.Mod(tk, s.step) != 0 {
				t.Fatalf("(%d,%d): tick %v not a whole multiple of %v", lo, hi, tk, s.step)
			}
		}
		if ticks[0] != s.lo || ticks[len(ticks)-1] != s.hi {
			t.Fatalf("(%d,%d): ticks %v do not span %v..%v", lo, hi, ticks, s.lo, s.hi)
		}
	}
}

// contrast is the WCAG 2.2 contrast ratio of a #rrggbb colour against white.
func contrast(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("bad colour %q", hex)
	}
	lum := 0.0
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		c := float64(v>>(16-8*i)&0xff) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += w * c
	}
	return 1.05 / (lum + 0.05)
}

func TestPaletteContrast(t *testing.T) {
	t.Parallel()
	for _, c := range append(palette, ink, axisInk) {
		if r := contrast(t, c); r < 4.5 {
			t.Errorf("%s has contrast %.2f:1 on white, want >= 4.5", c, r)
		}
	}
	if r := contrast(t, "#777777"); r >= 4.5 {
		t.Errorf("contrast check accepts #777 (%.2f)", r)
	}
}

func TestValueText(t *testing.T) {
	t.Parallel()
	c := &chart{opt: Options{ValueSuffix: "명"}}
	for v, want := range map[int64]string{0: "0명", 999: "999명", 1000: "1,000명", -1234567: "-1,234,567명", math.MinInt64: "-9,223,372,036,854,775,808명"} {
		if got := c.valueText(v); got != want {
			t.Errorf("valueText(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestValueLabelsMatchData(t *testing.T) {
	t.Parallel()
	s := []Series{{Name: "2025년", Points: months(120, 3400, -90)}, {Name: "2026년", Points: months(150, 0)}}
	for name, opt := range map[string]Options{
		"vertical":   {ValueSuffix: "명"},
		"narrow":     {ValueSuffix: "명", Width: 300},
		"horizontal": {ValueSuffix: "명", Horizontal: true},
	} {
		root := parse(t, Bar("t", "d", s, opt))
		var got []string
		for _, v := range root.find("text", "value") {
			got = append(got, v.Text)
			if v.attr("fill") != ink {
				t.Errorf("%s: value label %q fill %q, want %s", name, v.Text, v.attr("fill"), ink)
			}
		}
		// Labels are emitted per category, then per series.
		order := []string{"120명", "150명", "3,400명", "0명", "-90명"}
		if strings.Join(got, " ") != strings.Join(order, " ") {
			t.Errorf("%s: value labels %q, want %q", name, got, order)
		}
	}
}

func TestVerticalFallsBackToHorizontal(t *testing.T) {
	t.Parallel()
	orientation := func(h template.HTML) string {
		root := parse(t, h)
		bars := root.find("rect", "bar")
		// Vertical bars share a width; horizontal ones share a height.
		if bars[0].attr("width") == bars[1].attr("width") {
			return "vertical"
		}
		return "horizontal"
	}
	short := []Series{{Points: months(3, 40)}}
	long := []Series{{Points: []Point{{"해운대구 우동 주민센터", 3}, {"사하구 다대1동", 40}, {"부산진구", 7}, {"수영구", 9}}}}
	if o := orientation(Bar("t", "d", short, Options{})); o != "vertical" {
		t.Errorf("short labels drawn %s", o)
	}
	if o := orientation(Bar("t", "d", long, Options{})); o != "horizontal" {
		t.Errorf("labels too long for columns drawn %s", o)
	}
	if o := orientation(Bar("t", "d", short, Options{Width: 120, ValueSuffix: " participants"})); o != "horizontal" {
		t.Errorf("value labels wider than bars drawn %s", o)
	}
}
