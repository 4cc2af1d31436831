package ledger

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// keys are what the log derives from the platform's secret: the Ed25519 key
// that signs checkpoints and the key of the pseudonyms. Deriving them means
// every instance of the platform holds the same keys without storing any.
type keys struct {
	signer     note.Signer
	verifier   note.Verifier
	vkey       string
	pseudonyms []byte
}

func deriveKeys(secret []byte, origin string) (*keys, error) {
	if len(secret) < 32 {
		return nil, errors.New("ledger: the platform secret is missing or too short")
	}
	seed, err := hkdf.Key(sha256.New, secret, nil, "maeul ledger checkpoint key v1", ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	pk, err := hkdf.Key(sha256.New, secret, nil, "maeul ledger pseudonym key v1", 32)
	if err != nil {
		return nil, err
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(origin, pub)
	if err != nil {
		return nil, err
	}
	// A note signer key is "PRIVATE+KEY+<name>+<hash>+<key>", the verifier
	// key's name and hash with the seed in place of the public key.
	parts := strings.Split(vkey, "+")
	skey := "PRIVATE+KEY+" + parts[0] + "+" + parts[1] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, seed...))
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, err
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	return &keys{signer: signer, verifier: verifier, vkey: vkey, pseudonyms: pk}, nil
}

// pseudonym names a person or merchant on the ledger: the same id always
// gives the same name, and only the platform can tell whose it is.
func (k *keys) pseudonym(kind, id string) string {
	m := hmac.New(sha256.New, k.pseudonyms)
	m.Write([]byte(kind + "\x00" + id))
	return kind[:1] + "-" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}
