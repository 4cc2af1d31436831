package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/notify"
)

// App is a running app over a demo city of 300 citizens.
type App struct {
	*app.App
	Server   *httptest.Server
	Staff    map[string]string // username -> password
	Phone    string            // a demo citizen's number
	Messages string            // the file every message is written to, as with serve --demo
}

// MessagesFile returns drivers that write every message, whole, to a file,
// as `serve --demo` does, and the file: the tests read sign-in codes there,
// where the demo's operator reads them, never in the outbox.
func MessagesFile(t testing.TB) (map[string]notify.Driver, string) {
	path := filepath.Join(t.TempDir(), "messages.jsonl")
	fd := notify.FileDriver{Path: path}
	return map[string]notify.Driver{notify.SMS: fd, notify.Email: fd}, path
}

// DemoCity is the demo city of 300 citizens, generated once per test binary
// and backend and copied for each test: every test starts from the same city
// without paying for its generation, and may run in parallel with others.
var DemoCity = &dbtest.Template[demo.Result]{Name: "demo", Build: func(ctx context.Context, d *db.DB) (demo.Result, error) {
	return demo.Generate(ctx, d, demo.Options{Citizens: 300})
}}

// SQLite is a running app over its own copy of the demo city on SQLite.
func SQLite(t testing.TB) *App {
	t.Helper()
	d, res := DemoCity.SQLite(t)
	return Start(t, d, res)
}

// Postgres is SQLite on PostgreSQL (skipped without it).
func Postgres(t testing.TB) *App {
	t.Helper()
	d, res := DemoCity.Postgres(t)
	return Start(t, d, res)
}

