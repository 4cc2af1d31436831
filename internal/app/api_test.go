package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
)

// TestAPIFlow does through the JSON API what a citizen and an operator do
// through the pages.
func TestAPIFlow(t *testing.T) {
	t.Parallel()
	apptest.EachBackend(t, func(t *testing.T, ta *apptest.App) {
		s := futureSession(t, ta.App, "API-1", 1)
		c := ta.Client(t)
		call := func(method, path, body string, want int) map[string]any {
			t.Helper()
			_, me := c.Get("/api/v1/me")
			var m struct{ CSRF string }
			json.Unmarshal([]byte(me), &m)
			req, _ := http.NewRequest(method, c.Base+path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", m.CSRF)
			req.Header.Set("Accept-Language", "en")
			resp, err := c.HTTP.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out map[string]any
			json.NewDecoder(resp.Body).Decode(&out)
			if resp.StatusCode != want {
				t.Fatalf("%s %s: %d, want %d: %v", method, path, resp.StatusCode, want, out)
			}
			return out
		}
		call("POST", "/api/v1/auth/code", `{"phone":"010-6000-0001"}`, 202)
		code := ta.LastCode(t, "+821060000001")
		call("POST", "/api/v1/auth/verify", `{"phone":"010-6000-0001","code":"`+code+`"}`, 200)
		call("POST", "/api/v1/me/profile", `{"name":"API 시민","birth_year":1950,"district":"21090","lang":"en"}`, 200)
		call("POST", "/api/v1/me/profile", `{"name":"x","district":"99999"}`, 422)
		bad := call("POST", "/api/v1/me/profile", `{"name":"x","birth_year":1800}`, 422)
		if e := bad["error"].(map[string]any); e["field"] != "birth_year" || !strings.Contains(e["message"].(string), "four digits") {
			t.Fatalf("error not localized or not pointing at the field: %v", bad)
		}
		out := call("POST", fmt.Sprintf("/api/v1/sessions/%d/registrations", s.ID), ``, 201)
		reg := out["registration"].(map[string]any)
		if reg["status"] != "confirmed" || reg["ticket"] == "" {
			t.Fatalf("registration: %v", reg)
		}
		call("POST", fmt.Sprintf("/api/v1/sessions/%d/registrations", s.ID), ``, 409)
		call("POST", "/api/v1/sessions/999999/registrations", ``, 404)
		call("POST", fmt.Sprintf("/api/v1/sessions/%d/registrations", s.ID), `{"seats":"x"}`, 422)
		call("POST", "/api/v1/me/notifications", `{"reminder":"none","waitlist":"pigeon"}`, 422)
		call("POST", "/api/v1/me/notifications", `{"reminder":"none"}`, 200)
		call("POST", fmt.Sprintf("/api/v1/registrations/%v/cancel", reg["id"]), ``, 200)
		call("POST", fmt.Sprintf("/api/v1/registrations/%v/cancel", reg["id"]), ``, 409)

		// An operator finds the citizen and registers them by phone.
		op := ta.Client(t)
		ta.SignInStaff(t, op, "operator")
		c = op
		found := call("GET", "/api/v1/citizens?phone="+url.QueryEscape("010-6000-0001"), "", 200)
		if found["citizen"].(map[string]any)["name"] != "API 시민" {
			t.Fatalf("lookup: %v", found)
		}
		call("POST", "/api/v1/acting", `{"phone":"010-6000-0001","channel":"fax"}`, 422)
		call("POST", "/api/v1/acting", `{"phone":"010-6000-0001","channel":"phone"}`, 200)
		out = call("POST", fmt.Sprintf("/api/v1/sessions/%d/registrations", s.ID), ``, 201)
		if ch := out["registration"].(map[string]any)["channel"]; ch != "phone" {
			t.Fatalf("channel %v, want phone", ch)
		}
		me := call("GET", "/api/v1/me", "", 200)
		if me["user"].(map[string]any)["acting_for"] == nil {
			t.Fatalf("me while acting: %v", me)
		}
		call("POST", "/api/v1/acting/end", ``, 200)
		call("POST", "/api/v1/admin/users", `{"role":"tutor","name":"t","username":"tt","password":"long enough pw"}`, 403)
		msgs, _ := ta.Notify.Outbox(context.Background(), "+821060000001", 20)
		if len(msgs) < 3 {
			t.Fatalf("messages: %d", len(msgs))
		}
	})
}
