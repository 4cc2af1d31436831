package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const (
	// actionTimeout bounds every single browser action, so a hung renderer
	// fails the one test instead of eating CI's whole time budget.
	actionTimeout = 20 * time.Second
	// startTimeout is longer than actionTimeout because the first launch on
	// a cold two-core machine also loads fonts and the profile.
	startTimeout = 45 * time.Second

	// The desktop size most of Maeul's layouts are reviewed at.
	windowWidth  = 1280
	windowHeight = 900
)

// chromiumEnv names the variable that overrides where Chromium is looked for.
const chromiumEnv = "MAEUL_CHROMIUM"

// chromiumCandidates are where Debian's and Google's packages put the binary.
var chromiumCandidates = []string{
	"/usr/bin/chromium",
	"/usr/bin/chromium-browser",
	"/usr/bin/google-chrome",
}

// Browser is one tab of headless Chromium, owned by one test.
// Its methods are not safe for concurrent use: the tab has one focus and one
// location, so parallel actions would race anyway.
type Browser struct {
	ctx context.Context

	mu      sync.Mutex
	checked []string
}

// findChromium returns the browser to launch, or why there is none. When
// MAEUL_CHROMIUM is set it is the only place looked at, so that pointing it at
// a missing file reliably simulates a machine without a browser.
func findChromium() (string, error) {
	if p, ok := os.LookupEnv(chromiumEnv); ok && p != "" {
		if err := executable(p); err != nil {
			return "", fmt.Errorf("$%s=%s: %w", chromiumEnv, p, err)
		}
		return p, nil
	}
	for _, p := range chromiumCandidates {
		if executable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("none of %v exists and $%s is not set", chromiumCandidates, chromiumEnv)
}

func executable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return errors.New("not an executable file")
	}
	return nil
}

// inCI reports whether CI=true (or another true value strconv accepts).
func inCI() bool {
	v, _ := strconv.ParseBool(os.Getenv("CI"))
	return v
}

// Start gives t a tab of its own in the test binary's one headless Chromium,
// launched by the first test that asks, in a browser context of its own
// (cookies, storage and cache are the test's alone, as in a fresh profile);
// the tab closes when t ends. Tests that run in parallel each get their own.
//
// Without a browser the test is skipped, so developers without Chromium can
// still run the rest of the suite; under CI=true it fails instead, because a
// skipped accessibility check in CI would read as a passing one.
func Start(t testing.TB) *Browser {
	t.Helper()
	path, err := findChromium()
	if err != nil {
		const hint = "install it with tools/install-chromium.sh or point $" + chromiumEnv + " at it"
		if inCI() {
			t.Fatalf("browsertest: no Chromium (%v); CI=true, so this is a failure, not a skip: %s", err, hint)
		} else {
			t.Skipf("browsertest: skipping, no Chromium (%v); %s", err, hint)
		}
		return nil
	}
	browser, out, err := shared.acquire(path)
	if err != nil {
		t.Fatalf("browsertest: starting %s: %v\nbrowser output:\n%s", path, err, out)
	}
	ctx, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	b := &Browser{ctx: ctx}
	t.Cleanup(func() {
		if t.Failed() {
			b.saveFailureScreenshot(t)
		}
		// Closing the tab disposes of its browser context; the deadline
		// keeps a wedged renderer from hanging the test binary.
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_ = chromedp.Cancel(cctx)
		cancel()
		cancelTab()
		shared.release()
	})
	// The first Run opens the tab, whose life chromedp ties to that Run's
	// context: a timer, not a deadline, bounds it.
	timer := time.AfterFunc(startTimeout, cancelTab)
	defer timer.Stop()
	_, err = chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		// Headless tabs are not "focused", which would leave
		// document.hasFocus() false and :focus-visible styles unapplied in
		// keyboard tests and screenshots.
		_, err := cdp.Call(ctx, tgt, emulation.SetFocusEmulationEnabled,
			emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
	if err != nil {
		t.Fatalf("browsertest: opening a tab in %s: %v\nbrowser output:\n%s", path, err, shared.out.String())
	}
	return b
}

// shared is the test binary's one Chromium. Launching a browser costs a
// second or more on a busy two-core machine, and a package's browser tests
// used to pay it once each; now they share one, each in its own browser
// context. It closes a few seconds after its last tab, so a binary whose
// browser tests are done does not keep it; the kernel kills it with the
// binary in any case (chromedp's Pdeathsig).
var shared sharedBrowser

// idleClose is how long the browser outlives its last tab, so that the next
// test, starting right after, finds it running.
const idleClose = 5 * time.Second

type sharedBrowser struct {
	mu      sync.Mutex
	ctx     context.Context // the browser's chromedp context; nil when not running
	cancel  func()
	profile string
	out     *tailBuffer
	users   int
	idle    *time.Timer
}

// acquire returns the running browser's context, launching it if needed.
func (s *sharedBrowser) acquire(path string) (context.Context, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idle != nil {
		s.idle.Stop()
		s.idle = nil
	}
	if s.ctx == nil || s.ctx.Err() != nil {
		if err := s.launch(path); err != nil {
			return nil, s.out.String(), err
		}
	}
	s.users++
	return s.ctx, "", nil
}

func (s *sharedBrowser) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users--
	if s.users == 0 && s.cancel != nil {
		cancel := s.cancel
		s.idle = time.AfterFunc(idleClose, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.users == 0 && s.ctx != nil {
				s.shutdown(cancel)
			}
		})
	}
}

