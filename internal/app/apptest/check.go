package apptest

import (
	"strings"
	"testing"
)

// Trim is a page from its <main> on, cut to 1,500 bytes, for failure messages.
func Trim(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500]
	}
	return s
}

// MustContain fails t, saying what the text is, unless text contains every
// one of wants.
func MustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not say %q: %s", what, w, text)
		}
	}
}
