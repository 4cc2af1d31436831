package i18n

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// messages is every catalogue message of lang with the file it is in.
type message struct{ file, key, text string }

func messages(t *testing.T, lang string) []message {
	t.Helper()
	files, err := fs.Glob(localeFS, "locales/*."+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var ms []message
	for _, f := range files {
		b, err := localeFS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			ms = append(ms, message{f, k, v})
		}
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].key < ms[j].key })
	return ms
}

// avoidRe matches a word to avoid: a Korean word anywhere (Korean attaches
// particles to words), a Latin one as a whole word in any case.
func avoidRe(w string) *regexp.Regexp {
	q := regexp.QuoteMeta(w)
	for _, r := range w {
		if r > 0x7f {
			return regexp.MustCompile(q)
		}
	}
	if regexp.MustCompile(`^\w`).MatchString(w) {
		q = `\b` + q
	}
	if regexp.MustCompile(`\w$`).MatchString(w) {
		q += `\b`
	}
	return regexp.MustCompile(`(?i)` + q)
}

// Keys of the menu and the layout that still use a word to avoid, left for
// the menu's rework (issue 14); each must still need its exemption.
var pendingVocabulary = map[string]string{}

func TestTermsAreWellFormed(t *testing.T) {
	t.Parallel()
	if n := len(Terms()); n < 15 || n > 30 {
		t.Errorf("%d terms: keep the vocabulary between 15 and 30 words", n)
	}
	words := map[string]string{}
	for _, term := range Terms() {
		for _, l := range Langs {
			if term.Word(l) == "" || term.Definition[l] == "" {
				t.Errorf("term %q/%q: no %s word or definition", term.Ko, term.En, l)
			}
			words[strings.ToLower(term.Word(l))] = l
		}
	}
	for _, term := range Terms() {
		for l, ws := range term.Avoid {
			if _, ok := catalogues[l]; !ok {
				t.Errorf("term %q: words to avoid in unknown language %q", term.Ko, l)
			}
			for _, w := range ws {
				if _, clash := words[strings.ToLower(w)]; clash {
					t.Errorf("term %q: %q is to be avoided and is also a term", term.Ko, w)
				}
			}
		}
	}
}

// No message uses a word the vocabulary says to avoid.
func TestCatalogueUsesTheVocabulary(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	for _, l := range Langs {
		ms := messages(t, l)
		for _, term := range Terms() {
			for _, w := range term.Avoid[l] {
				re := avoidRe(w)
				for _, m := range ms {
					if !re.MatchString(m.text) {
						continue
					}
					if pendingVocabulary[m.key] == w {
						used[m.key] = true
						continue
					}
					t.Errorf("%s: %s says %q: the product says %q (%s)", m.file, m.key, w, term.Word(l), term.Definition[l])
				}
			}
		}
	}
	for k := range pendingVocabulary {
		if !used[k] {
			t.Errorf("%s no longer needs its exemption in pendingVocabulary: remove it", k)
		}
	}
}
