package auth

import (
	"strings"

	"github.com/maeul/maeul/internal/errs"
)

// NormalizePhone turns the ways people write a Korean mobile number
// (010-1234-5678, 01012345678, +82 10 1234 5678, 010.1234.5678) into
// E.164 (+821012345678). Anything else is a localized error.
func NormalizePhone(s string) (string, error) {
	d, ok := phoneDigits(s, true)
	if !ok {
		return "", errs.Field("phone", "auth.phone_invalid")
	}
	switch {
	case strings.HasPrefix(d, "+82"):
		d = strings.TrimPrefix(d, "+82")
		d = strings.TrimPrefix(d, "0")
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	default:
		return "", errs.Field("phone", "auth.phone_invalid")
	}
	// Mobile numbers: 10 followed by 8 digits (010 is the only prefix in use;
	// 011-019 numbers with 7 digits still exist among older people).
	switch {
	case len(d) == 10 && strings.HasPrefix(d, "10"):
	case len(d) == 9 && d[0] == '1' && d[1] >= '1' && d[1] <= '9' && d[1] != '5':
	case len(d) == 10 && d[0] == '1' && d[1] >= '1' && d[1] <= '9' && d[1] != '5':
	default:
		return "", errs.Field("phone", "auth.phone_invalid")
	}
	return "+82" + d, nil
}

// phoneDigits is the number s without the separators people write in one
// (- . ( ) and spaces), a leading + kept when plus, or false when s holds
// anything else.
func phoneDigits(s string, plus bool) (string, bool) {
	var d strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9', plus && r == '+' && i == 0:
			d.WriteRune(r)
		case r == '-' || r == ' ' || r == '.' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	return d.String(), true
}

// MaskPhone hides the middle of a number for lists and banners.
func MaskPhone(e164 string) string {
	if len(e164) < 8 {
		return "***"
	}
	return "0" + e164[3:5] + "-****-" + e164[len(e164)-4:]
}

// FormatPhone writes an E.164 Korean mobile number the local way.
func FormatPhone(e164 string) string {
	d := strings.TrimPrefix(e164, "+82")
	if len(d) == 10 {
		return "0" + d[:2] + "-" + d[2:6] + "-" + d[6:]
	}
	if len(d) == 9 {
		return "0" + d[:2] + "-" + d[2:5] + "-" + d[5:]
	}
	return e164
}

// NormalizeContactPhone accepts the numbers an institution gives as its
// contact: a mobile number (returned in E.164, like NormalizePhone), a
// landline with its area code (051-123-4567, 02-1234-5678, 070-…), or a
// representative number (1588-1234). Landlines come back written the local
// way, since no message is ever sent to them.
func NormalizeContactPhone(s string) (string, error) {
	if p, err := NormalizePhone(s); err == nil {
		return p, nil
	}
	n, ok := phoneDigits(s, false)
	if !ok {
		return "", errs.Field("phone", "auth.contact_phone_invalid")
	}
	switch {
	case len(n) == 8 && (strings.HasPrefix(n, "15") || strings.HasPrefix(n, "16") || strings.HasPrefix(n, "18")):
		return n[:4] + "-" + n[4:], nil
	case strings.HasPrefix(n, "02") && (len(n) == 9 || len(n) == 10):
		return n[:2] + "-" + n[2:len(n)-4] + "-" + n[len(n)-4:], nil
	case len(n) >= 10 && len(n) <= 11 && n[0] == '0' && n[1] >= '3' && n[1] <= '7':
		return n[:3] + "-" + n[3:len(n)-4] + "-" + n[len(n)-4:], nil
	}
	return "", errs.Field("phone", "auth.contact_phone_invalid")
}
