package witness

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// The spec gives no cosignature with its key, so this vector was made by an
// independent implementation, transparency-dev/formats v0.1.1
// (note.NewSignerForCosignatureV1, seed 00 01 … 1f), over the checkpoint of
// the spec's example.
const (
	vectorSkey = "PRIVATE+KEY+witness.example/vector+d6064b72+BAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f"
	vectorVkey = "witness.example/vector+d6064b72+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
	vectorText = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	vectorSig  = "— witness.example/vector 1gZLcgAAAABrDxqZGxZhzw5SgbGuJ5aMtKGnA0EkSkrOcZOA+TOrE/FMlocL2CVQnrrTuYKgdcreyeqWP6ZZy0WHn60JaThfG0aTAA==\n"
	vectorTime = 0x6b0f1a99
)

func TestCosignatureVector(t *testing.T) {
	t.Parallel()
	v, err := NewCosignatureVerifier(vectorVkey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open([]byte(vectorText+"\n"+vectorSig), note.VerifierList(v))
	if err != nil || len(n.Sigs) != 1 {
		t.Fatalf("the vector's cosignature does not verify: %v", err)
	}
	s, err := NewCosigner(vectorSkey)
	if err != nil {
		t.Fatal(err)
	}
	s.(*cosigner).now = func() time.Time { return time.Unix(vectorTime, 0) }
	signed, err := note.Sign(&note.Note{Text: vectorText}, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(signed[len(vectorText)+1:]); got != vectorSig {
		t.Fatalf("cosignature differs from the vector:\n got %s\nwant %s", got, vectorSig)
	}
}

func TestGeneratedKeysCosign(t *testing.T) {
	t.Parallel()
	skey, vkey, err := GenerateKey("witness.example/w1")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewCosigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewCosignatureVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != v.Name() || s.KeyHash() != v.KeyHash() {
		t.Fatalf("signer %s/%08x, verifier %s/%08x", s.Name(), s.KeyHash(), v.Name(), v.KeyHash())
	}
	text := "maeul.example/ledger\n3\n" + strings.Repeat("A", 43) + "=\n"
	signed, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(signed, note.VerifierList(v)); err != nil {
		t.Fatal(err)
	}
	// The signature commits to the text: another text fails.
	forged := strings.Replace(string(signed), "\n3\n", "\n4\n", 1)
	if _, err := note.Open([]byte(forged), note.VerifierList(v)); err == nil {
		t.Fatal("a cosignature verified over another text")
	}
	// A cosignature key is not a plain Ed25519 note key, nor the reverse.
	if _, err := note.NewVerifier(vkey); err == nil {
		t.Fatal("x/mod's note accepted a cosignature/v1 key as an Ed25519 key")
	}
	_, plain, _ := note.GenerateKey(nil, "witness.example/w1")
	if _, err := NewCosignatureVerifier(plain); err == nil {
		t.Fatal("an Ed25519 (0x01) verifier key was accepted as a cosignature key")
	}
}

func TestMalformedKeysAreRefused(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"", "witness.example/vector+d6064b72", "witness.example/vector+d6064b73+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",
		"witness.example/vector+d6064b72+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4+", "witness.example/vector+D6064B72x+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",
		"witness.example/vector+d6064b72+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSV"} {
		if _, err := NewCosignatureVerifier(k); err == nil {
			t.Errorf("verifier key %q accepted", k)
		}
	}
	for _, k := range []string{vectorVkey, strings.Replace(vectorSkey, "d6064b72", "d6064b73", 1), strings.TrimPrefix(vectorSkey, "PRIVATE+")} {
		if _, err := NewCosigner(k); err == nil {
			t.Errorf("signer key %q accepted", k)
		}
	}
	if _, _, err := GenerateKey("two words"); err == nil {
		t.Error("a key name with a space was accepted")
	}
}
