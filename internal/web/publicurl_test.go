package web

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestParsePublicURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://maeul.example.kr":        "https://maeul.example.kr",
		"https://maeul.example.kr/":       "https://maeul.example.kr",
		"https://example.kr:8443/maeul/":  "https://example.kr:8443/maeul",
		"http://127.0.0.1:8080":           "http://127.0.0.1:8080",
		"maeul.example.kr":                "",
		"ftp://maeul.example.kr":          "",
		"https://":                        "",
		"https://maeul.example.kr/?a=b":   "",
		"https://user@maeul.example.kr":   "",
		"https://maeul.example.kr/#frag":  "",
		"https://maeul.example.kr:bad/x":  "",
		"//maeul.example.kr/no-scheme":    "",
		"https://maeul.example.kr/a b/c/": "https://maeul.example.kr/a%20b/c",
	} {
		got, err := ParsePublicURL(in)
		if want == "" {
			if err == nil {
				t.Errorf("%q accepted as %q", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
	}
}

// publicHandler answers with what a handler sees of the public address.
func publicHandler(p Public) http.Handler {
	rt := NewRouter(NewMetrics())
	rt.Handle("GET /where", func(w http.ResponseWriter, r *http.Request) error {
		Flash(w, r, "error.title")
		_, err := io.WriteString(w, AbsURL(r, "/x"))
		return err
	})
	RegisterPrefs(rt)
	return Chain(rt, Recover, p.Middleware(), WithPrefsMiddleware, CSRF)
}

func TestPublicURLIsNeverTheHostHeader(t *testing.T) {
	t.Parallel()
	h := publicHandler(Public{URL: "https://maeul.example.kr"})
	r := httptest.NewRequest("GET", "http://evil.example/where", nil)
	r.Host = "evil.example"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got := w.Body.String(); got != "https://maeul.example.kr/x" {
		t.Errorf("absolute URL %q", got)
	}
	if got := w.Header().Get("Strict-Transport-Security"); got != HSTS {
		t.Errorf("HSTS %q behind an https public address", got)
	}
	cookies := w.Result().Cookies()
	if len(cookies) == 0 {
		t.Fatal("no cookie set")
	}
	for _, c := range cookies {
		if !c.Secure {
			t.Errorf("cookie %s not Secure with an https public address", c.Name)
		}
	}
	// The language switch and the display toggles set cookies too.
	r = httptest.NewRequest("GET", "/lang/en", nil)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s not Secure", c.Name)
		}
	}
}

func TestDevelopmentTakesTheRequestsAddress(t *testing.T) {
	t.Parallel()
	h := publicHandler(Public{})
	r := httptest.NewRequest("GET", "http://127.0.0.1:8080/where", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got := w.Body.String(); got != "http://127.0.0.1:8080/x" {
		t.Errorf("absolute URL %q", got)
	}
	if w.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on plain HTTP")
	}
	for _, c := range w.Result().Cookies() {
		if c.Secure {
			t.Errorf("cookie %s Secure on plain HTTP in development", c.Name)
		}
	}
	// Over TLS: https, Secure cookies, HSTS.
	r = httptest.NewRequest("GET", "https://127.0.0.1:8443/where", nil)
	r.TLS = &tls.ConnectionState{}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got := w.Body.String(); got != "https://127.0.0.1:8443/x" {
		t.Errorf("absolute URL over TLS %q", got)
	}
	if w.Header().Get("Strict-Transport-Security") != HSTS {
		t.Error("no HSTS over TLS")
	}
	for _, c := range w.Result().Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s not Secure over TLS", c.Name)
		}
	}
	// --secure-cookies alone.
	h = publicHandler(Public{URL: "http://10.0.0.1:8080", SecureCookies: true})
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/where", nil))
	for _, c := range w.Result().Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s not Secure with SecureCookies", c.Name)
		}
	}
}
