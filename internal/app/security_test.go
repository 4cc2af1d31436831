package app_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// offSite are ways of writing a "next" that browsers would follow to
// another site.
var offSite = []string{
	"//evil.example",
	"/\t/evil.example",
	"/%09/evil.example",
	`/\evil.example`,
	`\/\/evil.example`,
	"https://evil.example",
	"/%2F%2Fevil.example",
	"/%5Cevil.example",
	"/\r\n/evil.example",
	"/\n/evil.example",
	"javascript:alert(1)",
	"http:evil.example",
}

var hiddenNextRe = regexp.MustCompile(`name="next" value="([^"]*)"`)

// onSite reports whether a redirect or link stays on the site.
func onSite(loc string) bool {
	return web.SafeNext(loc) == loc && !strings.Contains(strings.ToLower(loc), "evil")
}

// Every page and form that takes a next (sign-in by code and by password,
// the account page, the language switch, the display toggles, the menu)
// or a back link (the practice glossary) stays on the site whatever it is
// given.
func TestNextNeverLeavesTheSite(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	anon := ta.NoFollow(t)
	staff := ta.NoFollow(t)
	citizen := ta.NoFollow(t)
	// The form's own next is "/"; the display toggles' is this page.
	hidden := func(what, body string) {
		t.Helper()
		home := false
		for _, m := range hiddenNextRe.FindAllStringSubmatch(body, -1) {
			v := html.UnescapeString(m[1])
			if web.SafeNext(v) != v {
				t.Errorf("%s: hidden next %q", what, v)
			}
			home = home || v == "/"
		}
		if !home {
			t.Errorf("%s: no hidden next is /", what)
		}
	}
	redirect := func(what string, st int, loc string) {
		t.Helper()
		if st != http.StatusSeeOther || !onSite(loc) {
			t.Errorf("%s: %d to %q", what, st, loc)
		}
	}
	const username = "tutor1"
	for i, next := range offSite {
		q := url.QueryEscape(next)
		_, body := anon.Get("/login?next=" + q)
		hidden("citizen sign-in page "+next, body)
		_, body = anon.Get("/login/staff?next=" + q)
		hidden("staff sign-in page "+next, body)

		st, loc := staff.Location("POST", "/login/staff", url.Values{"username": {username}, "password": {ta.Staff[username]}, "next": {next}})
		redirect("staff sign-in "+next, st, loc)

		if i < 4 { // a code for each: 5 an hour per number
			_, body = citizen.Post("/login/phone", url.Values{"phone": {ta.Phone}, "next": {next}})
			hidden("code page "+next, body)
			e164 := "+82" + strings.TrimPrefix(strings.ReplaceAll(ta.Phone, "-", ""), "0")
			st, loc = citizen.Location("POST", "/login/code", url.Values{"phone": {e164}, "code": {ta.LastCode(t, e164)}, "next": {next}})
			redirect("code sign-in "+next, st, loc)
		}

		st, loc = anon.Location("GET", "/lang/en?next="+q, nil)
		redirect("language "+next, st, loc)
		st, loc = anon.Location("POST", "/prefs", url.Values{"toggle": {"text"}, "next": {next}})
		redirect("display "+next, st, loc)
		_, body = anon.Get("/menu?next=" + q)
		if strings.Contains(body, "evil.example") && strings.Contains(body, `href="`+html.EscapeString(next)) {
			t.Errorf("menu next=%q links off the site", next)
		}
		_, body = anon.Get("/practice/words?back=" + q)
		if strings.Contains(body, i18n.For("ko").T("practice.back_to_screen")) {
			t.Errorf("practice words back=%q offers a way back", next)
		}
	}
	// The account page, after sign-in.
	for _, next := range offSite {
		_, body := citizen.Get("/account?next=" + url.QueryEscape(next))
		hidden("account page "+next, body)
		st, loc := citizen.Location("POST", "/account", url.Values{"name": {"김시민"}, "next": {next}})
		redirect("account saved "+next, st, loc)
	}
}

// Behind the proxies serve --trusted-proxies names, each client has its
// own limits; without them, X-Forwarded-For changes nothing.
func TestLimitsCountClientsBehindTrustedProxies(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	d := ta.DB
	drivers, _ := apptest.MessagesFile(t)
	proxied, err := app.New(d, app.Options{Demo: true, IssuerSecret: []byte("maeul test issuer secret, 32 by."), Drivers: drivers,
		TrustedProxies: web.TrustedProxies{netip.MustParsePrefix("127.0.0.0/8")}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(proxied)
	t.Cleanup(srv.Close)
	nonce := func(base, xff string) int {
		req, _ := http.NewRequest("POST", base+"/oauth/nonce", nil)
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// One address behind the proxy reaches its limit; the next client does not.
	for i := range 60 {
		if st := nonce(srv.URL, "198.51.100.1"); st != 200 {
			t.Fatalf("nonce %d: %d", i, st)
		}
	}
	if st := nonce(srv.URL, "198.51.100.1"); st != http.StatusTooManyRequests {
		t.Fatalf("past the limit behind the proxy: %d", st)
	}
	if st := nonce(srv.URL, "198.51.100.2"); st != 200 {
		t.Fatalf("another client behind the proxy: %d", st)
	}
	// Without trusted proxies the header is only a header.
	for i := range 60 {
		if st := nonce(ta.Server.URL, fmt.Sprintf("203.0.113.%d", i)); st != 200 {
			t.Fatalf("nonce %d: %d", i, st)
		}
	}
	if st := nonce(ta.Server.URL, "203.0.113.250"); st != http.StatusTooManyRequests {
		t.Fatalf("a spoofed X-Forwarded-For escaped the limit: %d", st)
	}
}