// shutdown closes the browser gracefully and removes its profile; s.mu held.
func (s *sharedBrowser) shutdown(cancel func()) {
	cctx, c := context.WithTimeout(s.ctx, 10*time.Second)
	_ = chromedp.Cancel(cctx)
	c()
	cancel()
	_ = os.RemoveAll(s.profile)
	s.ctx, s.cancel, s.profile = nil, nil, ""
}

// launch starts Chromium; s.mu held.
func (s *sharedBrowser) launch(path string) error {
	sweepProfiles()
	profile, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", profilePrefix, os.Getpid()))
	if err != nil {
		return fmt.Errorf("profile dir: %w", err)
	}
	s.out = &tailBuffer{max: 8 << 10}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		// Tests run as root in containers, where Chromium refuses to start
		// with its sandbox.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// The network is closed apart from loopback: every flag below stops
		// a background fetch that would otherwise retry and add noise.
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(windowWidth, windowHeight),
		chromedp.CombinedOutput(s.out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	cancel := func() { cancelCtx(); cancelAlloc() }

	// The first Run launches the browser, and chromedp ties the browser's
	// life to that Run's context, so it cannot carry a deadline; a timer
	// cancels the launch instead.
	timer := time.AfterFunc(startTimeout, cancelCtx)
	_, err = chromedp.Run(ctx, chromedp.Func(func(context.Context, *chromedp.Target) error { return nil }))
	launched := timer.Stop()
	if err != nil {
		cancel()
		_ = os.RemoveAll(profile)
		if !launched {
			err = fmt.Errorf("not ready after %v: %w", startTimeout, err)
		}
		return err
	}
	s.ctx, s.cancel, s.profile = ctx, cancel, profile
	return nil
}

// profilePrefix starts the name of each browser profile directory, followed
// by the process id of the test binary that owns it.
const profilePrefix = "maeul-chromium-"

// sweepProfiles removes the profile directories of test binaries that are no
// longer running: a binary that ends while its browser is open (the usual
// case: nothing runs after the last test) cannot remove its own.
func sweepProfiles() {
	if _, err := os.Stat("/proc/self"); err != nil {
		return // nothing tells which processes run
	}
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), profilePrefix+"*"))
	for _, dir := range dirs {
		rest := strings.TrimPrefix(filepath.Base(dir), profilePrefix)
		pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); errors.Is(err, os.ErrNotExist) {
			_ = os.RemoveAll(dir)
		}
	}
}

// Ctx is the tab's chromedp context, for actions the helpers do not cover.
// It has no deadline (a deadline on it would kill the browser); prefer Do,
// which bounds each call.
func (b *Browser) Ctx() context.Context { return b.ctx }

func (b *Browser) actionCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, actionTimeout)
}

