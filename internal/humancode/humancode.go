// Package humancode makes the codes people read aloud and type: tickets,
// the code a wallet shows to staff. The alphabet leaves out 0/O and 1/I/L,
// so a code read over the phone or typed by a tutor cannot be misread.
package humancode

import (
	"crypto/rand"
	"strings"
	"unicode"
)

// Alphabet is the characters a code is made of.
const Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// New returns n random characters of the alphabet.
func New(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = Alphabet[int(b[i])%len(Alphabet)]
	}
	return string(b)
}

// Normalize reads a code as people type it: any case, with spaces or
// dashes between the groups.
func Normalize(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s))
}

// Groups writes a code in groups of four joined by dashes, as it is read.
func Groups(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(code[i:min(i+4, len(code))])
	}
	return b.String()
}
