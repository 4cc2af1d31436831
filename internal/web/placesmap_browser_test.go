package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/web"
)

// placesMapSite serves the embedded assets and the map's fixture pages behind
// the site's own SecurityHeaders, so the map is tested under the real CSP.
func placesMapSite(t *testing.T) http.Handler {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/placesmap/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	places, zones := read("places.html"), read("choropleth.html")
	// The same page without Leaflet: the script must then leave the page as
	// it is, the list alone.
	bare := []byte(strings.Replace(string(places), `<script src="/static/vendor/leaflet/leaflet.js"></script>`, "", 1))
	if string(bare) == string(places) {
		t.Fatal("places.html no longer includes leaflet.js the way the test removes it")
	}
	// The same page with a basemap, its tiles served by the site itself as
	// the CSP's img-src requires.
	tiled := []byte(strings.Replace(string(places), `"tileURL":"","tileAttribution":""`,
		`"tileURL":"/tiles/{z}/{x}/{y}.png","tileAttribution":"© 시험용 지도"`, 1))
	if string(tiled) == string(places) {
		t.Fatal("places.html no longer has the empty tileURL the test replaces")
	}
	serve := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", web.Static())
	mux.HandleFunc("GET /places", serve(places))
	mux.HandleFunc("GET /zones", serve(zones))
	mux.HandleFunc("GET /places/bare", serve(bare))
	mux.HandleFunc("GET /places/tiled", serve(tiled))
	tile := plainTile(t)
	mux.HandleFunc("GET /tiles/{z}/{x}/{y}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(tile)
	})
	return web.SecurityHeaders(mux)
}

