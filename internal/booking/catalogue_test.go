package booking

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/i18n"
)

// Every key written in this part's code and templates, and every key built
// from a known value, is in both catalogues.
func TestEveryKeyIsInBothLanguages(t *testing.T) {
	t.Parallel()
	keyRe := regexp.MustCompile(`"((?:booking|error)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)"`)
	audit := regexp.MustCompile(`Action: +"|"booking\.[a-z_]+\.read"`)
	var keys []string
	check := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if audit.MatchString(line) {
				continue // audit actions, not messages
			}
			for _, m := range keyRe.FindAllStringSubmatch(line, -1) {
				if !strings.HasSuffix(m[1], "_") && !strings.HasSuffix(m[1], ".") {
					keys = append(keys, m[1])
				}
			}
		}
	}
	files, _ := filepath.Glob("*.go")
	tmpls, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range append(files, tmpls...) {
		if !strings.HasSuffix(f, "_test.go") {
			check(f)
		}
	}
	for _, k := range Kinds {
		keys = append(keys, "booking.kind."+k)
	}
	for _, e := range Eligibilities {
		keys = append(keys, "booking.eligibility."+e)
	}
	for _, a := range []string{FirstCome, Lottery} {
		keys = append(keys, "booking.allocation."+a)
	}
	for _, s := range []string{Requested, Confirmed, Waitlisted, Applied, Refused, Cancelled} {
		keys = append(keys, "booking.status."+s, "booking.explain."+s)
	}
	for _, s := range []string{Requested, Confirmed, Waitlisted, Applied} {
		keys = append(keys, "booking.flash_"+s)
	}
	keys = append(keys, "booking.status.checked_in", "booking.msg_confirmed", "booking.msg_refused")
	if len(keys) < 150 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	for _, k := range keys {
		for _, lang := range i18n.Langs {
			if !i18n.Has(lang, k) {
				t.Errorf("%s: no %q", lang, k)
			}
		}
	}
}
