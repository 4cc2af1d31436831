package identity

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
)

// SecretSize is the length of the sealing secret: an AES-256 key.
const SecretSize = 32

// ParseSecret reads a base64 sealing secret (from MAEUL_ISSUER_SECRET).
func ParseSecret(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != SecretSize {
		return nil, fmt.Errorf("identity: the issuer secret must be %d bytes in base64 (openssl rand -base64 32)", SecretSize)
	}
	return b, nil
}

// SecretFromFile reads the secret from path, creating the file with a fresh
// secret (mode 0600) when it does not exist: the default for a single
// SQLite installation, where the file sits beside the database.
func SecretFromFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		secret := make([]byte, SecretSize)
		rand.Read(secret)
		enc := base64.StdEncoding.EncodeToString(secret) + "\n"
		if err := os.WriteFile(path, []byte(enc), 0o600); err != nil {
			return nil, err
		}
		return secret, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseSecret(string(b))
}

func seal(secret, plain []byte, kid string) (string, error) {
	gcm, err := newGCM(secret)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	rand.Read(nonce)
	// The kid is authenticated data: a sealed key moved to another row does not open.
	return base64.StdEncoding.EncodeToString(gcm.Seal(nonce, nonce, plain, []byte(kid))), nil
}

func unseal(secret []byte, sealed, kid string) ([]byte, error) {
	gcm, err := newGCM(secret)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(b) < gcm.NonceSize() {
		return nil, errors.New("identity: sealed key is malformed")
	}
	plain, err := gcm.Open(nil, b[:gcm.NonceSize()], b[gcm.NonceSize():], []byte(kid))
	if err != nil {
		return nil, errors.New("identity: the issuer secret does not open this key")
	}
	return plain, nil
}

func newGCM(secret []byte) (cipher.AEAD, error) {
	if len(secret) != SecretSize {
		return nil, errors.New("identity: no issuer secret configured")
	}
	block, err := aes.NewCipher(secret)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
