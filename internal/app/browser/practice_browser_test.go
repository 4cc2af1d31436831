package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/practice"
)

// TestBrowserKeyboardCompletesEveryEmulatorGuided completes each emulator's main
// task in guided mode with the keyboard alone: Tab to the marked control,
// Enter, until the task is done; one wrong press on the way gets a gentle
// hint and moves nothing. axe-core runs on every screen.
func TestBrowserKeyboardCompletesEveryEmulatorGuided(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	base := ta.Server.URL
	all, err := practice.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// Each emulator in a tab of its own, in parallel with the others (they
	// run after the rest of this test).
	for _, s := range all {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			b := browsertest.Start(t)
			b.Visit(t, base+"/lang/ko?next=/practice")
			b.Visit(t, base+"/practice/"+s.ID)
			b.TabTo(t, `a.button[href*="mode=guided"]`, 60)
			b.PressNavigate(t, "Enter")
			for i := range s.Tasks[0].Steps {
				if i == 0 {
					// A wrong press first: a hint, and the same screen.
					b.TabTo(t, `.machine-buttons button:not(.next)`, 40)
					b.PressNavigate(t, "Enter")
					if b.Text(t, ".practice-hint") == "" || b.Text(t, "#screen-title") != s.Screens[0].Title.Ko {
						t.Fatalf("%s: no gentle hint after a wrong press: %s", s.ID, b.Text(t, "main"))
					}
				}
				b.TabTo(t, `.machine-buttons button.next`, 40)
				b.PressNavigate(t, "Enter")
			}
			if got := b.Text(t, "h1"); got != "잘하셨습니다!" || !strings.Contains(b.Text(t, "main"), "1번") {
				t.Fatalf("%s: finished on %q: %s", s.ID, got, b.Text(t, "main"))
			}
		})
	}
	b := browsertest.Start(t)
	b.Visit(t, base+"/lang/ko?next=/practice")
	b.Visit(t, base+"/practice/"+all[0].ID+"/play?mode=guided&task="+all[0].Tasks[0].ID+"&at="+all[0].Start)
	b.TabTo(t, `.practice-nav a[href^="/practice/words"]`, 60)
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "main"), "테이크아웃") {
		t.Fatalf("glossary: %s", b.Text(t, "main"))
	}
	b.TabTo(t, `main a[href^="/practice/`+all[0].ID+`/play"]`, 40)
	b.PressNavigate(t, "Enter")
	b.Visit(t, base+"/lang/en?next=/practice")
	b.SetViewport(t, 390, 844)
	b.Visit(t, base+"/practice/"+all[0].ID+"/play?mode=challenge&task="+all[0].Tasks[0].ID+"&at="+all[0].Start)
	// Every machine's look in large text and high contrast, as a learner
	// with low vision sets them from the header: axe-core on each, and
	// every machine button at least 44 px square.
	b.Visit(t, base+"/lang/ko?next=/practice")
	for _, toggle := range []string{"text", "contrast"} {
		b.TabToToggle(t, toggle, 20)
		b.Press(t, "Enter")
		waitFor(t, b, `button[name=toggle][value=`+toggle+`][aria-pressed=true]`)
	}
	for _, s := range all {
		b.Visit(t, base+"/practice/"+s.ID+"/play?mode=free&at="+s.Start)
		small, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[int](`document.documentElement.classList.contains('high-contrast') &&
			document.documentElement.classList.contains('large-text') ? [...document.querySelectorAll('.machine-buttons button')]
			.filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44; }).length : -1`))
		if err != nil || small != 0 {
			t.Fatalf("%s in large text and high contrast: %d buttons under 44 px (-1: the display settings did not hold) %v", s.ID, small, err)
		}
	}
	t.Logf("axe-core checked %d pages in this tab (and more in each emulator's)", len(b.Checked()))
}
