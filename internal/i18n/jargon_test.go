package i18n

import (
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// protocolWords are what a citizen's screen never shows outside a
// <details> disclosure ("다른 지갑 앱을 쓰는 경우", "전문가용"): protocol links
// and names, calendar file names and command lines.
var protocolWords = regexp.MustCompile(`(?i)openid4vp://|openid-credential-offer://|\.ics\b|\bSD-JWT\b|\bDPoP\b|\bdid:web\b|\bOpenID4V(?:P|CI)\b|(?-i:\bmaeul [a-z]+ [a-z-]+)`)

// staffPages are the templates of staff, tutors', planners' and API pages,
// which may use technical words; every other template is a citizen's page.
var staffPages = []string{
	"audit/templates/*", "notify/templates/outbox.html",
	"auth/templates/acting.html", "auth/templates/login_staff.html", "auth/templates/totp.html", "auth/templates/users.html",
	"board/templates/moderation.html", "board/templates/news_admin.html",
	"booking/templates/staff_*",
	"funds/templates/programmes.html", "funds/templates/staff_*",
	"guides/templates/admin.html", "guides/templates/home.html", "guides/templates/import.html", "guides/templates/log.html",
	"guides/templates/map.html", "guides/templates/plan.html", "guides/templates/request.html", "guides/templates/requests.html",
	"guides/templates/shifts.html", "guides/templates/stats.html", "guides/templates/visit.html",
	"identity/templates/cards.html", "identity/templates/parties.html", "identity/templates/verify*",
	"learn/templates/import.html", "learn/templates/mobile_admin*", "learn/templates/staff_*", "learn/templates/stats.html",
	"places/templates/import.html", "places/templates/planner.html",
	"practice/templates/class.html", "practice/templates/classes.html",
}

func isStaffPage(p string) bool {
	for _, g := range staffPages {
		if ok, _ := path.Match(g, p); ok {
			return true
		}
	}
	return false
}

var (
	tokenRe     = regexp.MustCompile(`(?s)<[^>]*>|[^<]+`)
	visibleAttr = regexp.MustCompile(`\b(?:alt|title|aria-label|placeholder|value)="([^"]*)"`)
	printfKeyRe = regexp.MustCompile(`\.T \(printf "([a-z0-9_.]+%s[a-z0-9_.]*)"`)
)

// expand replaces each template action with the texts of the catalogue keys
// it shows in lang (a key built with printf stands for every key it can
// be), and any other action with nothing.
func expand(src, lang string) string {
	return actionRe.ReplaceAllStringFunc(src, func(a string) string {
		var out []string
		for _, m := range tKeyRe.FindAllStringSubmatch(a, -1) {
			out = append(out, catalogues[lang][m[1]])
		}
		for _, m := range printfKeyRe.FindAllStringSubmatch(a, -1) {
			re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(m[1]), "%s", `[a-z0-9_]+`) + "$")
			var keys []string
			for k := range catalogues[lang] {
				if re.MatchString(k) {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				out = append(out, catalogues[lang][k])
			}
		}
		return strings.Join(out, " ")
	})
}

// jargonOutsideDetails returns the protocol words of page (HTML) that a
// reader sees without opening a <details>: in text and in the attributes
// that are read (alt, title, aria-label, placeholder, value), not in link
// targets, which a "달력에 추가" link to a .ics file may have.
func jargonOutsideDetails(page string) []string {
	var found []string
	depth := 0
	for _, tok := range tokenRe.FindAllString(page, -1) {
		text := tok
		if strings.HasPrefix(tok, "<") {
			switch name := strings.ToLower(strings.Fields(strings.Trim(tok, "<>/ \n"))[0]); {
			case name == "details" && !strings.HasPrefix(tok, "</"):
				depth++
			case name == "details":
				depth--
			}
			text = ""
			for _, m := range visibleAttr.FindAllStringSubmatch(tok, -1) {
				text += " " + m[1]
			}
		}
		if depth == 0 {
			found = append(found, protocolWords.FindAllString(text, -1)...)
		}
	}
	return found
}

// Citizen pages keep protocol words, file names and command lines under a
// plainly labelled disclosure; staff and API pages may use them.
func TestCitizenPagesHideProtocolWords(t *testing.T) {
	t.Parallel()
	checked := 0
	for p, src := range templates(t) {
		if isStaffPage(p) {
			continue
		}
		checked++
		for _, l := range Langs {
			if w := jargonOutsideDetails(expand(src, l)); len(w) > 0 {
				t.Errorf("%s (%s): %q outside a <details> disclosure", p, l, w)
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d citizen templates checked", checked)
	}
	// The wallet's scripts show these texts anywhere on its pages.
	for _, l := range Langs {
		for _, m := range messages(t, l) {
			if strings.HasPrefix(m.key, "wallet.js.") && protocolWords.MatchString(m.text) {
				t.Errorf("%s: %s shows %q on a citizen's screen", m.file, m.key, protocolWords.FindString(m.text))
			}
		}
	}
}

func TestJargonOutsideDetails(t *testing.T) {
	t.Parallel()
	for page, want := range map[string]int{
		`<p>Open <a href="openid4vp://?x">this</a></p>`:                                 0,
		`<p>It starts with openid4vp://</p>`:                                            1,
		`<a href="/x.ics">Add to calendar (.ics)</a>`:                                   1,
		`<details><summary>For experts</summary><p>SD-JWT, DPoP</p></details><p>ok</p>`: 0,
		`<details><details></details><p>did:web</p></details><p>did:web</p>`:            1,
		`<input type="submit" value="maeul wallet receive">`:                            1,
		`<p>Open in this phone's Maeul wallet</p>`:                                      0,
	} {
		if got := jargonOutsideDetails(page); len(got) != want {
			t.Errorf("%s: %q, want %d", page, got, want)
		}
	}
}
