package app_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
)

func TestScenarios(t *testing.T) {
	t.Parallel()
	apptest.EachBackend(t, func(t *testing.T, ta *apptest.App) {
		anon := ta.Client(t)
		citizen := ta.Client(t)
		ta.SignInCitizen(t, citizen, ta.Phone)
		tutor := ta.Client(t)
		ta.SignInStaff(t, tutor, "tutor1")

		type scenario struct {
			name     string
			c        *apptest.Client
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
					t.Fatalf("status %d, want %d\n%s", st, s.status, apptest.Trim(body))
				}
				for _, want := range s.contains {
					if !strings.Contains(body, want) {
						t.Errorf("body lacks %q\n%s", want, apptest.Trim(body))
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
