package browser_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/practice"
)

// TestBrowserTogglesLoseNothing presses large text, high contrast and the language
// switch by keyboard on each kind of page — an emulator mid-task in each
// mode, a places search with its results, filtered courses, a half-filled
// form — and compares the page before and after: the same address with its
// query (so the emulator's signed state and mode), the same screen, the
// same results, and what was typed still there.
func TestBrowserTogglesLoseNothing(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	ta.WithPlaces(t)
	base := ta.Server.URL
	all, err := practice.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s := all[0]

	type state struct{ path, title, marker string }
	read := func(selector, marker string) state {
		t.Helper()
		u, err := url.Parse(b.Location(t))
		if err != nil {
			t.Fatal(err)
		}
		m, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[string](`(() => { const e = document.querySelector(`+jsString(marker)+`); return e ? (e.value !== undefined && e.tagName !== 'BUTTON' ? e.value : e.innerText.trim()) : ''; })()`))
		if err != nil {
			t.Fatal(err)
		}
		return state{path: u.RequestURI(), title: b.Text(t, selector), marker: m}
	}
	// press presses a display setting by keyboard, Tabbing from the top of
	// the header as a person would after finding the page's settings.
	press := func(value string) {
		t.Helper()
		before, _ := chromedp.Run(b.Ctx(), chromedp.Evaluate[string](`document.querySelector('button[name=toggle][value=`+value+`]').getAttribute('aria-pressed')`))
		want := "true"
		if before == "true" {
			want = "false"
		}
		if _, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[bool](`(document.querySelector('.site-name').focus(), true)`)); err != nil {
			t.Fatal(err)
		}
		b.TabToToggle(t, value, 10)
		b.Press(t, "Enter")
		waitFor(t, b, `button[name=toggle][value=`+value+`][aria-pressed=`+want+`]`)
	}
	lang := func(to string) {
		t.Helper()
		if _, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[bool](`(document.querySelector('.site-name').focus(), true)`)); err != nil {
			t.Fatal(err)
		}
		b.TabTo(t, `.lang-switch a[lang=`+to+`]`, 10)
		b.PressNavigate(t, "Enter")
	}
	check := func(what string, before state, selector, marker string, sameTitle bool) {
		t.Helper()
		after := read(selector, marker)
		if after.path != before.path {
			t.Errorf("%s: the address changed from %s to %s", what, before.path, after.path)
		}
		if sameTitle && after.title != before.title {
			t.Errorf("%s: the screen changed from %q to %q", what, before.title, after.title)
		}
		if after.marker != before.marker || after.marker == "" && marker != "" {
			t.Errorf("%s: %s was %q, now %q", what, marker, before.marker, after.marker)
		}
	}
	kinds := []struct {
		name, start       string
		advance           string // the button pressed to be mid-task
		selector, marker  string // the page's heading, and what must be kept
		typed, typedField string
	}{
		{name: "guided emulator", start: "/practice/" + s.ID + "/play?mode=guided&task=" + s.Tasks[0].ID + "&at=" + s.Start,
			advance: `.machine-buttons button.next`, selector: "#screen-title", marker: `.machine-buttons button.next`},
		{name: "challenge emulator", start: "/practice/" + s.ID + "/play?mode=challenge&task=" + s.Tasks[0].ID + "&at=" + s.Start,
			advance: `.machine-buttons button`, selector: "#screen-title", marker: `input[name=mode]`},
		{name: "free emulator", start: "/practice/" + s.ID + "/play?mode=free&at=" + s.Start,
			advance: `.machine-buttons button`, selector: "#screen-title", marker: `input[name=mode]`},
		{name: "places search with its results", start: "/places?near=" + url.QueryEscape("해운대구 우1동") + "&category=senior&pace=senior",
			selector: "#results-h", marker: `.places-results li:first-child h3`},
		{name: "courses filtered", start: "/courses?theme=ai&level=beginner", selector: "h1", marker: `#f-theme`},
		{name: "half-filled form", start: "/help/guide", selector: "h1", marker: "#f-phone", typed: "010-5555-1234", typedField: "#f-phone"},
	}
	b.Visit(t, base+"/lang/ko?next=/")
	for _, k := range kinds {
		b.Visit(t, base+k.start)
		if k.advance != "" {
			b.TabTo(t, k.advance, 60)
			b.PressNavigate(t, "Enter")
		}
		if k.typed != "" {
			b.TabTo(t, k.typedField, 60)
			b.Type(t, k.typed)
		}
		before := read(k.selector, k.marker)
		if k.marker != "" && before.marker == "" {
			t.Fatalf("%s: nothing at %s to keep on %s", k.name, k.marker, before.path)
		}
		press("text")
		check(k.name+", large text", before, k.selector, k.marker, true)
		press("contrast")
		check(k.name+", high contrast", before, k.selector, k.marker, true)
		lang("en")
		// The heading is now in English; the place, the mode and what was
		// typed are the same.
		after := read(k.selector, k.marker)
		if after.path != before.path {
			t.Errorf("%s, English: the address changed from %s to %s", k.name, before.path, after.path)
		}
		if k.typed != "" && after.marker != k.typed {
			t.Errorf("%s, English: typed %q, now %q", k.name, k.typed, after.marker)
		}
		if strings.HasPrefix(k.name, "guided") && after.marker == "" {
			t.Errorf("guided emulator, English: no longer guided")
		}
		b.Axe(t)
		lang("ko")
		press("text")
		press("contrast")
	}
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
