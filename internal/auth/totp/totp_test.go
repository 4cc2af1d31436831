package totp

import (
	"encoding/base32"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the SHA-1 seed of RFC 6238 Appendix B, "12345678901234567890".
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

var rfcVectors = []struct {
	unix int64
	code string // 8 digits, as printed in the RFC
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

func TestRFC6238Vectors(t *testing.T) {
	for _, v := range rfcVectors {
		at := time.Unix(v.unix, 0)
		got, err := code(rfcSecret, at, 8)
		if err != nil {
			t.Fatal(err)
		}
		if got != v.code {
			t.Errorf("code8(%d) = %s, want %s", v.unix, got, v.code)
		}
		// 6-digit codes are the same truncated value mod 10^6.
		got6, err := Code(rfcSecret, at)
		if err != nil {
			t.Fatal(err)
		}
		if want := v.code[2:]; got6 != want {
			t.Errorf("Code(%d) = %s, want %s", v.unix, got6, want)
		}
		if c, ok := Verify(rfcSecret, v.code[2:], at, 0); !ok || c != v.unix/30 {
			t.Errorf("Verify(%d) = %d, %v; want %d, true", v.unix, c, ok, v.unix/30)
		}
	}
}

func TestSecretFormsAccepted(t *testing.T) {
	at := time.Unix(1111111109, 0)
	typed := strings.ToLower(rfcSecret[:4]) + " " + rfcSecret[4:8] + "-" + rfcSecret[8:]
	got, err := Code(typed, at)
	if err != nil || got != "081804" {
		t.Fatalf("Code(%q) = %q, %v", typed, got, err)
	}
}

func TestVerifySkew(t *testing.T) {
	secret, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	prev, _ := Code(secret, now.Add(-30*time.Second))
	next, _ := Code(secret, now.Add(30*time.Second))
	old, _ := Code(secret, now.Add(-90*time.Second))
	step := now.Unix() / 30

	if _, ok := Verify(secret, prev, now, 0); ok {
		t.Error("previous step accepted with skew 0")
	}
	if c, ok := Verify(secret, prev, now, 1); !ok || c != step-1 {
		t.Errorf("previous step with skew 1: %d, %v; want %d, true", c, ok, step-1)
	}
	if c, ok := Verify(secret, next, now, 1); !ok || c != step+1 {
		t.Errorf("next step with skew 1: %d, %v; want %d, true", c, ok, step+1)
	}
	if _, ok := Verify(secret, old, now, 1); ok {
		t.Error("code three steps old accepted with skew 1")
	}
	if _, ok := Verify(secret, prev, now, -5); ok {
		t.Error("negative skew widened the window")
	}
	far, _ := Code(secret, now.Add(-(maxSkew+1)*30*time.Second))
	if _, ok := Verify(secret, far, now, 1000); ok {
		t.Error("skew not capped at maxSkew")
	}
}

func TestVerifyRejects(t *testing.T) {
	at := time.Unix(59, 0)
	for _, c := range []string{"", "28708", "2870820", "287083", "28708a", "94287082"} {
		if _, ok := Verify(rfcSecret, c, at, 1); ok {
			t.Errorf("Verify accepted %q", c)
		}
	}
	if _, ok := Verify("not base32!", "287082", at, 1); ok {
		t.Error("Verify accepted malformed secret")
	}
	if _, ok := Verify(rfcSecret, "287082", time.Unix(-1, 0), 1); ok {
		t.Error("Verify accepted a time before the epoch")
	}
}

func TestMalformedSecret(t *testing.T) {
	for _, s := range []string{"", "   ", "ABC!", "A1B8", "A", "JBSWY3DPEHPK3PXP"} {
		if _, err := Code(s, time.Unix(59, 0)); !errors.Is(err, ErrSecret) {
			t.Errorf("Code(%q) err = %v, want ErrSecret", s, err)
		}
	}
	if _, err := Code(rfcSecret, time.Unix(-30, 0)); !errors.Is(err, ErrTime) {
		t.Errorf("pre-epoch err = %v, want ErrTime", err)
	}
}

func TestNewSecret(t *testing.T) {
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewSecret()
	if a == b {
		t.Error("two secrets equal")
	}
	if strings.Contains(a, "=") || len(a) != 32 {
		t.Errorf("secret %q: want 32 base32 chars without padding", a)
	}
	key, err := decodeSecret(a)
	if err != nil || len(key) != secretBytes {
		t.Errorf("decode = %d bytes, %v", len(key), err)
	}
}

func TestURI(t *testing.T) {
	raw := URI("Maeul 부산", "kim@example.org", "JBSWY3DPEHPK3PXP")
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Errorf("scheme/host = %s/%s", u.Scheme, u.Host)
	}
	if want := "/Maeul 부산:kim@example.org"; u.Path != want {
		t.Errorf("label = %q, want %q", u.Path, want)
	}
	if strings.Contains(raw, "+") {
		t.Errorf("URI %q encodes spaces as +", raw)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"secret": "JBSWY3DPEHPK3PXP", "issuer": "Maeul 부산",
		"algorithm": "SHA1", "digits": "6", "period": "30",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(rfcSecret, "287082", int64(59), 1)
	f.Add("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "000000", int64(1_700_000_000), 0)
	f.Fuzz(func(t *testing.T, secret, code string, unix int64, skew int) {
		at := time.Unix(unix, 0)
		c, ok := Verify(secret, code, at, skew)
		if !ok {
			return
		}
		// Anything accepted must be exactly the code of the step returned,
		// and that step must lie within the capped window.
		want, err := Code(secret, time.Unix(c*30, 0))
		if err != nil || want != code {
			t.Fatalf("Verify accepted %q for step %d whose code is %q (%v)", code, c, want, err)
		}
		d := c - unix/30
		if s := int64(max(0, min(skew, maxSkew))); d < -s || d > s {
			t.Fatalf("step %d outside window ±%d of %d", c, s, unix/30)
		}
	})
}
