package browsertest

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// goodPage is the smallest page that should pass every rule we enforce:
// lang, title, landmarks, one h1, a labelled field and a named link. Korean
// text exercises the fonts a real Maeul page needs.
const goodPage = `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>마을 — 접근성 시험</title>
</head>
<body>
<a href="#main">본문 바로가기</a>
<header><nav aria-label="주 메뉴"><ul><li><a id="next" href="/next">다음 페이지</a></li></ul></nav></header>
<main id="main">
<h1>마을 접근성 시험</h1>
<form action="/next" method="get">
<label for="name">이름</label>
<input id="name" name="name" type="text" autocomplete="name">
<button type="submit">보내기</button>
</form>
</main>
<footer><p>마을 시민 플랫폼</p></footer>
</body>
</html>`

const nextPage = `<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><title>다음 — 마을</title></head>
<body><main><h1>다음 페이지</h1><p><a href="/">처음으로</a></p></main></body>
</html>`

// badPage breaks two rules on purpose: an image without alt and an input
// without any label.
const badPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken</title></head>
<body><main><h1>Broken</h1>
<img id="photo" src="/photo.png">
<input id="q" type="text" name="q">
</main></body>
</html>`

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			// Maeul serves a strict CSP; axe must still run under one.
			w.Header().Set("Content-Security-Policy", "default-src 'self'")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", page(goodPage))
	mux.HandleFunc("GET /next", page(nextPage))
	mux.HandleFunc("GET /bad", page(badPage))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// recorder stands in for a test so the harness's own failure paths can be
// asserted on without failing the real test.
type recorder struct {
	testing.TB
	mu                    sync.Mutex
	errors, fatals, skips []string
}

func (r *recorder) add(dst *[]string, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*dst = append(*dst, s)
}

func (r *recorder) Error(args ...any)                 { r.add(&r.errors, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) { r.add(&r.errors, fmt.Sprintf(format, args...)) }
func (r *recorder) Fatal(args ...any)                 { r.add(&r.fatals, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.add(&r.fatals, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) Skip(args ...any) { r.add(&r.skips, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Skipf(format string, args ...any) {
	r.add(&r.skips, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errors)+len(r.fatals) > 0
}

// run calls f on its own goroutine because Fatal and Skip end it with
// Goexit, as the testing package does.
func (r *recorder) run(f func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}

func TestAxePassesAccessiblePage(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b := Start(t)
	b.Visit(t, srv.URL+"/")
	if got, want := b.Checked(), []string{srv.URL + "/"}; !slices.Equal(got, want) {
		t.Errorf("Checked() = %q, want %q", got, want)
	}
}

func TestViolationsReported(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b := Start(t)
	if st := b.Navigate(t, srv.URL+"/bad"); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	vs, err := b.violations()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]violation{}
	for _, v := range vs {
		ids[v.ID] = v
	}
	for id, target := range map[string]string{"image-alt": "#photo", "label": "#q"} {
		v, ok := ids[id]
		if !ok {
			t.Errorf("violation %s not reported; got %v", id, slices.Sorted(maps.Keys(ids)))
			continue
		}
		if len(v.Nodes) != 1 || !slices.Contains(v.Nodes[0].Target, target) {
			t.Errorf("%s nodes = %+v, want target %s", id, v.Nodes, target)
		}
	}

	// Axe itself must fail the test with a report naming rule, element and
	// HTML, since that report is all a CI log will show.
	rec := &recorder{TB: t}
	rec.run(b.Axe)
	if len(rec.errors) != 1 {
		t.Fatalf("Axe reported %d errors, want 1: %q (fatals %q)", len(rec.errors), rec.errors, rec.fatals)
	}
	for _, want := range []string{"image-alt [critical]", "label [critical]", "#photo", `<img id="photo" src="/photo.png">`, "#q", srv.URL + "/bad"} {
		if !strings.Contains(rec.errors[0], want) {
			t.Errorf("report lacks %q:\n%s", want, rec.errors[0])
		}
	}
	if got := b.Checked(); len(got) != 2 {
		t.Errorf("Checked() = %q, want the bad page twice", got)
	}
}

func TestKeyboardTabEnterNavigates(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b := Start(t)
	b.Visit(t, srv.URL+"/")

	b.TabTo(t, "#next", 5)
	if el := b.Focused(t); el.Tag != "a" || el.Text != "다음 페이지" || el.Attrs["href"] != "/next" {
		t.Fatalf("focused %s %+v, want the next link", el, el)
	}
	b.PressNavigate(t, "Enter")
	if got := b.Location(t); got != srv.URL+"/next" {
		t.Fatalf("after Enter at %s, want %s/next", got, srv.URL)
	}
	if got := b.Text(t, "h1"); got != "다음 페이지" {
		t.Errorf("h1 = %q", got)
	}

	// Typing Hangul and submitting with Enter is the common form path.
	b.Visit(t, srv.URL+"/")
	b.TabTo(t, "#name", 10)
	b.Type(t, "홍길동")
	if got := b.Focused(t).Value; got != "홍길동" {
		t.Errorf("typed value = %q", got)
	}
	b.PressNavigate(t, "Enter")
	if got, want := b.Location(t), srv.URL+"/next?name=%ED%99%8D%EA%B8%B8%EB%8F%99"; got != want {
		t.Errorf("after submit at %s, want %s", got, want)
	}

	// Shift+Tab walks back, which checks modifiers reach the page.
	b.Visit(t, srv.URL+"/")
	b.TabTo(t, "#name", 10)
	b.Press(t, "Tab", chromedp.ModifierShift)
	if el := b.Focused(t); el.Attrs["id"] != "next" {
		t.Errorf("Shift+Tab from #name focused %s, want #next", el)
	}
	if n := len(b.Checked()); n != 5 {
		t.Errorf("Checked %d pages, want 5: %q", n, b.Checked())
	}
}

func TestTabToFailsClearly(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b := Start(t)
	b.Visit(t, srv.URL+"/")

	rec := &recorder{TB: t}
	rec.run(func(tb testing.TB) { b.TabTo(tb, "h1", 3) })
	if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], "not focused after 3 Tab presses") ||
		!strings.Contains(rec.fatals[0], `a "본문 바로가기"`) {
		t.Errorf("TabTo to an unfocusable element: fatals %q", rec.fatals)
	}

	rec = &recorder{TB: t}
	rec.run(func(tb testing.TB) { b.TabTo(tb, "#missing", 3) })
	if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], `no element matches "#missing"`) {
		t.Errorf("TabTo to a missing element: fatals %q", rec.fatals)
	}
}

func TestPhoneViewportAndScreenshot(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b := Start(t)
	b.SetViewport(t, 390, 844)
	b.Visit(t, srv.URL+"/")
	w, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[int]("window.innerWidth"))
	if err != nil || w != 390 {
		t.Errorf("innerWidth = %d, %v; want 390", w, err)
	}
	path := filepath.Join(t.TempDir(), "shots", "phone.png")
	b.Screenshot(t, path)
	png, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot is not a PNG")
	}
}

func TestStartWithoutBrowser(t *testing.T) {
	t.Setenv(chromiumEnv, "/nonexistent")
	for _, ci := range []string{"", "true"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			rec := &recorder{TB: t}
			rec.run(func(tb testing.TB) { Start(tb) })
			switch {
			case ci == "true" && (len(rec.fatals) != 1 || len(rec.skips) != 0):
				t.Errorf("CI=true: fatals %q skips %q, want one fatal", rec.fatals, rec.skips)
			case ci == "" && (len(rec.skips) != 1 || len(rec.fatals) != 0):
				t.Errorf("no CI: fatals %q skips %q, want one skip", rec.fatals, rec.skips)
			}
			for _, msg := range append(rec.fatals, rec.skips...) {
				if !strings.Contains(msg, "/nonexistent") {
					t.Errorf("message does not say where it looked: %s", msg)
				}
			}
		})
	}
}

func TestKeyFor(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Enter": "\r", "Space": " ", " ": " ", "a": "a", "ㄱ": "ㄱ"} {
		if got, err := keyFor(in); err != nil || got != want {
			t.Errorf("keyFor(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := keyFor("Enterr"); err == nil {
		t.Error("keyFor accepted an unknown multi-rune name")
	}
}
