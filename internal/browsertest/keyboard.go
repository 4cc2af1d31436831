package browsertest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keyNames lets tests say "Enter" or "Space" instead of kb's control runes.
var keyNames = map[string]string{
	"Enter":      kb.Enter,
	"Tab":        kb.Tab,
	"Escape":     kb.Escape,
	"Esc":        kb.Escape,
	"Space":      " ",
	"Backspace":  kb.Backspace,
	"Delete":     kb.Delete,
	"ArrowUp":    kb.ArrowUp,
	"ArrowDown":  kb.ArrowDown,
	"ArrowLeft":  kb.ArrowLeft,
	"ArrowRight": kb.ArrowRight,
	"Home":       kb.Home,
	"End":        kb.End,
	"PageUp":     kb.PageUp,
	"PageDown":   kb.PageDown,
}

// keyFor resolves a key name or a single character. Anything longer is
// refused, because KeyEvent would silently type it rune by rune.
func keyFor(key string) (string, error) {
	if k, ok := keyNames[key]; ok {
		return k, nil
	}
	if utf8.RuneCountInString(key) == 1 {
		return key, nil
	}
	return "", fmt.Errorf("unknown key %q (use a name like Enter, Space, Escape, ArrowDown, or Type for text)", key)
}

// jsCall builds a call of a JS function with JSON-encoded arguments, so
// selectors and text never need escaping by hand.
func jsCall(fn string, args ...any) string {
	enc := make([]string, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			// Only strings and numbers are passed; this is a programming
			// error in the harness.
			panic(err)
		}
		enc[i] = string(b)
	}
	return "(" + fn + ")(" + strings.Join(enc, ",") + ")"
}

// Element describes document.activeElement.
type Element struct {
	Tag   string            `json:"tag"`   // lower-case tag name; "body" when nothing has focus
	Text  string            `json:"text"`  // innerText, trimmed
	Value string            `json:"value"` // current value of form controls
	Attrs map[string]string `json:"attrs"` // all attributes as in the DOM
}

// String renders the element the way a failure message needs to identify it.
func (e Element) String() string {
	var sb strings.Builder
	sb.WriteString(e.Tag)
	if id := e.Attrs["id"]; id != "" {
		sb.WriteString("#" + id)
	}
	for c := range strings.FieldsSeq(e.Attrs["class"]) {
		sb.WriteString("." + c)
	}
	label := e.Text
	if label == "" {
		label = e.Attrs["aria-label"]
	}
	if label == "" {
		label = e.Value
	}
	if label != "" {
		if r := []rune(label); len(r) > 40 {
			label = string(r[:40]) + "…"
		}
		fmt.Fprintf(&sb, " %q", label)
	}
	return sb.String()
}

const focusedJS = `(sel) => {
	const e = document.activeElement;
	const out = {matches: false, el: {tag: "body", text: "", value: "", attrs: {}}};
	if (!e || e === document.body) return out;
	out.matches = sel !== "" && e.matches(sel);
	out.el.tag = e.tagName.toLowerCase();
	out.el.text = (e.innerText || "").trim();
	out.el.value = typeof e.value === "string" ? e.value : "";
	for (const a of e.attributes) out.el.attrs[a.name] = a.value;
	return out;
}`

type focusState struct {
	Matches bool    `json:"matches"`
	El      Element `json:"el"`
}

func (b *Browser) focus(t testing.TB, selector string) focusState {
	t.Helper()
	return run(t, b, "reading focused element", chromedp.Evaluate[focusState](jsCall(focusedJS, selector)))
}

// Focused describes the element that has keyboard focus.
func (b *Browser) Focused(t testing.TB) Element {
	t.Helper()
	return b.focus(t, "").El
}