// EachBackend runs fn on an app over each database, as subtests named
// after them.
func EachBackend(t *testing.T, fn func(t *testing.T, ta *App)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// New generates the demo city in d, which the test has opened and
// migrated itself, and starts an app over it.
func New(t testing.TB, d *db.DB) *App {
	t.Helper()
	res, err := demo.Generate(context.Background(), d, demo.Options{Citizens: 300})
	if err != nil {
		t.Fatal(err)
	}
	return Start(t, d, res)
}

func Start(t testing.TB, d *db.DB, res demo.Result) *App {
	t.Helper()
	drivers, messages := MessagesFile(t)
	a, err := app.New(d, app.Options{Demo: true, IssuerSecret: []byte("maeul test issuer secret, 32 by."), Drivers: drivers})
	if err != nil {
		t.Fatal(err)
	}
	ta := &App{App: a, Staff: map[string]string{}, Phone: res.SamplePhone, Messages: messages}
	for _, a := range res.Accounts {
		ta.Staff[a.Username] = a.Password
	}
	ta.Server = httptest.NewServer(ta)
	t.Cleanup(ta.Server.Close)
	return ta
}

// Client is a browser-like HTTP client with its own cookies.
type Client struct {
	T    testing.TB
	Base string
	HTTP *http.Client
}

func (ta *App) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: t, Base: ta.Server.URL, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (c *Client) Do(method, path string, form url.Values, header map[string]string) (int, string) {
	c.T.Helper()
	var body io.Reader
	if form != nil {
		if method != http.MethodGet && form.Get("csrf") == "" && header["X-CSRF-Token"] == "" {
			form.Set("csrf", c.CSRF())
		}
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		c.T.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (c *Client) Get(path string) (int, string) { return c.Do(http.MethodGet, path, nil, nil) }

func (c *Client) Post(path string, form url.Values) (int, string) {
	return c.Do(http.MethodPost, path, form, nil)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF loads a page to obtain the double-submit token.
func (c *Client) CSRF() string {
	c.T.Helper()
	u, _ := url.Parse(c.Base)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "maeul_csrf" {
			return ck.Value
		}
	}
	_, body := c.Get("/login")
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		c.T.Fatal("no csrf token on /login")
	}
	return m[1]
}

var codeRe = regexp.MustCompile(`\b(\d{6})\b`)

// LastCode reads the newest sign-in code sent to phone from the messages
// file, as the demo's operator does (the outbox hides codes).
func (ta *App) LastCode(t testing.TB, phone string) string {
	t.Helper()
	msgs, err := notify.ReadFile(ta.Messages)
	if err != nil {
		t.Fatalf("messages file: %v", err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Recipient != phone {
			continue
		}
		m := codeRe.FindStringSubmatch(msgs[i].Body)
		if m == nil {
			t.Fatalf("no code in %q", msgs[i].Body)
		}
		return m[1]
	}
	t.Fatalf("no message to %s", phone)
	return ""
}

// SignInCitizen signs a citizen in by phone and code through the pages.
func (ta *App) SignInCitizen(t testing.TB, c *Client, phone string) {
	t.Helper()
	if st, body := c.Post("/login/phone", url.Values{"phone": {phone}}); st != 200 || !strings.Contains(body, `name="code"`) {
		t.Fatalf("send code: %d", st)
	}
	e164 := "+82" + strings.TrimPrefix(strings.ReplaceAll(phone, "-", ""), "0")
	if st, _ := c.Post("/login/code", url.Values{"phone": {e164}, "code": {ta.LastCode(t, e164)}}); st != 200 {
		t.Fatalf("verify code: %d", st)
	}
}

func (ta *App) SignInStaff(t testing.TB, c *Client, username string) {
	t.Helper()
	st, body := c.Post("/login/staff", url.Values{"username": {username}, "password": {ta.Staff[username]}})
	if st != 200 || !strings.Contains(body, "maeul_session") && !strings.Contains(body, "logout") {
		t.Fatalf("staff sign-in %s: %d", username, st)
	}
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	EachBackend(t, func(t *testing.T, ta *App) {
		anon := ta.Client(t)
		citizen := ta.Client(t)
		ta.SignInCitizen(t, citizen, ta.Phone)
		tutor := ta.Client(t)
		ta.SignInStaff(t, tutor, "tutor1")

		type scenario struct {
			name     string
			c        *Client
			method   string
			path     string
			form     url.Values
			header   map[string]string
			status   int
			contains []string
			absent   []string
		}
		en := map[string]string{"Accept-Language": "en-GB,en;q=0.9"}
		scenarios := []scenario{
			{name: "home in Korean", c: anon, method: "GET", path: "/", status: 200, contains: []string{`lang="ko"`, "부산 디지털배움터", "본문으로 바로가기", "시연용 자료"}},
			{name: "home in English by Accept-Language", c: ta.Client(t), method: "GET", path: "/", header: en, status: 200, contains: []string{`lang="en"`, "Skip to main content", "Demo data"}},
			{name: "catalogue filters", c: anon, method: "GET", path: "/courses?theme=fraud", status: 200, contains: []string{"금융사기 예방"}, absent: []string{"생성형 AI 시작하기"}},
			{name: "venues list experience zones", c: anon, method: "GET", path: "/venues", status: 200, contains: []string{"디지털 체험존", "신청이 필요 없습니다", "소담방"}},
			{name: "unknown session", c: anon, method: "GET", path: "/sessions/999999", status: 404, contains: []string{"수업을 찾을 수 없습니다"}},
			{name: "unknown session in English", c: anon, method: "GET", path: "/sessions/999999", header: en, status: 404, contains: []string{"Class not found"}},
			{name: "unknown page", c: anon, method: "GET", path: "/no/such/page", status: 404},
			{name: "my classes needs sign-in", c: anon, method: "GET", path: "/my/registrations", status: 200, contains: []string{"휴대전화 번호"}},
			{name: "api needs sign-in", c: anon, method: "GET", path: "/api/v1/me/registrations", status: 401, contains: []string{`"unauthorized"`}},
			{name: "malformed phone", c: anon, method: "POST", path: "/login/phone", form: url.Values{"phone": {"12345"}}, status: 422, contains: []string{"010-1234-5678처럼"}},
			{name: "malformed phone in English", c: ta.Client(t), method: "POST", path: "/login/phone", form: url.Values{"phone": {"abc"}}, header: en, status: 422, contains: []string{"Enter a Korean mobile number"}},
			{name: "POST without CSRF token", c: citizen, method: "POST", path: "/sessions/200/register", form: url.Values{"csrf": {"forged-token-forged-token-forged-token"}}, status: 403},
			{name: "wrong role registers for self", c: tutor, method: "POST", path: "/sessions/200/register", form: url.Values{}, status: 403, contains: []string{"시민 대신 처리"}},
			{name: "citizen cannot read outbox", c: citizen, method: "GET", path: "/admin/outbox", status: 403},
			{name: "health", c: anon, method: "GET", path: "/healthz", status: 200, contains: []string{"ok"}},
			{name: "ready", c: anon, method: "GET", path: "/readyz", status: 200, contains: []string{"ready"}},
			{name: "metrics", c: anon, method: "GET", path: "/metrics", status: 200, contains: []string{`maeul_http_requests_total{route="GET /healthz",status="2xx"}`}},
			{name: "session calendar", c: anon, method: "GET", path: "/sessions/200/calendar.ics", status: 200, contains: []string{"BEGIN:VCALENDAR", "BEGIN:VEVENT"}},
			{name: "venue feed", c: anon, method: "GET", path: "/venues/hub-sodambang/calendar.ics", status: 200, contains: []string{"BEGIN:VCALENDAR"}},
			{name: "DID document", c: anon, method: "GET", path: "/.well-known/did.json", status: 200, contains: []string{`"id":"did:web:127.0.0.1%3A`}},
			{name: "issuer metadata", c: anon, method: "GET", path: "/.well-known/jwt-vc-issuer", status: 200, contains: []string{`"issuer":"http://127.0.0.1:`}},
			{name: "wallet endpoints need no CSRF token", c: ta.Client(t), method: "POST", path: "/oauth/nonce", form: url.Values{"csrf": {"none-none-none-none-none-none-none-no"}}, status: 200, contains: []string{`"c_nonce"`}},
			{name: "credential issuer metadata", c: anon, method: "GET", path: "/.well-known/openid-credential-issuer", status: 200, contains: []string{`"dc+sd-jwt"`, "urn:maeul:busan:citizen-card:1"}},
			{name: "api sessions", c: anon, method: "GET", path: "/api/v1/sessions?theme=ai", status: 200, contains: []string{`"sessions"`, `"theme":"ai"`}},
		}
		for _, s := range scenarios {
			t.Run(s.name, func(t *testing.T) {
				s.c.T = t
				st, body := s.c.Do(s.method, s.path, s.form, s.header)
				if st != s.status {
					t.Fatalf("status %d, want %d\n%s", st, s.status, Trim(body))
				}
				for _, want := range s.contains {
					if !strings.Contains(body, want) {
						t.Errorf("body lacks %q\n%s", want, Trim(body))
					}
				}
				for _, bad := range s.absent {
					if strings.Contains(body, bad) {
						t.Errorf("body has %q", bad)
					}
				}
			})
		}
	})
}

func Trim(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500]
	}
	return s
}
