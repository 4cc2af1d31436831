package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The parameters authenticator apps assume when the URI does not say
// otherwise; changing them would break every enrolled device.
const (
	digits = 6
	period = 30 // seconds
)

// secretBytes is the 160-bit key length RFC 4226 recommends, the output
// size of SHA-1.
const secretBytes = 20

// minSecretBytes is the 128-bit floor of RFC 4226 R6; shorter keys are
// guessable offline from a handful of observed codes.
const minSecretBytes = 16

// ErrSecret reports a secret that is not base32 or is too short.
var ErrSecret = errors.New("totp: malformed secret")

// ErrTime reports a time before the Unix epoch, where time steps are not
// defined.
var ErrTime = errors.New("totp: time before 1970")

// maxSkew bounds the accepted drift (5 minutes either way) so a
// misconfigured caller cannot turn a code into a long-lived password.
const maxSkew = 10

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a fresh random secret, base32 without padding, ready
// for URI and for storage.
func NewSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return b32.EncodeToString(b), nil
}

// decodeSecret accepts what people type from a printed secret: any case,
// spaces or dashes between groups, and optional padding.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '=':
			return -1
		}
		return r
	}, strings.ToUpper(secret))
	key, err := b32.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSecret, err)
	}
	if len(key) < minSecretBytes {
		return nil, fmt.Errorf("%w: %d bytes, need at least %d", ErrSecret, len(key), minSecretBytes)
	}
	return key, nil
}

// Code returns the 6-digit code for the time step containing t.
func Code(secret string, t time.Time) (string, error) {
	return code(secret, t, digits)
}

func code(secret string, t time.Time, n int) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	if t.Unix() < 0 {
		return "", ErrTime
	}
	return hotp(key, t.Unix()/period, n), nil
}

// Verify reports whether code is valid at t, allowing skew steps of clock
// drift either way (at most maxSkew). On success it returns the matched
// counter: a caller that stores the last accepted counter per user and
// refuses any counter not greater than it stops a code being used twice.
func Verify(secret, code string, t time.Time, skew int) (counter int64, ok bool) {
	key, err := decodeSecret(secret)
	if err != nil || len(code) != digits || t.Unix() < 0 {
		return 0, false
	}
	skew = max(0, min(skew, maxSkew))
	now := t.Unix() / period
	// Every candidate is compared, even after a match, so timing does not
	// reveal which step matched.
	for i := -int64(skew); i <= int64(skew); i++ {
		c := now + i
		if c < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(hotp(key, c, digits)), []byte(code)) == 1 && !ok {
			counter, ok = c, true
		}
	}
	return counter, ok
}

// URI returns the otpauth:// key URI that authenticator apps read from a QR
// code. The issuer is repeated as a parameter because some apps ignore the
// label prefix.
func URI(issuer, account, secret string) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(digits))
	q.Set("period", fmt.Sprint(period))
	// url.Values encodes spaces as "+", which apps show literally.
	return "otpauth://totp/" + label + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// hotp is RFC 4226 HOTP with dynamic truncation.
func hotp(key []byte, counter int64, n int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	mod := uint32(1)
	for range n {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", n, v%mod)
}
