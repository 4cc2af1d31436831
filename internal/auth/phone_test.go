package auth

import (
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"010-1234-5678":     "+821012345678",
		"01012345678":       "+821012345678",
		"+82 10 1234 5678":  "+821012345678",
		"+82 010-1234-5678": "+821012345678",
		"(010) 1234.5678":   "+821012345678",
		"011-123-4567":      "+82111234567",
		" 016-1234-5678 ":   "+821612345678",
	}
	for in, want := range good {
		got, err := NormalizePhone(in)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "12345", "02-123-4567", "010-1234-567", "010-1234-56789", "+1 650 555 1234", "010-12a4-5678", "015-123-4567", "++821012345678"} {
		if got, err := NormalizePhone(in); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error", in, got)
		}
	}
}

func FuzzNormalizePhone(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		p, err := NormalizePhone(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(p, "+821") || len(p) < 12 || len(p) > 13 {
			t.Fatalf("NormalizePhone(%q) = %q: not a Korean mobile number", s, p)
		}
		again, err := NormalizePhone(FormatPhone(p))
		if err != nil || again != p {
			t.Fatalf("format and parse again: %q -> %q (%v)", p, again, err)
		}
		if m := MaskPhone(p); strings.Contains(m, p[5:9]) && p[5:9] != p[len(p)-4:] {
			t.Fatalf("MaskPhone(%q) = %q shows the middle digits", p, m)
		}
	})
}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h := HashPassword("correct horse battery")
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "correct horse batterz") {
		t.Fatal("password check is wrong")
	}
	if h == HashPassword("correct horse battery") {
		t.Fatal("hashes are not salted")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$x$y$z$w", h[:len(h)-5]} {
		if CheckPassword(bad, "correct horse battery") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestNormalizeContactPhone(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"010-1234-5678":  "+821012345678",
		"051-123-4567":   "051-123-4567",
		"051 1234 5678":  "051-1234-5678",
		"02-123-4567":    "02-123-4567",
		"(02) 1234-5678": "02-1234-5678",
		"070-1234-5678":  "070-1234-5678",
		"1800-0096":      "1800-0096",
	}
	for in, want := range good {
		if got, err := NormalizeContactPhone(in); err != nil || got != want {
			t.Errorf("NormalizeContactPhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "051-12-34", "080-123-4567", "1234-5678", "02-12345-67890", "051-123-456x"} {
		if got, err := NormalizeContactPhone(in); err == nil {
			t.Errorf("NormalizeContactPhone(%q) = %q, want an error", in, got)
		}
	}
}
