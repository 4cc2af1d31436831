package codehash

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// info names the key derived for codes; a new scheme takes a new name.
const info = "maeul/codes/v1"

// prefix marks a hash of this scheme in the database, so that a hash of an
// earlier scheme (a plain SHA-256) can never match.
const prefix = "v1:"

// Key is the key codes are hashed under.
type Key struct {
	k         []byte
	ephemeral bool
}

// New derives the codes' key from the platform's secret; with no secret the
// key is random and lives as long as the process (Ephemeral).
func New(secret []byte) *Key {
	if len(secret) == 0 {
		k := make([]byte, sha256.Size)
		rand.Read(k)
		return &Key{k: k, ephemeral: true}
	}
	k, err := hkdf.Key(sha256.New, secret, nil, info, sha256.Size)
	if err != nil {
		panic("codehash: " + err.Error()) // only for an output longer than HKDF allows
	}
	return &Key{k: k}
}

// Ephemeral reports whether the key is random for this process only: a code
// sent by one instance then fails on another, and after a restart.
func (k *Key) Ephemeral() bool { return k.ephemeral }

// Sum is the keyed hash of a secret for one purpose ("login", "card-pin"),
// bound to what the secret belongs to (a phone number, an offer): the same
// code for another phone or purpose hashes differently. Each part is
// length-prefixed, so no two lists of parts share a hash.
func (k *Key) Sum(purpose string, parts ...string) string {
	m := hmac.New(sha256.New, k.k)
	var b []byte
	for _, p := range append([]string{purpose}, parts...) {
		b = binary.AppendUvarint(b[:0], uint64(len(p)))
		m.Write(b)
		m.Write([]byte(p))
	}
	return prefix + hex.EncodeToString(m.Sum(nil))
}

// Match reports, in constant time, whether stored is the hash of parts for
// purpose under this key.
func (k *Key) Match(stored, purpose string, parts ...string) bool {
	return hmac.Equal([]byte(stored), []byte(k.Sum(purpose, parts...)))
}
