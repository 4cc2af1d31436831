package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestStaticCaching(t *testing.T) {
	t.Parallel()
	h := Static()
	get := func(url string, header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	versioned := Asset("app.css")
	if !strings.HasPrefix(versioned, "/static/app.css?v=") {
		t.Fatalf("Asset(app.css) = %q", versioned)
	}
	w := get(versioned)
	if w.Code != 200 || w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("%s: %d, Cache-Control %q; want 200 and a year, immutable", versioned, w.Code, w.Header().Get("Cache-Control"))
	}
	etag := w.Header().Get("ETag")
	for _, url := range []string{"/static/app.css", "/static/app.css?v=000000000000"} {
		w := get(url)
		if w.Code != 200 || w.Header().Get("Cache-Control") != "public, max-age=86400" || w.Header().Get("ETag") != etag {
			t.Errorf("%s: %d, Cache-Control %q, ETag %q; want 200, a day, and the ETag %s", url, w.Code, w.Header().Get("Cache-Control"), w.Header().Get("ETag"), etag)
		}
	}
	if w := get("/static/app.css", "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("revalidating app.css by its ETag: %d, want 304", w.Code)
	}
	if Asset("no/such.css") != "/static/no/such.css" {
		t.Errorf("Asset of an unknown file = %q", Asset("no/such.css"))
	}
}

// The font's @font-face rules are written by tools/fetch-krds.sh with each
// file's fingerprint: they must be the ones Static honours, or browsers
// would revalidate every font piece daily.
func TestFontURLsVersioned(t *testing.T) {
	t.Parallel()
	css, err := staticFS.ReadFile("static/vendor/pretendard-gov/pretendard-gov.css")
	if err != nil {
		t.Fatal(err)
	}
	urls := regexp.MustCompile(`url\(([^)?]+)\?v=([0-9a-f]+)\)`).FindAllStringSubmatch(string(css), -1)
	if n := strings.Count(string(css), "@font-face"); n == 0 || len(urls) != n {
		t.Fatalf("%d @font-face rules, %d versioned URLs", n, len(urls))
	}
	for _, u := range urls {
		name := "vendor/pretendard-gov/" + u[1]
		if got := shared.fingerprints()[name]; got != u[2] {
			t.Errorf("%s is named with ?v=%s, its fingerprint is %q", name, u[2], got)
		}
	}
	if n := strings.Count(string(css), "font-display: swap"); n != len(urls) {
		t.Errorf("%d of %d @font-face rules have font-display: swap", n, len(urls))
	}
}