// plainTile is a 256 px raster tile of one light colour.
func plainTile(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{0xf2, 0xef, 0xe9, 0xff}}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pageWatch records what the page tells the console (errors, uncaught
// exceptions, the browser's own log: failed loads, refused CSP) and every
// securitypolicyviolation event.
type pageWatch struct {
	b  *browsertest.Browser
	mu sync.Mutex
	// problems are console errors and warnings, exceptions and browser log
	// entries at warning level or above.
	problems []string
}

// cspProbe runs before any of the page's scripts, so it sees violations from
// the first line on; DevTools-injected scripts are not themselves subject to
// the page's CSP.
const cspProbe = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
	window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});`

func watchPage(t *testing.T, b *browsertest.Browser) *pageWatch {
	t.Helper()
	w := &pageWatch{b: b}
	if _, err := chromedp.Call(b.Ctx(), page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe}); err != nil {
		t.Fatalf("installing the CSP probe: %v", err)
	}
	// Listen rather than Console: Listen sees an event before the command
	// after it returns, so a check right after an action misses nothing.
	err := chromedp.Listen(b.Ctx(), func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeWarning {
				return
			}
			var parts []string
			for _, a := range ev.Args {
				if len(a.Value) > 0 {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			msg = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg = "exception: " + d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level != log.EntryLevelError && ev.Entry.Level != log.EntryLevelWarning {
				return
			}
			msg = fmt.Sprintf("browser log (%s, %s): %s %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
		default:
			return
		}
		w.mu.Lock()
		w.problems = append(w.problems, msg)
		w.mu.Unlock()
	})
	if err != nil {
		t.Fatalf("listening to the console: %v", err)
	}
	return w
}

// take returns and forgets what was recorded: the console since the last
// call, and the CSP violations of the current document.
func (w *pageWatch) take(t *testing.T) (problems, violations []string) {
	t.Helper()
	violations = browsertest.Eval[[]string](t, w.b, `(() => { const v = window.__cspViolations || []; window.__cspViolations = []; return v; })()`)
	w.mu.Lock()
	defer w.mu.Unlock()
	problems, w.problems = w.problems, nil
	return problems, violations
}

// clean fails t on any console problem or CSP violation so far.
func (w *pageWatch) clean(t *testing.T, where string) {
	t.Helper()
	problems, violations := w.take(t)
	for _, p := range problems {
		t.Errorf("%s: %s", where, p)
	}
	for _, v := range violations {
		t.Errorf("%s: CSP violation: %s", where, v)
	}
}

// axNode is what assistive technology is told about the focused element: the
// browser's computed role and accessible name, not the attributes the script
// set, so a name hidden by a wrong role or aria-hidden would show here.
func axNode(t *testing.T, b *browsertest.Browser) (role, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), 20*time.Second)
	defer cancel()
	obj, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject]("document.activeElement"))
	if err != nil {
		t.Fatal(err)
	}
	no := false
	res, err := chromedp.Call(ctx, accessibility.GetPartialAXTree,
		accessibility.GetPartialAXTreeParams{ObjectID: obj.ObjectID, FetchRelatives: &no})
	if err != nil {
		t.Fatalf("reading the accessibility tree: %v", err)
	}
	if len(res.Nodes) == 0 {
		t.Fatal("the focused element has no accessibility node")
	}
	str := func(v *accessibility.Value) string {
		var s string
		if v != nil {
			_ = json.Unmarshal(v.Value, &s)
		}
		return s
	}
	return str(res.Nodes[0].Role), str(res.Nodes[0].Name)
}

// tabUntil presses Tab until the focused element matches selector and
// returns what focus went through on the way, which TabTo does not.
func tabUntil(t *testing.T, b *browsertest.Browser, selector string, max int) []browsertest.Element {
	t.Helper()
	var seen []browsertest.Element
	for range max {
		b.Press(t, "Tab")
		el := b.Focused(t)
		seen = append(seen, el)
		if browsertest.Eval[bool](t, b, fmt.Sprintf("document.activeElement.matches(%q)", selector)) {
			return seen
		}
	}
	var went []string
	for _, e := range seen {
		went = append(went, e.String())
	}
	t.Fatalf("%q not focused after %d Tabs; focus went: %s", selector, max, strings.Join(went, " → "))
	return nil
}

// settled is true once Leaflet is done moving: no pan under way and every
// popup either fully shown or gone (popups fade in and out over 0.2 s).
const settled = `(() => {
	const m = document.getElementById('places-map');
	if (m.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim')) return false;
	// A closing popup has opacity 0 set, though the transition may not
	// have moved the computed value yet.
	return Array.from(m.querySelectorAll('.leaflet-popup')).every((p) => p.style.opacity !== '0' && getComputedStyle(p).opacity === '1');
})()`

// settle waits until the map is still, so checks do not catch a popup or a
// pan halfway.
func settle(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !browsertest.Eval[bool](t, b, settled) {
		if time.Now().After(deadline) {
			t.Fatal("the map never came to rest")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// passed reports whether focus went through a link to href.
func passed(seen []browsertest.Element, href string) bool {
	for _, e := range seen {
		if e.Attrs["href"] == href {
			return true
		}
	}
	return false
}

func focusedMatches(t *testing.T, b *browsertest.Browser, selector string) bool {
	t.Helper()
	return browsertest.Eval[bool](t, b, fmt.Sprintf("document.activeElement.matches(%q)", selector))
}

// clickCentre clicks the middle of the first element matching selector, as
// a mouse user would.
func clickCentre(t *testing.T, b *browsertest.Browser, selector string) {
	t.Helper()
	xy := browsertest.Eval[[]float64](t, b, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2]; })()`, selector))
	ctx, cancel := context.WithTimeout(b.Ctx(), 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatalf("clicking %s: %v", selector, err)
	}
	settle(t, b)
}

type box struct{ W, H float64 }

// sizes are the rendered sizes of every element matching selector.
func sizes(t *testing.T, b *browsertest.Browser, selector string) []box {
	t.Helper()
	return browsertest.Eval[[]box](t, b, fmt.Sprintf(`Array.from(document.querySelectorAll(%q), (e) => {
		const r = e.getBoundingClientRect(); return {W: r.width, H: r.height}; })`, selector))
}

func requireTargets(t *testing.T, b *browsertest.Browser, selector string, want int) {
	t.Helper()
	got := sizes(t, b, selector)
	if len(got) != want {
		t.Fatalf("%d elements match %s, want %d", len(got), selector, want)
	}
	for i, s := range got {
		if s.W < 44 || s.H < 44 {
			t.Errorf("%s #%d is %.0f×%.0f px, want at least 44×44", selector, i, s.W, s.H)
		}
	}
}

