package codehash_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/codehash"
)

var secret = []byte("maeul test issuer secret, 32 by.")

func TestSumIsKeyedAndBound(t *testing.T) {
	t.Parallel()
	k := codehash.New(secret)
	h := k.Sum("login", "+821012345678", "123456")
	if !strings.HasPrefix(h, "v1:") || len(h) != 3+64 {
		t.Fatalf("hash %q", h)
	}
	if !k.Match(h, "login", "+821012345678", "123456") {
		t.Fatal("the right code does not match")
	}
	if k.Sum("login", "+821012345678", "123456") != h || codehash.New(secret).Sum("login", "+821012345678", "123456") != h {
		t.Fatal("the same secret must give the same key: every instance checks every other's codes")
	}
	for name, other := range map[string]string{
		"another code":    k.Sum("login", "+821012345678", "123457"),
		"another phone":   k.Sum("login", "+821012345679", "123456"),
		"another purpose": k.Sum("card-pin", "+821012345678", "123456"),
		"parts shifted":   k.Sum("login", "+8210123456781", "23456"),
		"another secret":  codehash.New([]byte("another secret of thirty-two by.")).Sum("login", "+821012345678", "123456"),
		"no secret":       codehash.New(nil).Sum("login", "+821012345678", "123456"),
	} {
		if other == h || k.Match(other, "login", "+821012345678", "123456") {
			t.Errorf("%s gives the same hash", name)
		}
	}
	// The unkeyed hashes of before never match, and all 10^6 codes are
	// tried in vain against a keyed one without the key.
	old := sha256.Sum256([]byte("+821012345678\x00123456"))
	if k.Match(hex.EncodeToString(old[:]), "login", "+821012345678", "123456") {
		t.Fatal("an unkeyed hash matched")
	}
	for i := range 1_000_000 {
		code := fmt.Sprintf("%06d", i)
		sum := sha256.Sum256([]byte("+821012345678\x00" + code))
		if "v1:"+hex.EncodeToString(sum[:]) == h {
			t.Fatalf("the keyed hash is the plain SHA-256 of %s", code)
		}
	}
}

func TestEphemeralKey(t *testing.T) {
	t.Parallel()
	if codehash.New(secret).Ephemeral() {
		t.Fatal("a key from the secret is not ephemeral")
	}
	a, b := codehash.New(nil), codehash.New(nil)
	if !a.Ephemeral() || a.Sum("login", "x") == b.Sum("login", "x") {
		t.Fatal("without a secret each process draws its own key")
	}
}
