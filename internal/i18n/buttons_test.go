package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// templates returns every page template of the parts and of the web
// plumbing (internal/*/templates and internal/web/*/templates), by path
// from internal ("wallet/templates/home.html").
func templates(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk("..", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".html") || filepath.Base(filepath.Dir(path)) != "templates" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", path)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 50 {
		t.Fatalf("only %d templates found", len(out))
	}
	return out
}

var (
	// What a person can press: <button>…</button>, a link drawn as a
	// button, and <input type=submit value=…>.
	buttonRes = []*regexp.Regexp{
		regexp.MustCompile(`(?s)<button\b[^>]*>(.*?)</button>`),
		regexp.MustCompile(`(?s)<a\b[^>]*\bclass="(?:[^"]*\s)?button(?:\s[^"]*)?"[^>]*>(.*?)</a>`),
		regexp.MustCompile(`<input\b[^>]*\btype="submit"[^>]*\bvalue="([^"]*)"`),
		regexp.MustCompile(`<input\b[^>]*\bvalue="([^"]*)"[^>]*\btype="submit"`),
	}
	tKeyRe     = regexp.MustCompile(`\.T "([a-z0-9_]+\.[a-z0-9_.]+)"`)
	tPrintfRe  = regexp.MustCompile(`\.T \(printf "([a-z0-9_.]+%s[a-z0-9_.]*)"`)
	actionRe   = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tagRe      = regexp.MustCompile(`(?s)<[^>]*>`)
	fmtVerbRe  = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]`)
	spaceRunRe = regexp.MustCompile(`\s+`)
)

// buttonLabels returns, per part and language, a pattern for the label of
// every button in that part's templates: the catalogue text of the key it
// shows (format verbs match anything), or its literal text.
func buttonLabels(t *testing.T) map[string]map[string][]*regexp.Regexp {
	out := map[string]map[string][]*regexp.Regexp{}
	for path, src := range templates(t) {
		part, _, _ := strings.Cut(path, "/")
		if out[part] == nil {
			out[part] = map[string][]*regexp.Regexp{}
		}
		for l, res := range labelsOf(src) {
			out[part][l] = append(out[part][l], res...)
		}
	}
	return out
}

func labelsOf(src string) map[string][]*regexp.Regexp {
	keys, literal := map[string]bool{}, map[string]bool{}
	for _, re := range buttonRes {
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			inner := m[1]
			for _, k := range tKeyRe.FindAllStringSubmatch(inner, -1) {
				keys[k[1]] = true
			}
			for _, p := range tPrintfRe.FindAllStringSubmatch(inner, -1) {
				re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(p[1]), "%s", `[a-z0-9_]+`) + "$")
				for k := range catalogues["ko"] {
					if re.MatchString(k) {
						keys[k] = true
					}
				}
			}
			if s := strings.TrimSpace(tagRe.ReplaceAllString(actionRe.ReplaceAllString(inner, ""), "")); s != "" {
				literal[s] = true
			}
		}
	}
	labels := map[string][]*regexp.Regexp{}
	for _, l := range Langs {
		add := func(s string) {
			parts := fmtVerbRe.Split(strings.TrimSpace(s), -1)
			for i := range parts {
				parts[i] = regexp.QuoteMeta(parts[i])
			}
			labels[l] = append(labels[l], regexp.MustCompile("^"+strings.Join(parts, ".+")+"$"))
		}
		for k := range keys {
			if s, ok := catalogues[l][k]; ok {
				add(s)
			}
		}
		for s := range literal {
			add(s)
		}
	}
	return labels
}

// A message that tells people to press a button quotes its label: ‘보여
// 주기’를 누르세요, the ‘고대비’ button, press ‘Share’.
var pressRes = map[string][]*regexp.Regexp{
	"ko": {
		regexp.MustCompile(`[‘'“"]([^’'”"]{1,40})[’'”"]\s*(?:을|를)?\s*(?:누르|누릅|눌러)`),
		regexp.MustCompile(`[‘'“"]([^’'”"]{1,40})[’'”"]\s*(?:버튼|단추)`),
	},
	"en": {
		regexp.MustCompile(`(?i)\b(?:press|presses|pressing|click|clicks|tap|taps)\s+(?:the\s+)?[‘'“"]([^’'”"]{1,40})[’'”"]`),
		regexp.MustCompile(`(?i)[‘'“"]([^’'”"]{1,40})[’'”"]\s+buttons?\b`),
	},
}

// describes names the parts whose screens a message describes when they
// are not the message's own part (its locales file): the hospital desk
// tells the citizen what to press in the wallet.
var describes = map[string][]string{
	"identity.verify_waiting_intro": {"wallet"},
}

// partsOf returns the parts whose templates hold the screens a message of
// a locales file describes: the file's part (funds_citizen.ko.json: funds),
// the plumbing's pages for platform.*.json, and the layout, which is on
// every screen.
func partsOf(m message) []string {
	if ps, ok := describes[m.key]; ok {
		return append(ps, "web")
	}
	part, _, _ := strings.Cut(strings.TrimPrefix(m.file, "locales/"), ".")
	part, _, _ = strings.Cut(part, "_")
	if part == "platform" {
		return []string{"web", "auth", "notify", "audit"}
	}
	return []string{part, "web"}
}

// Text that names a button names one that exists on the screens it
// describes. A hint built from the button's own key (a %s argument) cannot
// drift; a written one can, and this test catches it.
func TestMessagesNameButtonsThatExist(t *testing.T) {
	t.Parallel()
	labels := buttonLabels(t)
	for _, l := range Langs {
		found := 0
		for _, m := range messages(t, l) {
			for _, re := range pressRes[l] {
				for _, q := range re.FindAllStringSubmatch(m.text, -1) {
					found++
					quoted := spaceRunRe.ReplaceAllString(strings.TrimSpace(q[1]), " ")
					if fmtVerbRe.MatchString(quoted) {
						continue // the label is passed in
					}
					ok := false
					for _, part := range partsOf(m) {
						for _, lb := range labels[part][l] {
							ok = ok || lb.MatchString(quoted)
						}
					}
					if !ok {
						t.Errorf("%s: %s tells people to press %q, but no button of %v says that (if the message describes another part's screen, say so in describes)",
							m.file, m.key, quoted, partsOf(m))
					}
				}
			}
		}
		if found == 0 {
			t.Errorf("%s: no message names a button: the patterns no longer find them", l)
		}
	}
}
