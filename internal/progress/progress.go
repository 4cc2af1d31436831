package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
	"golang.org/x/text/width"
)

// redrawEvery keeps terminal redraws near 10 a second: faster is unreadable
// and, over SSH, slows the job itself.
const redrawEvery = 100 * time.Millisecond

// defaultWidth is used when the terminal will not report its size.
const defaultWidth = 80

// Bar reports progress towards total units of work. It is safe for
// concurrent use. A total of zero or less means the total is unknown: only
// the count and rate are shown. Write errors are ignored, since progress is
// advisory and must not fail the job it reports on.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	total    int
	done     int
	tty      bool
	width    int // terminal columns
	now      func() time.Time
	start    time.Time
	lastDraw time.Time
	decile   int // last tenth reported in plain mode
	finished bool
}

// New starts a progress report on w. The display style is chosen by whether
// w is a terminal.
func New(w io.Writer, label string, total int) *Bar {
	tty, cols := false, defaultWidth
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		tty = true
		if c, _, err := term.GetSize(int(f.Fd())); err == nil && c > 0 {
			cols = c
		}
	}
	return newBar(w, label, total, tty, cols, time.Now)
}

func newBar(w io.Writer, label string, total int, tty bool, cols int, now func() time.Time) *Bar {
	b := &Bar{w: w, label: label, total: total, tty: tty, width: cols, now: now}
	b.start = now()
	if tty {
		// Draw at once so a slow first unit does not look like a hang.
		b.draw(b.start)
	}
	return b
}

// Add records n more units done. Calls after Done are ignored.
func (b *Bar) Add(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.done += n
	if b.tty {
		if t := b.now(); t.Sub(b.lastDraw) >= redrawEvery {
			b.draw(t)
		}
		return
	}
	if b.total <= 0 {
		return
	}
	// 100% is left to Done's final line so it is not printed twice.
	if d := b.done * 10 / b.total; d > b.decile && d < 10 {
		b.decile = d
		fmt.Fprintf(b.w, "%s: %d/%d (%d%%)\n", b.label, b.done, b.total, b.percent())
	}
}

// Done writes the final state and ends the line. It may be called more than
// once, for example deferred as well as on the success path.
func (b *Bar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.finished = true
	t := b.now()
	if b.tty {
		b.draw(t)
		io.WriteString(b.w, "\n")
		return
	}
	elapsed := t.Sub(b.start)
	fmt.Fprintf(b.w, "%s: %s in %s%s\n", b.label, b.counts(), elapsed.Round(100*time.Millisecond), b.rate(elapsed))
}

func (b *Bar) percent() int {
	return min(b.done*100/b.total, 100)
}

func (b *Bar) counts() string {
	if b.total <= 0 {
		return fmt.Sprint(b.done)
	}
	return fmt.Sprintf("%d/%d (%d%%)", b.done, b.total, b.percent())
}

func (b *Bar) rate(elapsed time.Duration) string {
	if elapsed <= 0 {
		return ""
	}
	r := float64(b.done) / elapsed.Seconds()
	if r >= 10 {
		return fmt.Sprintf(", %.0f/s", r)
	}
	return fmt.Sprintf(", %.1f/s", r)
}

// draw rewrites the terminal line. It stays one column short of the
// terminal width because writing the last column makes many terminals wrap,
// after which \r no longer returns to the start of the bar.
func (b *Bar) draw(t time.Time) {
	b.lastDraw = t
	stats := " " + b.counts() + b.rate(t.Sub(b.start))
	room := b.width - 1 - displayWidth(b.label) - displayWidth(stats)
	var line string
	if cells := min(room-3, 40); b.total > 0 && cells >= 10 {
		filled := cells * min(b.done, b.total) / b.total
		line = b.label + " [" + strings.Repeat("#", filled) + strings.Repeat("-", cells-filled) + "]" + stats
	} else {
		line = truncate(b.label+stats, b.width-1)
	}
	// \x1b[K clears what a longer previous line left behind.
	io.WriteString(b.w, "\r"+line+"\x1b[K")
}

// displayWidth counts terminal columns: Hangul and other East Asian wide
// characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

func truncate(s string, cols int) string {
	n := 0
	for i, r := range s {
		if n += runeWidth(r); n > cols {
			return s[:i]
		}
	}
	return s
}
