package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// PhoneWidth is the widest viewport at which Visit holds a page to the first
// screen (FirstScreen): the 390×844 phone and anything narrower.
const PhoneWidth = 480

// mainActionJS finds a page's main action: the element marked
// data-main-action, else the first primary button or button link in main.
const mainActionJS = `(document.querySelector('main [data-main-action]') ||
	document.querySelector('main button[type=submit]:not(.secondary), main input[type=submit]:not(.secondary), main a.button:not(.secondary), main button:not(.secondary)'))`

// firstScreenJS measures, with the page scrolled to the top, where the
// page's heading ends and where its main action begins to be usable: its
// first 44 px (a whole button; the first field of a form marked as the main
// action). The main action is the element marked data-main-action; without
// one, the first primary (not .secondary) button or button link in main. A
// page without either is measured by its heading alone.
const firstScreenJS = `(() => {
	window.scrollTo(0, 0);
	const h = document.querySelector('main h1');
	const a = ` + mainActionJS + `;
	const bottom = (el) => el ? Math.ceil(el.getBoundingClientRect().bottom) : 0;
	const usable = (el) => {
		if (!el) return 0;
		const r = el.getBoundingClientRect();
		return Math.ceil(r.top + Math.min(r.height, 44));
	};
	return {width: window.innerWidth, height: window.innerHeight, largeText: document.documentElement.classList.contains('large-text'),
		heading: h ? h.innerText.trim() : '', headingBottom: bottom(h),
		action: a ? (a.innerText || a.value || '').trim().slice(0, 40) : '', actionBottom: usable(a)};
})()`

// Screen is where a page's heading and main action are on its first screen.
type Screen struct {
	Width         int    `json:"width"`
	LargeText     bool   `json:"largeText"`
	Height        int    `json:"height"`
	Heading       string `json:"heading"`
	HeadingBottom int    `json:"headingBottom"`
	Action        string `json:"action"`
	ActionBottom  int    `json:"actionBottom"` // where its first usable 44 px end
}

// FirstScreen measures the page's first screen. In large-text mode (the
// person's own choice to see less at once) Visit does not hold pages to it.
func (b *Browser) FirstScreen(t testing.TB) Screen {
	t.Helper()
	return run(t, b, "measuring the first screen", chromedp.Evaluate[Screen](firstScreenJS))
}

// RequireFirstScreen fails t unless the page has a heading and both it and
// the main action end within the first screen.
func (b *Browser) RequireFirstScreen(t testing.TB) {
	t.Helper()
	b.requireFirstScreen(t, b.FirstScreen(t))
}

// onPhoneRequireFirstScreen holds the page to its first screen when the
// viewport is a phone's (PhoneWidth or narrower); Visit and PressNavigate
// call it on every page.
func (b *Browser) onPhoneRequireFirstScreen(t testing.TB) {
	t.Helper()
	if s := b.FirstScreen(t); s.Width <= PhoneWidth {
		b.requireFirstScreen(t, s)
	}
}

func (b *Browser) requireFirstScreen(t testing.TB, s Screen) {
	t.Helper()
	if s.LargeText {
		return
	}
	if s.Heading == "" {
		t.Errorf("browsertest: %s has no <h1> in main", b.Location(t))
		return
	}
	if s.HeadingBottom > s.Height || s.ActionBottom > s.Height {
		t.Errorf("browsertest: %s at %dx%d: heading %q ends at %d px, main action %q is usable from %d px: not in the first screen",
			b.Location(t), s.Width, s.Height, s.Heading, s.HeadingBottom, s.Action, s.ActionBottom)
	}
}

// TabsToMainAction counts the Tab presses from the top of the page to its
// main action (or, for a form or list marked as the main action, to its
// first control), failing t beyond max. Focus is left on the main action.
// A main action with nothing to press (a ticket to show) counts 0.
func (b *Browser) TabsToMainAction(t testing.TB, max int) int {
	t.Helper()
	found := run(t, b, "starting from the top", chromedp.Evaluate[string](`(() => {
		const a = `+mainActionJS+`;
		if (!a) return 'none';
		// Something to look at (a ticket to show) is not reached by Tab.
		const sel = 'a[href],button:not([hidden]),input:not([type=hidden]),select,textarea,summary,[tabindex]:not([tabindex="-1"])';
		if (!a.matches(sel) && !a.querySelector(sel)) return 'static';
		const top = document.createElement('span');
		top.tabIndex = -1;
		top.id = 'browsertest-top';
		document.body.prepend(top);
		top.focus();
		return 'found';
	})()`))
	switch found {
	case "none":
		t.Fatalf("browsertest: %s has no main action", b.Location(t))
	case "static":
		return 0
	}
	defer run(t, b, "cleaning up", chromedp.Evaluate[bool](`(() => { const e = document.getElementById('browsertest-top'); if (e) e.remove(); return true; })()`))
	var visited []string
	for n := 1; n <= max; n++ {
		run(t, b, "pressing Tab", chromedp.KeyEvent(kb.Tab))
		st := run(t, b, "reading focus", chromedp.Evaluate[focusState](`(() => {
			const a = `+mainActionJS+`, e = document.activeElement;
			return {matches: !!a && !!e && (a === e || a.contains(e)), el: {tag: e ? e.tagName.toLowerCase() : '', text: e ? (e.innerText || '').trim().slice(0, 40) : '', value: '', attrs: {}}};
		})()`))
		if st.Matches {
			return n
		}
		visited = append(visited, fmt.Sprintf("%d. %s", n, st.El))
	}
	t.Fatalf("browsertest: the main action of %s is more than %d Tab presses from the top; focus went:\n  %s",
		b.Location(t), max, strings.Join(visited, "\n  "))
	return 0
}
