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
// that signs checkpoints, the key of the pseudonyms (merchants; people in
// version 1 entries) and the key of the owners (people in the openings of
// version 2 entries, never published). Deriving them means
// every instance of the platform holds the same keys without storing any.
type keys struct {
	signer     note.Signer
	verifier   note.Verifier
	vkey       string
	pseudonyms []byte
	owners     []byte
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
	ok, err := hkdf.Key(sha256.New, secret, nil, "maeul ledger owner key v2", 32)
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
	return &keys{signer: signer, verifier: verifier, vkey: vkey, pseudonyms: pk, owners: ok}, nil
}

// pseudonym names a person or merchant on the ledger: the same id always
// gives the same name, and only the platform can tell whose it is.
func (k *keys) pseudonym(kind, id string) string {
	m := hmac.New(sha256.New, k.pseudonyms)
	m.Write([]byte(kind + "\x00" + id))
	return kind[:1] + "-" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// owner names a person in the openings of version 2 entries: the same id
// always gives the same owner, which appears in no published entry, so
// that showing one receipt does not point to the person's version 1
// entries, named by their pseudonym.
func (k *keys) owner(kind, id string) string {
	m := hmac.New(sha256.New, k.owners)
	m.Write([]byte(kind + "\x00" + id))
	return ownerPrefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:ownerSize])
}
