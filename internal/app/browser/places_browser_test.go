package browser_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/browsertest"
)

// TestBrowserKeyboardFindsTheNearestSeniorCentre starts from a demo address,
// finds the nearest senior welfare centre at a senior's pace with the
// keyboard alone, opens it from the list and from the map, and runs
// axe-core on every page of the places part.
func TestBrowserKeyboardFindsTheNearestSeniorCentre(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	ta.WithPlaces(t)
	base := ta.Server.URL

	b.Visit(t, base+"/lang/ko?next=/")
	b.MenuTo(t, "/places", 40)
	b.TabTo(t, "#f-near", 30)
	b.Type(t, "해운대구 우1동")
	b.TabTo(t, "#f-category", 5)
	b.Press(t, "ArrowDown") // the first category: senior welfare centres
	// The walking pace is among the further conditions, folded.
	b.TabTo(t, `form[action="/places"] details > summary`, 5)
	b.Press(t, "Enter")
	b.TabTo(t, `input[name=pace][value=adult]`, 5)
	b.Press(t, "ArrowDown")
	b.TabTo(t, `form[action="/places"] details button[type=submit]`, 10)
	b.PressNavigate(t, "Enter")
	if loc := b.Location(t); !strings.Contains(loc, "category=senior") || !strings.Contains(loc, "pace=senior") {
		t.Fatalf("searched %s", loc)
	}
	heading := b.Text(t, "#results-h")
	if heading != "해운대구 우1동에서 가까운 노인복지관" {
		t.Fatalf("results heading %q", heading)
	}
	first := b.Text(t, ".places-results li:first-child h3")
	if !strings.Contains(first, "노인복지관") || !strings.Contains(b.Text(t, ".places-results li:first-child"), "걸어서 약") {
		t.Fatalf("first result %q", first)
	}

	// The map comes after the list and its markers are reached by Tab: the
	// nearest one opens a popup whose link leads to the same centre.
	b.TabTo(t, `#places-map [role=button][aria-label*="노인복지관"]`, 80)
	b.Press(t, "Enter")
	popupShown(t, b)
	b.TabTo(t, `#places-map .leaflet-popup a`, 5)
	b.PressNavigate(t, "Enter")
	if got := b.Text(t, "h1"); got == "" || !strings.Contains(b.Location(t), "/places/facilities/") {
		t.Fatalf("popup link went to %s (%q)", b.Location(t), got)
	}
	b.Visit(t, base+"/places?near=해운대구+우1동&category=senior&pace=senior")
	b.TabTo(t, `.places-results li:first-child h3 a`, 40)
	b.PressNavigate(t, "Enter")
	if got := b.Text(t, "h1"); got != first {
		t.Fatalf("the first result opened %q, want %q", got, first)
	}
	if !strings.Contains(b.Text(t, "main"), "여는 시간") {
		t.Fatalf("facility page: %s", b.Text(t, "main"))
	}

	// The other places pages, ambiguous and unknown names, English on a phone.
	for _, p := range []string{"/places?near=우동", "/places?near=없는마을", "/places/zones", "/places/zones/21090-Z3", "/places/events"} {
		b.Navigate(t, base+p)
		b.Axe(t)
	}
	b.Visit(t, base+"/lang/en?next=/places")
	b.SetViewport(t, 390, 844)
	b.Visit(t, base+"/places?near=Jwa1-dong&category=library")
	b.Visit(t, base+"/lang/ko?next=/")
	ta.SignInStaffBrowser(t, b, "centre")
	b.Visit(t, base+"/admin/places/import")
	b.Visit(t, base+"/planner")
	b.Visit(t, base+"/planner?pace=senior&category=health&sort=health&dir=desc")
	b.TabTo(t, `#places-map path[role=button]`, 200)
	b.Press(t, "Enter")
	popupShown(t, b)
	b.Axe(t)
	t.Logf("axe-core checked %d pages", len(b.Checked()))
}

// popupShown waits for the map's popup to finish fading in: axe-core
// measures contrast as drawn, and half-way through the fade it is faint.
func popupShown(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), 20*time.Second)
	defer cancel()
	js := `(() => { const p = document.querySelector('.leaflet-popup'); return !!p && getComputedStyle(p).opacity === '1'; })()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
		t.Fatalf("the map's popup never showed: %v", err)
	}
}
