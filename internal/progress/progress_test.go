package progress

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a manual time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestPlainEveryTenPercent(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	b := newBar(&out, "import", 5000, false, 0, c.now)
	for range 5000 {
		b.Add(1)
	}
	c.advance(2 * time.Second)
	b.Done()
	var want strings.Builder
	for d := 1; d <= 9; d++ {
		fmt.Fprintf(&want, "import: %d/5000 (%d%%)\n", d*500, d*10)
	}
	want.WriteString("import: 5000/5000 (100%) in 2s, 2500/s\n")
	if out.String() != want.String() {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want.String())
	}
}

func TestPlainLargeSteps(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	b := newBar(&out, "demo", 200, false, 0, c.now)
	b.Add(7)   // 3%: nothing
	b.Add(103) // 55%: one line, not one per tenth passed
	b.Add(150) // overshoot: 100% is left to Done
	c.advance(4 * time.Second)
	b.Done()
	b.Done()
	b.Add(1)
	want := "demo: 110/200 (55%)\ndemo: 260/200 (100%) in 4s, 65/s\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestPlainUnknownTotal(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	b := newBar(&out, "scan", 0, false, 0, c.now)
	b.Add(12)
	c.advance(4 * time.Second)
	b.Done()
	if want := "scan: 12 in 4s, 3.0/s\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestNewOnNonTerminal(t *testing.T) {
	t.Parallel()
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, b := range []*Bar{New(&bytes.Buffer{}, "x", 10), New(f, "x", 10)} {
		if b.tty {
			t.Error("non-terminal writer treated as terminal")
		}
	}
}

// frames splits terminal output into the lines drawn with \r.
func frames(t *testing.T, s string) []string {
	t.Helper()
	if !strings.HasPrefix(s, "\r") {
		t.Fatalf("terminal output does not start with \\r: %q", s)
	}
	var fs []string
	for _, f := range strings.Split(s[1:], "\r") {
		if !strings.HasSuffix(strings.TrimSuffix(f, "\n"), "\x1b[K") {
			t.Fatalf("frame %q does not clear to end of line", f)
		}
		fs = append(fs, strings.TrimSuffix(strings.TrimSuffix(f, "\n"), "\x1b[K"))
	}
	return fs
}

func TestTerminalRedrawThrottled(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	b := newBar(&out, "import", 1000, true, 80, c.now)
	for i := range 1000 {
		b.Add(1)
		c.advance(time.Millisecond) // 1 s total: ~10 redraws
		if i < 999 && strings.Contains(out.String(), "\n") {
			t.Fatal("newline before Done")
		}
	}
	b.Done()
	s := out.String()
	if !strings.HasSuffix(s, "\n") || strings.Count(s, "\n") != 1 {
		t.Errorf("want exactly one trailing newline, got %q", s)
	}
	fs := frames(t, s)
	// Initial frame, one per 100 ms of the run, and the final one.
	if len(fs) < 10 || len(fs) > 12 {
		t.Errorf("%d frames drawn over 1 s, want about 10:\n%q", len(fs), fs)
	}
	if want := "import [" + strings.Repeat("-", 40) + "] 0/1000 (0%)"; fs[0] != want {
		t.Errorf("first frame %q, want %q", fs[0], want)
	}
	if want := "import [" + strings.Repeat("#", 40) + "] 1000/1000 (100%), 1000/s"; fs[len(fs)-1] != want {
		t.Errorf("last frame %q, want %q", fs[len(fs)-1], want)
	}
	mid := fs[len(fs)/2]
	if !strings.Contains(mid, "#") || !strings.Contains(mid, "-") || !strings.Contains(mid, "/s") {
		t.Errorf("middle frame %q lacks a partial bar and rate", mid)
	}
}

func TestTerminalFitsWidth(t *testing.T) {
	t.Parallel()
	for _, cols := range []int{20, 40, 80, 200} {
		var out bytes.Buffer
		c := newClock()
		b := newBar(&out, "주민 명부 가져오기", 123456, true, cols, c.now)
		c.advance(time.Second)
		b.Add(61728)
		b.Done()
		for _, f := range frames(t, out.String()) {
			if w := displayWidth(f); w > cols-1 {
				t.Errorf("cols=%d: frame %q is %d columns", cols, f, w)
			}
		}
	}
}

func TestConcurrentAdd(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		var out bytes.Buffer
		b := newBar(&out, "gen", 64*1000, tty, 80, time.Now)
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				for range 1000 {
					b.Add(1)
				}
			})
		}
		wg.Wait()
		b.Done()
		if b.done != 64*1000 {
			t.Errorf("tty=%v: counted %d, want %d", tty, b.done, 64*1000)
		}
		if !strings.Contains(out.String(), "64000/64000 (100%)") {
			t.Errorf("tty=%v: final state missing from %q", tty, out.String())
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"abc": 3, "가져오기": 8, "a 가": 4} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
	if got := truncate("가나다", 5); got != "가나" {
		t.Errorf("truncate = %q", got)
	}
}
