package web

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cssBudget is the most CSS one page may load, gzip-compressed (issue 14:
// "CSS under 60 KB compressed per page, fonts excluded"). The @font-face
// rules of vendor/pretendard-gov are CSS and are counted; the font files
// they name are not.
const cssBudget = 60 << 10

// stylesheetLink finds a stylesheet's URL in a template, written plainly
// (href="/static/x.css") or through the asset function
// (href="{{asset "x.css"}}").
var stylesheetLink = regexp.MustCompile(`<link rel="stylesheet" href="(?:/static/([^"?]+)|\{\{asset "([^"]+)"\}\})`)

func linkedStylesheets(t *testing.T, file string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range stylesheetLink.FindAllStringSubmatch(string(b), -1) {
		names = append(names, m[1]+m[2])
	}
	return names
}

func gzipSize(t *testing.T, name string) int {
	t.Helper()
	b, err := staticFS.ReadFile("static/" + name)
	if part, file, ok := strings.Cut(name, "/"); err != nil && ok {
		// A part's own files (web.StaticFiles), under /static/<part>/.
		b, err = os.ReadFile(filepath.Join("..", part, "static", file))
	}
	if err != nil {
		t.Fatalf("a template links %s, which is not an embedded asset: %v", name, err)
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// TestPagesCSSWithinBudget adds up, for each part, the stylesheets every
// page links through the layout and all those any of the part's templates
// (pages and partials) adds in its head: more than any one page of the part
// loads, so no page is over when this total is not.
func TestPagesCSSWithinBudget(t *testing.T) {
	t.Parallel()
	layout := linkedStylesheets(t, "templates/layout.html")
	if !slices.Contains(layout, "app.css") || len(layout) < 3 {
		t.Fatalf("layout.html links %v: want the KRDS tokens, the font's @font-face rules and app.css", layout)
	}
	base := 0
	for _, name := range layout {
		base += gzipSize(t, name)
	}
	t.Logf("%-10s %5.1f KB gzipped: %s", "layout", float64(base)/1024, strings.Join(layout, " "))
	dirs, err := filepath.Glob("../*/templates")
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, "pages/templates")
	checked := 0
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
		var extra []string
		for _, f := range files {
			for _, name := range linkedStylesheets(t, f) {
				if !slices.Contains(layout, name) && !slices.Contains(extra, name) {
					extra = append(extra, name)
				}
			}
		}
		total := base
		for _, name := range extra {
			total += gzipSize(t, name)
		}
		part := filepath.Base(filepath.Dir(dir))
		if len(extra) > 0 {
			t.Logf("%-10s %5.1f KB gzipped: layout + %s", part, float64(total)/1024, strings.Join(extra, " "))
		}
		if total > cssBudget {
			t.Errorf("%s: a page may load %d bytes of CSS gzipped (layout + %v), over the budget of %d", part, total, extra, cssBudget)
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("found the templates of only %d parts: is the test run from internal/web?", checked)
	}
}
