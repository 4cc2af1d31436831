package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// PhoneWidth is the widest viewport at which Visit holds a page to the first
// screen (FirstScreen): the 390×844 phone and anything narrower.
const PhoneWidth = 480

// firstScreenJS measures, with the page scrolled to the top, where the
// page's heading ends and where its main action begins to be usable: its
// first 44 px (a whole button; the first field of a form marked as the main
// action). The main action is the element marked data-main-action; without
// one, the first submit button or button link in main. A page without
// either is measured by its heading alone.
const firstScreenJS = `(() => {
	window.scrollTo(0, 0);
	const h = document.querySelector('main h1');
	const a = document.querySelector('main [data-main-action]') ||
		document.querySelector('main button[type=submit], main input[type=submit], main a.button, main button');
	const bottom = (el) => el ? Math.ceil(el.getBoundingClientRect().bottom) : 0;
	const usable = (el) => {
		if (!el) return 0;
		const r = el.getBoundingClientRect();
		return Math.ceil(r.top + Math.min(r.height, 44));
	};
	return {width: window.innerWidth, height: window.innerHeight,
		heading: h ? h.innerText.trim() : '', headingBottom: bottom(h),
		action: a ? (a.innerText || a.value || '').trim().slice(0, 40) : '', actionBottom: usable(a)};
})()`

// Screen is where a page's heading and main action are on its first screen.
type Screen struct {
	Width         int    `json:"width"`
	Height        int    `json:"height"`
	Heading       string `json:"heading"`
	HeadingBottom int    `json:"headingBottom"`
	Action        string `json:"action"`
	ActionBottom  int    `json:"actionBottom"` // where its first usable 44 px end
}

// FirstScreen measures the page's first screen.
func (b *Browser) FirstScreen(t testing.TB) Screen {
	t.Helper()
	return run(t, b, "measuring the first screen", chromedp.Evaluate[Screen](firstScreenJS))
}

// RequireFirstScreen fails t unless the page has a heading and both it and
// the main action end within the first screen.
func (b *Browser) RequireFirstScreen(t testing.TB) {
	t.Helper()
	s := b.FirstScreen(t)
	if s.Heading == "" {
		t.Errorf("browsertest: %s has no <h1> in main", b.Location(t))
		return
	}
	if s.HeadingBottom > s.Height || s.ActionBottom > s.Height {
		t.Errorf("browsertest: %s at %dx%d: heading %q ends at %d px, main action %q is usable from %d px: not in the first screen",
			b.Location(t), s.Width, s.Height, s.Heading, s.HeadingBottom, s.Action, s.ActionBottom)
	}
}