// run executes one action under the per-action timeout and fails t on error.
// It is a function, not a method, because methods cannot be generic.
func run[T any](t testing.TB, b *Browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %v: %w", actionTimeout, err)
		}
		t.Fatalf("browsertest: %s: %v", what, err)
	}
	return v
}

// Navigate loads url and returns the HTTP status of the document (0 when the
// URL has no HTTP response, e.g. about:blank). It does not run axe; use it
// for pages a test inspects before checking them, such as error pages.
func (b *Browser) Navigate(t testing.TB, url string) int {
	t.Helper()
	resp := run(t, b, "navigating to "+url, chromedp.NavigateResponse(url))
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// Visit loads url, requires a non-error HTTP status (an error page passing
// axe would hide that the real page was never checked), and runs Axe. On a
// phone-sized viewport (PhoneWidth or narrower) it also requires the page's
// heading and main action in the first screen.
func (b *Browser) Visit(t testing.TB, url string) {
	t.Helper()
	if st := b.Navigate(t, url); st >= 400 {
		t.Fatalf("browsertest: %s answered HTTP %d", url, st)
	}
	b.Axe(t)
	b.onPhoneRequireFirstScreen(t)
}

// Checked lists, in order, the URLs on which axe has run.
func (b *Browser) Checked() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.checked...)
}

// Location is the current document URL.
func (b *Browser) Location(t testing.TB) string {
	t.Helper()
	return run(t, b, "reading location", chromedp.Location())
}

// Text is the rendered text (innerText, trimmed) of the first element
// matching the CSS selector. It fails at once when nothing matches rather than
// waiting for the element, so a wrong selector costs no timeout.
func (b *Browser) Text(t testing.TB, selector string) string {
	t.Helper()
	s := run(t, b, "reading text of "+selector, chromedp.Evaluate[*string](
		jsCall(`(sel) => { const e = document.querySelector(sel); return e ? e.innerText.trim() : null; }`, selector)))
	if s == nil {
		t.Fatalf("browsertest: no element matches %q on %s", selector, b.Location(t))
	}
	return *s
}

// SetViewport resizes the page's viewport, e.g. to 390x844 to check a phone
// layout; the window keeps its launch size.
func (b *Browser) SetViewport(t testing.TB, w, h int) {
	t.Helper()
	run(t, b, fmt.Sprintf("setting viewport %dx%d", w, h), chromedp.EmulateViewport(int64(w), int64(h)))
}

// Screenshot writes a full-page PNG of the current page to path.
func (b *Browser) Screenshot(t testing.TB, path string) {
	t.Helper()
	png := run(t, b, "taking screenshot", chromedp.FullScreenshot(100))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("browsertest: screenshot dir: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("browsertest: writing screenshot: %v", err)
	}
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// saveFailureScreenshot runs from Cleanup, where Fatal is no longer useful,
// so it only logs.
func (b *Browser) saveFailureScreenshot(t testing.TB) {
	dir := os.Getenv("MAEUL_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	ctx, cancel := b.actionCtx()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	path := filepath.Join(dir, unsafeFileChars.ReplaceAllString(t.Name(), "_")+".png")
	if err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		t.Logf("browsertest: failure screenshot: %v", err)
		return
	}
	t.Logf("browsertest: failure screenshot at %s", path)
}

// tailBuffer keeps the last max bytes of the browser's output, enough to
// explain a failed launch without unbounded memory on a chatty browser.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (w *tailBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if over := len(w.buf) - w.max; over > 0 {
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
	return len(p), nil
}

func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}

// ClearCookies forgets every cookie, so the next page is seen by someone
// new: signed out, with the default display settings.
func (b *Browser) ClearCookies(t testing.TB) {
	t.Helper()
	run(t, b, "clearing cookies", chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
}

// Eval evaluates the JavaScript expression js in the page and returns its
// value, failing t on an error or after the action timeout.
func Eval[T any](t testing.TB, b *Browser, js string) T {
	t.Helper()
	what := js
	if len(what) > 60 {
		what = what[:60] + "…"
	}
	return run(t, b, "evaluating "+what, chromedp.Evaluate[T](js))
}