// noHorizontalOverflow fails when the page is wider than the viewport, i.e.
// a phone user would have to scroll sideways.
func noHorizontalOverflow(t *testing.T, b *browsertest.Browser, what string) {
	t.Helper()
	w := browsertest.Eval[[]int](t, b, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if w[0] > w[1] {
		t.Errorf("%s: the page is %d px wide in a %d px viewport", what, w[0], w[1])
	}
}

func TestBrowserPlacesMap(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(placesMapSite(t))
	defer srv.Close()
	b := browsertest.Start(t)
	w := watchPage(t, b)

	t.Run("the CSP probe sees a violation", func(t *testing.T) {
		// Without this the checks for "no violation" below could pass
		// because nothing was listening.
		b.Navigate(t, srv.URL+"/places/bare")
		browsertest.Eval[bool](t, b, `document.body.insertAdjacentHTML('beforeend', '<span style="color: red">x</span>'), true`)
		problems, violations := w.take(t)
		if len(violations) == 0 {
			t.Errorf("an inline style attribute raised no securitypolicyviolation (console: %v)", problems)
		}
	})

	t.Run("without Leaflet the page keeps only its list", func(t *testing.T) {
		b.Visit(t, srv.URL+"/places/bare")
		if n := browsertest.Eval[int](t, b, `document.getElementById('places-map').childElementCount + document.querySelectorAll('.pm-legend').length`); n != 0 {
			t.Errorf("the map script drew %d elements without Leaflet", n)
		}
		if n := browsertest.Eval[int](t, b, `document.querySelectorAll('#places-list a').length`); n != 5 {
			t.Errorf("the list has %d links, want 5", n)
		}
		w.clean(t, "page without Leaflet")
	})

	t.Run("places", func(t *testing.T) {
		b.Visit(t, srv.URL+"/places")
		w.clean(t, "places page")
		if n := browsertest.Eval[int](t, b, `document.querySelectorAll('#places-map .pm-marker').length`); n != 5 {
			t.Fatalf("%d markers on the map, want 4 facilities and 1 event", n)
		}
		if !browsertest.Eval[bool](t, b, `document.getElementById('places-map').classList.contains('leaflet-fade-anim')`) {
			t.Error("Leaflet's fade animation is off although no reduced motion was asked for")
		}

		// The list comes first: every one of its links is passed before the
		// first marker.
		seen := tabUntil(t, b, "#places-map .pm-marker", 30)
		listed := browsertest.Eval[[]string](t, b, `Array.from(document.querySelectorAll('#places-list a'), (a) => a.getAttribute('href'))`)
		for _, href := range listed {
			if !passed(seen, href) {
				t.Errorf("Tab reached a marker before the list's link %s", href)
			}
		}

		role, name := axNode(t, b)
		if role != "button" {
			t.Errorf("the marker's role is %q, want button", role)
		}
		for _, want := range []string{"해운대구노인복지관", "노인복지관", "걸어서 약 7분"} {
			if !strings.Contains(name, want) {
				t.Errorf("the first marker's accessible name %q lacks %q", name, want)
			}
		}
		marker := b.Focused(t).Attrs["aria-label"]
		requireTargets(t, b, "#places-map .pm-marker", 5)
		requireTargets(t, b, "#places-map .leaflet-control-zoom a", 2)
		zoom := browsertest.Eval[[]string](t, b, `Array.from(document.querySelectorAll('#places-map .leaflet-control-zoom a'), (a) => a.getAttribute('aria-label'))`)
		if strings.Join(zoom, ",") != "지도 확대,지도 축소" {
			t.Errorf("the zoom buttons are named %q, want the texts of the data island", zoom)
		}

		// Enter opens the popup and moves focus into it.
		b.Press(t, "Enter")
		settle(t, b)
		popup := b.Text(t, "#places-map .leaflet-popup")
		for _, want := range []string{"해운대구노인복지관", "노인복지관", "걸어서 약 7분", "520 m", "자세히 보기"} {
			if !strings.Contains(popup, want) {
				t.Errorf("the popup %q lacks %q", popup, want)
			}
		}
		if !focusedMatches(t, b, "#places-map .leaflet-popup .pm-popup") {
			t.Errorf("focus is on %s after opening the popup, want the popup", b.Focused(t))
		}
		b.Axe(t)
		b.Press(t, "Tab")
		if el := b.Focused(t); el.Attrs["href"] != "/places/facilities/12" {
			t.Errorf("Tab from the popup went to %s, want its link to /places/facilities/12", el)
		}

		// Escape closes it and gives focus back to the marker.
		b.Press(t, "Escape")
		settle(t, b)
		if n := browsertest.Eval[int](t, b, `document.querySelectorAll('#places-map .leaflet-popup').length`); n != 0 {
			t.Errorf("%d popups still open after Escape", n)
		}
		if el := b.Focused(t); el.Attrs["aria-label"] != marker {
			t.Errorf("after Escape focus is on %s, want the marker %q", el, marker)
		}

		// Space opens it too; the close button is named, works with Space
		// and also returns focus.
		b.Press(t, "Space")
		settle(t, b)
		if !focusedMatches(t, b, "#places-map .leaflet-popup .pm-popup") {
			t.Fatalf("Space did not open the popup; focus on %s", b.Focused(t))
		}
		b.Press(t, "Tab")
		b.Press(t, "Tab")
		role, name = axNode(t, b)
		if role != "button" || name != "닫기" {
			t.Errorf("after the link Tab reached a %s named %q, want the close button 닫기", role, name)
		}
		requireTargets(t, b, "#places-map .leaflet-popup-close-button", 1)
		b.Press(t, "Space")
		settle(t, b)
		if el := b.Focused(t); el.Attrs["aria-label"] != marker {
			t.Errorf("after the close button focus is on %s, want the marker %q", el, marker)
		}

		// Space zooms in as Enter would: markers twice as far apart.
		b.TabTo(t, "#places-map .leaflet-control-zoom-in", 15)
		const spread = `(() => { const [a, b] = Array.from(document.querySelectorAll('#places-map .pm-marker'), (m) => m.getBoundingClientRect());
			return Math.hypot(a.left - b.left, a.top - b.top); })()`
		before := browsertest.Eval[float64](t, b, spread)
		b.Press(t, "Space")
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if after := browsertest.Eval[float64](t, b, spread); after > 1.9*before && after < 2.1*before {
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("Space on the zoom-in button: markers %.0f px apart, were %.0f", after, before)
			}
		}

		// Focus is not trapped: Tab leaves the map for the footer.
		b.TabTo(t, "footer a", 15)

		legend := b.Text(t, ".pm-legend")
		for _, want := range []string{"지도 기호", "출발 위치", "노인복지관", "도서관", "보건소", "공원", "행사"} {
			if !strings.Contains(legend, want) {
				t.Errorf("the legend %q lacks %q", legend, want)
			}
		}
		w.clean(t, "places page, keyboard")
	})

	t.Run("places by mouse", func(t *testing.T) {
		b.Visit(t, srv.URL+"/places")
		browsertest.Eval[bool](t, b, `document.getElementById('places-map').scrollIntoView(), true`)
		clickCentre(t, b, `#places-map .pm-marker[aria-label^="해운대도서관"]`)
		if got := b.Text(t, "#places-map .leaflet-popup"); !strings.Contains(got, "해운대도서관") || !strings.Contains(got, "걸어서 약 10분") {
			t.Errorf("clicking the library's marker shows %q", got)
		}
		if n := browsertest.Eval[int](t, b, `document.querySelectorAll('#places-map .leaflet-popup a[href="/places/facilities/31"]').length`); n != 1 {
			t.Errorf("the library's popup has %d links to its page, want 1", n)
		}
		w.clean(t, "places page, mouse")
	})

	t.Run("basemap tiles", func(t *testing.T) {
		b.Visit(t, srv.URL+"/places/tiled")
		tiles := browsertest.Eval[[]int](t, b, `(() => { const ts = Array.from(document.querySelectorAll('#places-map img.leaflet-tile'));
			return [ts.length, ts.filter((i) => i.complete && i.naturalWidth === 256).length]; })()`)
		if tiles[0] == 0 || tiles[0] != tiles[1] {
			t.Errorf("%d of %d tiles loaded", tiles[1], tiles[0])
		}
		if got := b.Text(t, "#places-map .leaflet-control-attribution"); got != "© 시험용 지도" {
			t.Errorf("the attribution says %q, want the data island's", got)
		}
		if n := browsertest.Eval[int](t, b, `document.querySelectorAll('#places-map .leaflet-control-attribution').length`); n != 1 {
			t.Errorf("%d attributions", n)
		}
		w.clean(t, "places page with tiles")
	})

	t.Run("high contrast", func(t *testing.T) {
		b.Visit(t, srv.URL+"/places")
		browsertest.Eval[bool](t, b, `document.documentElement.classList.add('high-contrast'), true`)
		b.TabTo(t, "#places-map .pm-marker", 30)
		b.Press(t, "Enter")
		settle(t, b)
		b.Axe(t)
		w.clean(t, "places page, high contrast")
	})

	t.Run("phone at 200 % text", func(t *testing.T) {
		b.SetViewport(t, 390, 844)
		defer b.SetViewport(t, 1280, 900)
		b.Visit(t, srv.URL+"/places")
		noHorizontalOverflow(t, b, "390 px")
		// The site's base is 112.5 %; twice that is what a 200 % text
		// setting gives.
		browsertest.Eval[bool](t, b, `document.documentElement.style.fontSize = '225%', window.dispatchEvent(new Event('resize')), true`)
		noHorizontalOverflow(t, b, "390 px at 200 % text")
		requireTargets(t, b, "#places-map .pm-marker", 5)
		b.TabTo(t, "#places-map .pm-marker", 30)
		b.Press(t, "Enter")
		settle(t, b)
		fits := browsertest.Eval[[]float64](t, b, `(() => {
			const m = document.getElementById('places-map').getBoundingClientRect();
			const p = document.querySelector('#places-map .leaflet-popup-content-wrapper').getBoundingClientRect();
			return [p.left - m.left, m.right - p.right]; })()`)
		if fits[0] < 0 || fits[1] < 0 {
			t.Errorf("the popup sticks out of the map by %.0f px left, %.0f px right", -fits[0], -fits[1])
		}
		noHorizontalOverflow(t, b, "390 px at 200 % text with a popup")
		// A popup taller than the map scrolls, so its link is still
		// reachable and shown when focused.
		b.Press(t, "Tab")
		if el := b.Focused(t); el.Attrs["href"] != "/places/facilities/12" {
			t.Fatalf("Tab from the popup went to %s, want its link", el)
		}
		shown := browsertest.Eval[bool](t, b, `(() => {
			const m = document.getElementById('places-map').getBoundingClientRect();
			const a = document.activeElement.getBoundingClientRect();
			return a.top >= m.top && a.bottom <= m.bottom && a.left >= m.left && a.right <= m.right; })()`)
		if !shown {
			t.Error("the focused link of the popup is outside the map")
		}
		b.Axe(t)
		w.clean(t, "places page on a phone")
	})

	t.Run("reduced motion", func(t *testing.T) {
		set := func(v string) {
			if _, err := chromedp.Call(b.Ctx(), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: v}}}); err != nil {
				t.Fatal(err)
			}
		}
		set("reduce")
		defer set("")
		b.Visit(t, srv.URL+"/places")
		if browsertest.Eval[bool](t, b, `document.getElementById('places-map').classList.contains('leaflet-fade-anim')`) {
			t.Error("Leaflet still fades although reduced motion was asked for")
		}
		// An animated pan would still be under way when the key returns;
		// a still one has moved the whole step at once.
		b.TabTo(t, "#places-map", 30)
		before := browsertest.Eval[float64](t, b, `L.DomUtil.getPosition(document.querySelector('#places-map .leaflet-map-pane')).x`)
		b.Press(t, "ArrowRight")
		after := browsertest.Eval[[]any](t, b, `[L.DomUtil.getPosition(document.querySelector('#places-map .leaflet-map-pane')).x,
			document.querySelector('#places-map .leaflet-map-pane').classList.contains('leaflet-pan-anim')]`)
		if moved := before - after[0].(float64); moved != 80 || after[1] == true {
			t.Errorf("ArrowRight moved the map %.0f px (animating: %v), want 80 px at once", moved, after[1])
		}
		w.clean(t, "places page, reduced motion")
	})

	t.Run("choropleth", func(t *testing.T) {
		b.Visit(t, srv.URL+"/zones")
		w.clean(t, "choropleth page")
		if n := browsertest.Eval[int](t, b, `document.querySelectorAll('#places-map path.pm-zone').length`); n != 6 {
			t.Fatalf("%d zones drawn, want 6", n)
		}
		if n := browsertest.Eval[int](t, b, `document.querySelectorAll('#places-map .pm-marker').length`); n != 0 {
			t.Errorf("%d markers on the choropleth, want none", n)
		}
		if got := b.Text(t, ".pm-legend-title"); got != "15분 안에 걸어서 공공시설에 닿는 주민 비율" {
			t.Errorf("legend title %q", got)
		}
		steps := browsertest.Eval[[]string](t, b, `Array.from(document.querySelectorAll('.pm-legend-list li'), (li) => li.innerText.trim())`)
		want := []string{"0–20 %", "20–40 %", "40–60 %", "60–80 %", "80–100 %", "자료 없음"}
		if strings.Join(steps, "|") != strings.Join(want, "|") {
			t.Errorf("legend steps %q, want %q", steps, want)
		}
		// Each zone is coloured by its step, the same class as its legend
		// entry: 73 % is the 60–80 % step.
		if cls := browsertest.Eval[string](t, b, `document.querySelector('#places-map path.pm-zone').getAttribute('class')`); !regexp.MustCompile(`\bpm-step3\b`).MatchString(cls) {
			t.Errorf("the first zone (73 %%) has classes %q, want pm-step3", cls)
		}

		seen := tabUntil(t, b, "#places-map path.pm-zone", 30)
		if seen[len(seen)-2].Attrs["id"] != "places-map" {
			t.Errorf("before the first zone focus was on %s, want the map", seen[len(seen)-2])
		}
		if !passed(seen, "/zones.csv") {
			t.Error("Tab reached a zone before the link under the table")
		}
		role, name := axNode(t, b)
		if role != "button" || name != "해운대구 제1생활권: 73 %" {
			t.Errorf("the first zone is a %s named %q, want a button named 해운대구 제1생활권: 73 %%", role, name)
		}
		b.Press(t, "Enter")
		settle(t, b)
		if got := b.Text(t, "#places-map .leaflet-popup .pm-popup"); !strings.Contains(got, "해운대구 제1생활권") || !strings.Contains(got, "73 %") {
			t.Errorf("the zone's popup says %q, want its name and 73 %%", got)
		}
		b.Axe(t)
		b.Press(t, "Escape")
		settle(t, b)
		if !focusedMatches(t, b, "#places-map path.pm-zone") || b.Focused(t).Attrs["aria-label"] != "해운대구 제1생활권: 73 %" {
			t.Errorf("after Escape focus is on %s, want the first zone", b.Focused(t))
		}
		b.Press(t, "Tab")
		if _, name := axNode(t, b); name != "해운대구 제2생활권: 41 %" {
			t.Errorf("Tab from the first zone went to %q, want the second", name)
		}
		b.TabTo(t, "footer a", 15)

		clickCentre(t, b, `#places-map path.pm-zone[aria-label^="해운대구 제3생활권"]`)
		if got := b.Text(t, "#places-map .leaflet-popup .pm-popup"); !strings.Contains(got, "해운대구 제3생활권") || !strings.Contains(got, "88 %") {
			t.Errorf("clicking the third zone shows %q, want its name and 88 %%", got)
		}

		b.SetViewport(t, 390, 844)
		defer b.SetViewport(t, 1280, 900)
		noHorizontalOverflow(t, b, "choropleth at 390 px")
		w.clean(t, "choropleth page, keyboard")
	})
}
