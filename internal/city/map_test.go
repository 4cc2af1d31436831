package city

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

type svgStats struct {
	paths, pathTitles int
	rootRole          string
	rootTitle         string
	texts             []string
}

// parseSVG checks that the map is well-formed XML and counts what a
// screen reader and a sighted reader get from it.
func parseSVG(t *testing.T, svg string) svgStats {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var st svgStats
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element is %v", tok.Name)
				}
				for _, a := range tok.Attr {
					if a.Name.Local == "role" {
						st.rootRole = a.Value
					}
				}
			}
			if tok.Name.Local == "path" {
				st.paths++
			}
			if tok.Name.Local == "title" && len(stack) > 0 && stack[len(stack)-1] == "path" {
				st.pathTitles++
			}
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 2 && stack[1] == "title" {
				st.rootTitle += string(tok)
			}
			if len(stack) > 0 && stack[len(stack)-1] == "text" {
				st.texts = append(st.texts, string(tok))
			}
		}
	}
	return st
}

func TestDistrictMapSVG(t *testing.T) {
	t.Parallel()
	values := map[string]int64{}
	for i, d := range Districts() {
		values[d.Code] = int64(i * 137)
	}
	title := `Learners by district <2025> & "friends"`
	svg := string(DistrictMapSVG(values, title, "en"))
	st := parseSVG(t, svg)
	if st.paths != 16 || st.pathTitles != 16 {
		t.Errorf("got %d paths with %d titles, want 16 each", st.paths, st.pathTitles)
	}
	if st.rootRole != "img" {
		t.Errorf("role = %q, want img", st.rootRole)
	}
	if st.rootTitle != title {
		t.Errorf("title = %q, want %q", st.rootTitle, title)
	}
	for _, want := range []string{"<title>Haeundae-gu: 1,096</title>", "<title>Jung-gu: 0</title>", "Boundaries: KOSTAT 2013"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	// Five legend entries (max 15*137 = 2,055 in steps of 412) and the source.
	wantTexts := []string{"0–411", "412–823", "824–1,235", "1,236–1,647", "1,648–2,059", "Boundaries: KOSTAT 2013"}
	if strings.Join(st.texts, "|") != strings.Join(wantTexts, "|") {
		t.Errorf("texts = %q, want %q", st.texts, wantTexts)
	}
	for _, c := range scale {
		if !strings.Contains(svg, `fill="`+c+`" d=`) {
			t.Errorf("no district drawn in %s", c)
		}
	}
	if strings.Contains(svg, "No data") {
		t.Error("no-data legend shown although every district has a value")
	}
}

func TestDistrictMapSVGKoreanAndMissing(t *testing.T) {
	t.Parallel()
	svg := string(DistrictMapSVG(map[string]int64{"21090": 3}, "구별 수강생", "ko"))
	st := parseSVG(t, svg)
	if st.paths != 16 {
		t.Errorf("got %d paths, want 16", st.paths)
	}
	for _, want := range []string{"<title>해운대구: 3</title>", "<title>중구: 자료 없음</title>", ">자료 없음</text>", "KOSTAT"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if got := strings.Count(svg, `stroke-dasharray`); got != 16 {
		t.Errorf("%d dashed outlines, want 15 districts without data and the legend swatch", got)
	}
}

func TestDistrictMapSVGEmpty(t *testing.T) {
	t.Parallel()
	st := parseSVG(t, string(DistrictMapSVG(nil, "Nothing yet", "en")))
	if st.paths != 16 {
		t.Errorf("got %d paths, want 16", st.paths)
	}
	if want := []string{"No data", "Boundaries: KOSTAT 2013"}; strings.Join(st.texts, "|") != strings.Join(want, "|") {
		t.Errorf("texts = %q, want %q", st.texts, want)
	}
}

func TestClassesExtremes(t *testing.T) {
	t.Parallel()
	c := newClasses(map[string]int64{"21010": -1 << 63, "21020": 1<<63 - 1})
	if c.of(-1<<63) != 0 || c.of(1<<63-1) != len(scale)-1 {
		t.Errorf("extremes fall in classes %d and %d", c.of(-1<<63), c.of(1<<63-1))
	}
	c = newClasses(map[string]int64{"21010": 0, "21020": 4})
	if got := c.label(4); got != "4" {
		t.Errorf("label of a one-value class = %q, want 4", got)
	}
}

func TestFormatInt(t *testing.T) {
	t.Parallel()
	for v, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567", 100000: "100,000"} {
		if got := formatInt(v); got != want {
			t.Errorf("formatInt(%d) = %q, want %q", v, got, want)
		}
	}
}
