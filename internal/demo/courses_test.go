package demo

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestEveryCourseHasADescription: a course page without a description
// leaves a citizen guessing what the class is for. Every demo course says
// it in a short, plain sentence in Korean and English.
func TestEveryCourseHasADescription(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, c := range courses() {
		if seen[c.Code] {
			t.Errorf("%s: listed twice", c.Code)
		}
		seen[c.Code] = true
		for lang, d := range map[string]string{"ko": c.SummaryKo, "en": c.SummaryEn} {
			d = strings.TrimSpace(d)
			switch {
			case d == "":
				t.Errorf("%s has no description in %s", c.Code, lang)
			case d == c.TitleKo || d == c.TitleEn:
				t.Errorf("%s: its %s description only repeats the title", c.Code, lang)
			case utf8.RuneCountInString(d) > 160:
				t.Errorf("%s: its %s description is not short (%d characters)", c.Code, lang, utf8.RuneCountInString(d))
			}
		}
	}
}
