package humancode

import (
	"strings"
	"testing"
)

func TestCodes(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		c := New(8)
		if len(c) != 8 || strings.Trim(c, Alphabet) != "" || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	if got := Normalize(" k7qm 2xpa-\tb3cd "); got != "K7QM2XPAB3CD" {
		t.Fatalf("normalize: %q", got)
	}
	if got := Groups("K7QM2XPAB3"); got != "K7QM-2XPA-B3" {
		t.Fatalf("groups: %q", got)
	}
}
