package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/errs"
)

func testHandler() http.Handler {
	rt := NewRouter(NewMetrics())
	RegisterPrefs(rt)
	rt.Handle("POST /echo", func(w http.ResponseWriter, r *http.Request) error {
		_, err := w.Write([]byte("ok"))
		return err
	})
	rt.Handle("GET /fail", func(w http.ResponseWriter, r *http.Request) error {
		return errs.Field("phone", "auth.phone_invalid")
	})
	rt.Handle("GET /api/v1/fail", func(w http.ResponseWriter, r *http.Request) error {
		return errs.New(errs.Conflict, "learn.already_registered")
	})
	rt.Handle("GET /explode", func(w http.ResponseWriter, r *http.Request) error { panic("boom") })
	return Chain(rt, Recover, SecurityHeaders, WithPrefsMiddleware, CSRF)
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	h := testHandler()
	post := func(cookie, field, header string) int {
		form := url.Values{"csrf": {field}}
		r := httptest.NewRequest("POST", "/echo", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != "" {
			r.AddCookie(&http.Cookie{Name: csrfCookie, Value: cookie})
		}
		if header != "" {
			r.Header.Set("X-CSRF-Token", header)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	tok := strings.Repeat("a", 32)
	cases := []struct {
		name                  string
		cookie, field, header string
		want                  int
	}{
		{"matching form field", tok, tok, "", 200},
		{"matching header", tok, "", tok, 200},
		{"no cookie", "", tok, "", 403},
		{"wrong token", tok, strings.Repeat("b", 32), "", 403},
		{"short cookie", "short", "short", "", 403},
	}
	for _, c := range cases {
		if got := post(c.cookie, c.field, c.header); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	// A cross-site browser request is refused even with a token.
	r := httptest.NewRequest("POST", "/echo", strings.NewReader("csrf="+tok))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 403 {
		t.Errorf("cross-site: %d", w.Code)
	}
}

func TestErrorsAreLocalizedAndSafe(t *testing.T) {
	t.Parallel()
	h := testHandler()
	get := func(path, lang string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Accept-Language", lang)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := get("/fail", "en"); w.Code != 422 || !strings.Contains(w.Body.String(), "Enter a Korean mobile number") {
		t.Errorf("page error: %d %s", w.Code, w.Body.String())
	}
	if w := get("/api/v1/fail", "ko"); w.Code != 409 || !strings.Contains(w.Body.String(), `"code":"conflict"`) || !strings.Contains(w.Body.String(), "이미 이 수업을") {
		t.Errorf("api error: %d %s", w.Code, w.Body.String())
	}
	if w := get("/explode", "en"); w.Code != 500 || strings.Contains(w.Body.String(), "boom") || !strings.Contains(w.Body.String(), "Something went wrong") {
		t.Errorf("panic: %d leaks %q", w.Code, w.Body.String())
	}
	if w := get("/echo", "en"); w.Code != 405 || w.Header().Get("Allow") != "POST" {
		t.Errorf("GET on a POST route: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
	if w := get("/nowhere", "en"); w.Code != 404 || !strings.Contains(w.Body.String(), "There is no page") {
		t.Errorf("404: %d", w.Code)
	}
	if csp := get("/fail", "en").Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}

func TestLanguageSwitchStaysOnSite(t *testing.T) {
	t.Parallel()
	h := testHandler()
	for next, want := range map[string]string{"/courses?x=1": "/courses?x=1", "//evil.example": "/", "https://evil.example": "/", `/\evil`: "/"} {
		r := httptest.NewRequest("GET", "/lang/en?next="+url.QueryEscape(next), nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if loc := w.Header().Get("Location"); loc != want {
			t.Errorf("next=%q redirected to %q, want %q", next, loc, want)
		}
		if !strings.Contains(strings.Join(w.Header().Values("Set-Cookie"), ";"), "maeul_lang=en") {
			t.Errorf("language not remembered")
		}
	}
}
