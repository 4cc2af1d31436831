package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPageNumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"": 1, "0": 1, "-3": 1, "abc": 1, "2": 2, " 7 ": 7, "100000": MaxPage, "100001": MaxPage,
		"99999999999999999999999": MaxPage, "-99999999999999999999999": 1, "9223372036854775807": MaxPage} {
		if got := PageNumber(in); got != want {
			t.Errorf("PageNumber(%q) = %d, want %d", in, got, want)
		}
	}
}

// What no person types is refused before any handler runs, with a 422.
func TestCleanInput(t *testing.T) {
	t.Parallel()
	reached := false
	h := CleanInput(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
	for _, c := range []struct {
		method, target, ct, body string
		ok                       bool
	}{
		{"GET", "/courses?q=%ED%82%A4%EC%98%A4%EC%8A%A4%ED%81%AC", "", "", true},
		{"GET", "/courses?q=a%00b", "", "", false},
		{"GET", "/courses?q=%FF%FE", "", "", false},
		{"GET", "/courses?q=%zz", "", "", false},
		{"GET", "/courses?q=" + strings.Repeat("x", MaxValueBytes+1), "", "", false},
		{"GET", "/courses/%FF", "", "", false},
		{"POST", "/board/z/posts", "application/x-www-form-urlencoded", "title=%EC%95%88%EB%85%95&body=ok", true},
		{"POST", "/board/z/posts", "application/x-www-form-urlencoded", "title=a%00", false},
		{"POST", "/board/z/posts", "application/x-www-form-urlencoded", "title=%C3%28", false},
		{"POST", "/api/v1/x", "application/json", `{"a":"\u0000"}`, true}, // JSON is DecodeJSON's
	} {
		reached = false
		req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
		if c.ct != "" {
			req.Header.Set("Content-Type", c.ct)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if reached != c.ok || (!c.ok && w.Code != http.StatusUnprocessableEntity) {
			t.Errorf("%s %.60s %q: reached %v, status %d", c.method, c.target, c.body, reached, w.Code)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	for body, ok := range map[string]bool{
		`{"name":"가"}`:        true,
		` {"name":"가"} `:      true,
		`{"name":"가"} {}`:     false,
		`{"name":"가"}x`:       false,
		`{"name":"가","zz":1}`: false,
		`{"name":"a\u0000"}`:  false,
		"{\"name\":\"\xff\"}": false,
		`[`:                   false,
		``:                    false,
	} {
		var v struct {
			Name string `json:"name"`
		}
		req := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body))
		if err := DecodeJSON(httptest.NewRecorder(), req, &v); (err == nil) != ok {
			t.Errorf("DecodeJSON(%q): %v", body, err)
		}
	}
	for body, ok := range map[string]bool{``: true, `{}`: true, ` { } `: false, `{"a":1}`: false, `x`: false} {
		req := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body))
		if err := NoBody(httptest.NewRecorder(), req); (err == nil) != ok {
			t.Errorf("NoBody(%q): %v", body, err)
		}
	}
}
