package auth

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// Behind a trusted proxy every client has its own limits; a client that
// writes X-Forwarded-For itself does not; a refusal says when to come
// back, in the client's language.
func TestLimitsPerClientBehindAProxy(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t, dbtest.SQLite(t))
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, s, Options{})
	trusted, err := web.ParseTrustedProxies("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	h := web.Chain(rt, web.ClientAddrs(trusted), web.WithPrefsMiddleware, s.Sessions.Middleware, web.CSRF)
	tok := strings.Repeat("t", 32)
	do := func(peer, xff, path, contentType, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.RemoteAddr = peer
		r.Header.Set("Content-Type", contentType)
		r.Header.Set("X-CSRF-Token", tok)
		r.Header.Set("Accept-Language", "en")
		r.AddCookie(&http.Cookie{Name: "maeul_csrf", Value: tok})
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	send := func(peer, xff, phone string) *httptest.ResponseRecorder {
		return do(peer, xff, "/api/v1/auth/code", "application/json", `{"phone":"`+phone+`"}`)
	}

	// More clients behind the proxy than one address may send codes: each
	// is counted apart.
	for i := range codeSendsPerAddress.Max + 5 {
		if w := send("10.0.0.2:5000", fmt.Sprintf("198.51.100.%d", i+1), fmt.Sprintf("010-%04d-0002", 5000+i)); w.Code != http.StatusAccepted {
			t.Fatalf("client %d behind the proxy: %d %s", i, w.Code, w.Body)
		}
	}
	// One client behind the proxy is held to its own limit.
	for i := range codeNewPerAddress.Max {
		if w := send("10.0.0.2:5000", "203.0.113.50", fmt.Sprintf("010-%04d-0003", 6000+i)); w.Code != http.StatusAccepted {
			t.Fatalf("send %d: %d %s", i, w.Code, w.Body)
		}
	}
	w := send("10.0.0.2:5000", "203.0.113.50", "010-6999-0003")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "3600" || !strings.Contains(w.Body.String(), "Please ask again in 60 minutes") {
		t.Fatalf("one too many behind the proxy: %d Retry-After %q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// The page says it too.
	form := url.Values{"phone": {"010-6998-0003"}}.Encode()
	w = do("10.0.0.2:5000", "203.0.113.50", "/login/phone", "application/x-www-form-urlencoded", form)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "Please ask again in") {
		t.Fatalf("the page's refusal: %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}

	// A client that is no proxy gains nothing by writing the header.
	for i := range codeNewPerAddress.Max + 3 {
		w := send("203.0.113.9:4000", fmt.Sprintf("198.51.100.%d", 100+i), fmt.Sprintf("010-%04d-0004", 7000+i))
		if want := http.StatusAccepted; i >= codeNewPerAddress.Max {
			if w.Code != http.StatusTooManyRequests {
				t.Fatalf("spoofed send %d: %d", i, w.Code)
			}
		} else if w.Code != want {
			t.Fatalf("send %d: %d %s", i, w.Code, w.Body)
		}
	}

	// Staff: the waits after wrong passwords are answered the same way.
	if _, err := s.Users.Create(t.Context(), NewUser{Role: "operator", Name: "상담원", Username: "op2", Password: "long enough password"}); err != nil {
		t.Fatal(err)
	}
	var last *httptest.ResponseRecorder
	for range passwordFreeFailures + 1 {
		last = do("10.0.0.2:5000", "203.0.113.77", "/api/v1/auth/staff", "application/json", `{"username":"op2","password":"wrong wrong"}`)
	}
	if n, _ := strconv.Atoi(last.Header().Get("Retry-After")); last.Code != http.StatusTooManyRequests || n < 1 || !strings.Contains(last.Body.String(), "The account is not locked") {
		t.Fatalf("wrong passwords: %d Retry-After %q %s", last.Code, last.Header().Get("Retry-After"), last.Body)
	}
	if w := do("10.0.0.2:5000", "203.0.113.78", "/api/v1/auth/staff", "application/json", `{"username":"op2","password":"long enough password"}`); w.Code != http.StatusOK {
		t.Fatalf("the right password from another client: %d %s", w.Code, w.Body)
	}
}
