package app_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/web"
)

// TestPublicURLIsNeverTheHostHeader asks every public, cacheable piece of
// metadata and every page with absolute links for evil.example in the Host
// header: with --public-url set, none of them names it, every cookie is
// Secure and HSTS is sent.
func TestPublicURLIsNeverTheHostHeader(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := apptest.DemoCity.SQLite(t)
	const public = "https://maeul.example.kr"
	a, err := app.New(d, app.Options{Demo: true, PublicURL: public + "/", IssuerSecret: []byte("maeul test issuer secret, 32 by.")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.IssueCards(ctx, d, a.Cards, public, demo.Options{Citizens: 2}); err != nil {
		t.Fatal(err)
	}
	if err := a.Ledger.Update(ctx); err != nil {
		t.Fatal(err)
	}
	var list string
	if err := d.QueryRow(ctx, `SELECT id FROM status_lists ORDER BY id LIMIT 1`).Scan(&list); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	defer srv.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	get := func(path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Host = "evil.example"
		req.Header.Set("X-Forwarded-Host", "evil.example")
		req.Header.Set("X-Forwarded-Proto", "http")
		req.Header.Set("Forwarded", "host=evil.example;proto=http")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body := string(b)
		// A signed token (the status list) carries its issuer in its
		// payload.
		if parts := strings.Split(body, "."); len(parts) == 3 && strings.Contains(resp.Header.Get("Content-Type"), "jwt") {
			if p, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
				body += "\n" + string(p)
			}
		}
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %s", path, resp.Status)
		}
		for k, vs := range resp.Header {
			for _, v := range vs {
				if strings.Contains(v, "evil.example") {
					t.Errorf("%s: header %s: %s", path, k, v)
				}
			}
		}
		if strings.Contains(body, "evil.example") {
			t.Errorf("%s names the Host header: %s", path, body)
		}
		if resp.Header.Get("Strict-Transport-Security") != web.HSTS {
			t.Errorf("%s: no HSTS behind an https public address", path)
		}
		for _, c := range resp.Cookies() {
			if !c.Secure {
				t.Errorf("%s: cookie %s is not Secure", path, c.Name)
			}
		}
		return resp, body
	}

	var meta map[string]any
	for path, check := range map[string]func(body string){
		"/.well-known/did.json": func(body string) {
			if json.Unmarshal([]byte(body), &meta); meta["id"] != "did:web:maeul.example.kr" {
				t.Errorf("did.json id %v", meta["id"])
			}
		},
		"/.well-known/jwt-vc-issuer": func(body string) {
			if json.Unmarshal([]byte(body), &meta); meta["issuer"] != public {
				t.Errorf("jwt-vc-issuer issuer %v: %s", meta["issuer"], body)
			}
		},
		"/.well-known/openid-credential-issuer": func(body string) {
			if json.Unmarshal([]byte(body), &meta); meta["credential_issuer"] != public {
				t.Errorf("credential_issuer %v", meta["credential_issuer"])
			}
		},
		"/.well-known/oauth-authorization-server": func(body string) {
			if json.Unmarshal([]byte(body), &meta); meta["issuer"] != public {
				t.Errorf("authorization server issuer %v", meta["issuer"])
			}
		},
		"/rp/demo-hospital/did.json": func(body string) {
			if !strings.Contains(body, `"did:web:maeul.example.kr:rp:demo-hospital"`) {
				t.Errorf("party's did.json: %s", body)
			}
		},
		"/status/" + list: func(body string) {
			if !strings.Contains(body, `"sub":"`+public+`/status/`+list+`"`) {
				t.Errorf("status list token: %s", body)
			}
		},
		"/venues/hub-sodambang/calendar.ics": func(body string) {
			if !strings.Contains(body, "URL:"+public+"/sessions/") {
				t.Errorf("venue calendar without public links: %.400s", body)
			}
		},
		"/ledger/checkpoint":   nil,
		"/api/openapi.json":    nil,
		"/":                    nil,
		"/login":               nil,
		"/courses":             nil,
		"/wallet":              nil,
		"/my/registrations":    nil,
		"/lang/en?next=/login": nil,
	} {
		resp, body := get(path)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: %s", path, resp.Status)
		}
		if check != nil {
			check(body)
		}
	}
	// A session's own calendar file.
	_, body := get("/venues/hub-sodambang/calendar.ics")
	if i := strings.Index(body, "URL:"+public+"/sessions/"); i >= 0 {
		path := strings.TrimPrefix(strings.TrimSpace(strings.SplitN(body[i:], "\n", 2)[0]), "URL:"+public)
		if _, body := get(path + "/calendar.ics"); !strings.Contains(body, "URL:"+public+path) {
			t.Errorf("session calendar: %.400s", body)
		}
	}
	// A form sent without a script comes back to a page of this site.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/prefs", strings.NewReader(url.Values{"toggle": {"text"}, "next": {"/courses"}}.Encode()))
	req.Host = "evil.example"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := noRedirect.Do(req); err != nil || strings.Contains(resp.Header.Get("Location"), "evil") {
		t.Errorf("POST /prefs: %v %v", err, resp.Header)
	}
}
