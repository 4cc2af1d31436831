package web

import (
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// OpenRedirects are ways of writing a "next" that a browser would follow
// off the site, or to a script: each must come back as "/".
var OpenRedirects = []string{
	"//evil.example",
	"///evil.example",
	`/\evil.example`,
	`\/\/evil.example`,
	`\\evil.example`,
	"https://evil.example",
	"http:evil.example",
	"HTTPS://evil.example/",
	"javascript:alert(1)",
	" javascript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"/\t/evil.example",
	"/\n/evil.example",
	"/\r/evil.example",
	"/\r\n/evil.example",
	"\t//evil.example",
	"/%09/evil.example",
	"/%0a/evil.example",
	"/%0D%0A/evil.example",
	"/%2F/evil.example",
	"/%2F%2Fevil.example",
	"/%2f%2fevil.example",
	"/%5Cevil.example",
	"/%5C%5Cevil.example",
	"/%252F%252Fevil.example",
	"/x\x00y",
	"/x\x7fy",
	"evil.example",
	"",
	"/%zz",
}

func TestSafeNextRefusesOpenRedirects(t *testing.T) {
	t.Parallel()
	for _, next := range OpenRedirects {
		if got := SafeNext(next); got != "/" {
			t.Errorf("SafeNext(%q) = %q, want /", next, got)
		}
	}
	for _, next := range []string{"/", "/courses", "/courses?x=1&y=%2F%2F", "/book?q=%ED%95%9C", "/board/z/posts/1#comment-2",
		"/login?next=%2Fcourses", "/a/b/c/", "/my/card"} {
		if got := SafeNext(next); got != next {
			t.Errorf("SafeNext(%q) = %q, want it kept", next, got)
		}
	}
}

var backLinkRe = regexp.MustCompile(`class="button secondary" href="([^"]*)"`)

// Every place of the shared plumbing that takes a next comes back on the
// site: the language switch, the display toggles and the menu page.
func TestNextStaysOnSiteEverywhere(t *testing.T) {
	t.Parallel()
	h := testHandler()
	for _, next := range OpenRedirects {
		r := httptest.NewRequest("GET", "/lang/en?next="+url.QueryEscape(next), nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if loc := w.Header().Get("Location"); loc != "/" {
			t.Errorf("lang next=%q redirected to %q", next, loc)
		}

		tok := strings.Repeat("a", 32)
		form := url.Values{"csrf": {tok}, "toggle": {"text"}, "next": {next}}
		r = httptest.NewRequest("POST", "/prefs", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Cookie", csrfCookie+"="+tok)
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if loc := w.Header().Get("Location"); w.Code != 303 || loc != "/" {
			t.Errorf("prefs next=%q: %d to %q", next, w.Code, loc)
		}

		r = httptest.NewRequest("GET", "/menu?next="+url.QueryEscape(next), nil)
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Errorf("menu next=%q: %d", next, w.Code)
			continue
		}
		for _, m := range backLinkRe.FindAllStringSubmatch(w.Body.String(), -1) {
			if back := html.UnescapeString(m[1]); back != "/" {
				t.Errorf("menu next=%q: back link %q", next, back)
			}
		}
	}
}
