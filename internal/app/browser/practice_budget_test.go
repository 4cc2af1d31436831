package browser_test

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/practice"
)

// The budget for each emulator page with its scenario.
const (
	assetBudget       = 150 << 10 // JavaScript and CSS together, gzip-compressed
	interactiveBudget = 1000.0    // ms to the first screen being interactive, CPU slowed 4×
)

// TestBrowserEmulatorPagesWithinBudget loads the first screen of every emulator
// with the browser's cache off and its CPU slowed four times, and holds
// each page to the budget: the JavaScript and CSS it loads, compressed,
// and the time until its deferred scripts have run, the fastest of three (DOMContentLoaded's
// end: the buttons answer and the listen button is wired). Run with -v
// for the figures.
func TestBrowserEmulatorPagesWithinBudget(t *testing.T) {
	// Not parallel: it measures time. Time is held to its budget only when
	// the test runs alone (CI does so first, with timedEnv set): in a
	// `go test ./...` every other package's tests share the two cores.
	timed := os.Getenv(timedEnv) == "1"
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	all, err := practice.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.Ctx(), network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.Ctx(), emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4}); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Call(b.Ctx(), emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 1})
	type timing struct {
		DCL    float64  `json:"dcl"`
		Assets []string `json:"assets"`
		Listen bool     `json:"listen"`
		Served float64  `json:"served"` // the page received, ms
	}
	sizes := map[string]int{}
	worst := 0.0
	for _, s := range all {
		url := ta.Server.URL + "/practice/" + s.ID + "/play?mode=guided&task=" + s.Tasks[0].ID + "&at=" + s.Start
		// The first load warms the server's templates and the browser's
		// connection; of the three measured after it, the fastest is taken:
		// other work on a shared machine only ever adds time, so the
		// fastest load is the page's own cost (as timeit and Go's
		// benchmarks reason), and a burst of another test is not counted
		// against it.
		b.Navigate(t, url)
		var runs []timing
		for range 3 {
			b.Navigate(t, url)
			m, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[timing](`(() => {
				const n = performance.getEntriesByType('navigation')[0];
				return {dcl: n.domContentLoadedEventEnd, served: n.responseEnd,
					assets: [...document.querySelectorAll('link[rel=stylesheet], script[src]')].map(e => e.href || e.src),
					listen: !!document.getElementById('practice-speak')};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, m)
		}
		slices.SortFunc(runs, func(a, b timing) int { return cmp.Compare(a.DCL, b.DCL) })
		m := runs[0]
		total := 0
		for _, a := range m.Assets {
			if _, ok := sizes[a]; !ok {
				sizes[a] = gzipped(t, a)
			}
			total += sizes[a]
		}
		t.Logf("%-18s %5.0f ms to interactive (CPU 4× slower; page received at %3.0f ms), %4.1f KB JS+CSS gzipped in %d files",
			s.ID, m.DCL, m.Served, float64(total)/1024, len(m.Assets))
		if total > assetBudget {
			t.Errorf("%s: %d bytes of JavaScript and CSS compressed, over the budget of %d", s.ID, total, assetBudget)
		}
		if m.DCL > interactiveBudget {
			if timed {
				t.Errorf("%s: interactive after %.0f ms, over the budget of %.0f ms", s.ID, m.DCL, interactiveBudget)
			} else {
				t.Logf("%s: interactive after %.0f ms, over the budget of %.0f ms: not a failure while other tests share the machine (%s=1 makes it one, as CI does running this test alone)", s.ID, m.DCL, interactiveBudget, timedEnv)
			}
		}
		if !m.Listen {
			t.Errorf("%s: no listen button on the first screen", s.ID)
		}
		worst = max(worst, m.DCL)
	}
	t.Logf("slowest first screen: %.0f ms", worst)
}

// timedEnv, set to 1, makes the time to interactive a failure over budget.
const timedEnv = "MAEUL_TIMING_BUDGETS"

// gzipped is the size of the asset at url compressed as a server would.
func gzipped(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: %d %v", url, resp.StatusCode, err)
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(body)
	w.Close()
	return buf.Len()
}
