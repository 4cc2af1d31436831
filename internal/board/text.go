package board

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/errs"
)

// Limits of what citizens and staff write, in characters.
const (
	MaxTitle     = 100
	MaxBody      = 2000
	MaxComment   = 1000
	MaxNewsTitle = 200
	MaxNewsBody  = 10000
	MaxNote      = 500
	// MaxLinks is how many web addresses a text may hold: more reads as
	// advertising.
	MaxLinks = 3
)

// clean trims s (of invisible spaces too), turns every line break into "\n" and drops control
// characters other than line breaks and tabs, which no keyboard meant.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
	// Zero-width spaces and byte-order marks at the edges would make an
	// empty-looking text count as written.
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' })
}

// checkText cleans *s and checks it is present (if required), no longer
// than limit and not mostly links; errors name field.
func checkText(field string, s *string, limit int, required bool) error {
	if !utf8.ValidString(*s) {
		return errs.Field(field, "board.text_invalid")
	}
	*s = clean(*s)
	n := utf8.RuneCountInString(*s)
	switch {
	case n == 0 && required:
		return errs.Field(field, "board."+field+"_required")
	case n > limit:
		return errs.Field(field, "board."+field+"_too_long", limit, n)
	case countLinks(*s) > MaxLinks:
		return errs.Field(field, "board.too_many_links", MaxLinks)
	}
	return nil
}

var linkRe = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s]+`)

// countLinks counts the web addresses in s.
func countLinks(s string) int { return len(linkRe.FindAllStringIndex(s, -1)) }

// digest identifies a text for the duplicate check without keeping it:
// spaces and case do not make two texts different.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strings.ToLower(strings.Join(strings.Fields(p), " "))))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

var blankLineRe = regexp.MustCompile(`\n[ \t]*\n`)

// Paragraphs splits plain text into paragraphs at blank lines, and each
// paragraph into its lines, so templates draw it without any HTML from
// the writer.
func Paragraphs(s string) [][]string {
	var out [][]string
	for _, p := range blankLineRe.Split(s, -1) {
		p = strings.Trim(p, "\n")
		if strings.TrimSpace(p) == "" {
			continue
		}
		out = append(out, strings.Split(p, "\n"))
	}
	return out
}

// DisplayName is how an author appears: the family name and "○○" for a
// Korean name, initials otherwise, so neighbours can tell writers apart
// without the board publishing who they are.
func DisplayName(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(name)
	if unicode.Is(unicode.Hangul, first) {
		return string(first) + "○○"
	}
	var b strings.Builder
	for i, w := range strings.Fields(name) {
		if i == 2 {
			break
		}
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(". ")
	}
	return strings.TrimSpace(b.String())
}