// TabTo presses Tab, as a real key event, until the focused element matches
// the CSS selector, at most max times; it does nothing if focus is already
// there. On failure it lists every element focus passed through, which is
// usually enough to see where the tab order goes wrong.
func (b *Browser) TabTo(t testing.TB, selector string, max int) {
	t.Helper()
	// Failing fast on a selector that matches nothing avoids max pointless
	// presses and a misleading "focus never reached" message.
	exists := run(t, b, "looking up "+selector, chromedp.Evaluate[bool](
		jsCall(`(sel) => document.querySelector(sel) !== null`, selector)))
	if !exists {
		t.Fatalf("browsertest: TabTo: no element matches %q on %s", selector, b.Location(t))
	}
	var visited []string
	for i := 0; ; i++ {
		st := b.focus(t, selector)
		if st.Matches {
			return
		}
		if i > 0 {
			visited = append(visited, fmt.Sprintf("%d. %s", i, st.El))
		}
		if i == max {
			break
		}
		run(t, b, "pressing Tab", chromedp.KeyEvent(kb.Tab))
	}
	t.Fatalf("browsertest: TabTo: %q not focused after %d Tab presses on %s; focus went:\n  %s",
		selector, max, b.Location(t), strings.Join(visited, "\n  "))
}

// Press sends key (a name such as "Enter", "Space", "Escape", "ArrowDown", or
// one character such as " ") to the focused element as real key events,
// optionally with modifiers (e.g. chromedp.ModifierShift for Shift+Tab).
// It does not wait for any navigation the key causes; see PressNavigate.
func (b *Browser) Press(t testing.TB, key string, mods ...chromedp.Modifier) {
	t.Helper()
	k, err := keyFor(key)
	if err != nil {
		t.Fatalf("browsertest: Press: %v", err)
	}
	run(t, b, "pressing "+key, chromedp.KeyEvent(k, chromedp.KeyModifiers(mods...)))
}

// PressNavigate presses key, waits for the navigation it must cause (a link
// or a form submission), requires a non-error status and runs Axe on the new
// page (and, on a phone, holds it to its first screen), so pages reached by
// keyboard are checked like visited ones.
func (b *Browser) PressNavigate(t testing.TB, key string, mods ...chromedp.Modifier) {
	t.Helper()
	k, err := keyFor(key)
	if err != nil {
		t.Fatalf("browsertest: PressNavigate: %v", err)
	}
	from := b.Location(t)
	ctx, cancel := b.actionCtx()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(k, chromedp.KeyModifiers(mods...)))
	cancel()
	if err != nil {
		t.Fatalf("browsertest: pressing %s on %s (focused: %s) did not load a page within %v: %v",
			key, from, b.Focused(t), actionTimeout, err)
	}
	if resp != nil && resp.Status >= 400 {
		t.Fatalf("browsertest: pressing %s on %s led to %s with HTTP %d", key, from, resp.URL, resp.Status)
	}
	b.Axe(t)
	b.onPhoneRequireFirstScreen(t)
}

// Type types text into the focused element as key events, as a keyboard user
// would (so input and keydown handlers run). It fails when nothing is
// focused, since the keys would otherwise vanish without a trace.
func (b *Browser) Type(t testing.TB, text string) {
	t.Helper()
	if el := b.Focused(t); el.Tag == "body" {
		t.Fatalf("browsertest: Type(%q): nothing is focused on %s", text, b.Location(t))
	}
	run(t, b, fmt.Sprintf("typing %q", text), chromedp.KeyEvent(text))
}

// MenuTo opens the main menu's group that holds href and follows that
// entry, by keyboard: Tab to the group's heading, Enter to open it, Tab to
// the entry, Enter.
func (b *Browser) MenuTo(t testing.TB, href string, max int) {
	t.Helper()
	b.TabTo(t, `.main-nav details:has(a[href="`+href+`"]) > summary`, max)
	b.Press(t, "Enter")
	b.TabTo(t, `.main-nav a[href="`+href+`"]`, 12)
	b.PressNavigate(t, "Enter")
}

// TabToToggle reaches one of the header's display settings by keyboard, as
// a person does: Tab to "큰 글씨·고대비", open it with Enter if it is closed,
// then Tab to the toggle (value "text" or "contrast"). Focus is left on the
// toggle, for the caller to press. max bounds the Tab presses to the panel.
func (b *Browser) TabToToggle(t testing.TB, value string, max int) {
	t.Helper()
	const summary = `details.display-tools > summary`
	open := run(t, b, "reading the display settings", chromedp.Evaluate[bool](
		`(() => { const d = document.querySelector('details.display-tools'); return !!d && d.open; })()`))
	if !open {
		b.TabTo(t, summary, max)
		b.Press(t, "Enter")
	}
	b.TabTo(t, `button[name=toggle][value=`+value+`]`, max)
}
