package i18n

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	ko, en := catalogues["ko"], catalogues["en"]
	for k := range ko {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is in Korean but not in English", k)
		}
	}
	for k := range en {
		if _, ok := ko[k]; !ok {
			t.Errorf("key %q is in English but not in Korean", k)
		}
	}
}

var verbRe = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]`)

// A message takes the same arguments in every language.
func TestTranslationsTakeTheSameArguments(t *testing.T) {
	t.Parallel()
	for k, ko := range catalogues["ko"] {
		en, ok := catalogues["en"][k]
		if !ok {
			continue
		}
		// Counted, not compared in order: Korean often names arguments by index.
		if a, b := verbRe.FindAllString(ko, -1), verbRe.FindAllString(en, -1); len(a) != len(b) {
			t.Errorf("%s: Korean takes %v, English %v", k, a, b)
		}
	}
}

// Keys written literally in templates and Go code must exist. Keys built at
// run time (theme.%s, status.%s, …) are checked for every known value by the
// parts' own tests and the page tests.
var keyUses = []*regexp.Regexp{
	regexp.MustCompile(`\.T "([a-z0-9_]+\.[a-z0-9_.]+)"`),
	regexp.MustCompile(`errs\.(?:New|Field)\([^,()]+, "([a-z0-9_]+\.[a-z0-9_.]+)"`),
	regexp.MustCompile(`(?:Key|Title|Label|Empty): +"([a-z0-9_]+\.[a-z0-9_.]+)"`),
	regexp.MustCompile(`web\.(?:Redirect\([^)]*|T\(r, )"([a-z0-9_]+\.[a-z0-9_.]+)"\)`),
}

func TestEveryUsedKeyExists(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..")
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".html") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range keyUses {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				for _, l := range Langs {
					if !Has(l, m[1]) {
						t.Errorf("%s: key %q missing from the %s catalogue", path, m[1], l)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	cases := []struct{ header, cookie, want string }{
		{"", "", "ko"},
		{"en-US,en;q=0.9", "", "en"},
		{"fr-FR, en;q=0.5, ko;q=0.8", "", "ko"},
		{"en", "ko", "ko"},
		{"ko", "en", "en"},
		{"en", "xx", "en"},
		{"zz;q=x", "", "ko"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", c.header)
		if got := Negotiate(r, c.cookie); got != c.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", c.header, c.cookie, got, c.want)
		}
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 3, 5, 30, 0, 0, time.UTC) // 14:30 in Busan
	if got := For("ko").DateTime(at); got != "2026년 12월 3일 (목) 오후 2:30" {
		t.Errorf("ko: %q", got)
	}
	if got := For("en").DateTime(at); got != "Thu 3 December 2026 2:30 PM" {
		t.Errorf("en: %q", got)
	}
	if got := For("ko").Clock(time.Date(2026, 1, 1, 15, 5, 0, 0, time.UTC)); got != "오전 12:05" {
		t.Errorf("midnight: %q", got)
	}
	if got := For("en").Number(-1234567); got != "-1,234,567" {
		t.Errorf("number: %q", got)
	}
	if got := For("xx").T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}

func TestWait(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		d      time.Duration
		ko, en string
	}{
		{0, "1초", "1 second"},
		{400 * time.Millisecond, "1초", "1 second"},
		{1500 * time.Millisecond, "2초", "2 seconds"},
		{time.Minute, "60초", "60 seconds"},
		{61 * time.Second, "2분", "2 minutes"},
		{15 * time.Minute, "15분", "15 minutes"},
		{time.Hour + time.Second, "2시간", "2 hours"},
	} {
		if got := Wait(c.d).Localize(For("ko")); got != c.ko {
			t.Errorf("%v in Korean: %q, want %q", c.d, got, c.ko)
		}
		if got := Wait(c.d).Localize(For("en")); got != c.en {
			t.Errorf("%v in English: %q, want %q", c.d, got, c.en)
		}
	}
	if got := For("en").T("auth.too_many_attempts", Wait(90*time.Second)); got != "Too many attempts. Please try again in 2 minutes." {
		t.Errorf("as an argument: %q", got)
	}
}
