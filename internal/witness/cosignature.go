package witness

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
)

// algCosignatureV1 is the signed-note signature type of timestamped Ed25519
// cosignatures (C2SP tlog-cosignature): it enters the key ID, so a witness
// key can never be mistaken for a log's plain Ed25519 key.
const algCosignatureV1 = 0x04

// GenerateKey returns a new cosigner key named name, as a signer key
// ("PRIVATE+KEY+<name>+<id>+<base64(0x04 || seed)>", kept secret) and a
// verifier key ("<name>+<id>+<base64(0x04 || public key)>", given to logs).
func GenerateKey(name string) (skey, vkey string, err error) {
	if !validName(name) {
		return "", "", fmt.Errorf("witness: %q is not a key name (non-empty, no spaces, no +)", name)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	id := fmt.Sprintf("%08x", keyID(name, pub))
	skey = "PRIVATE+KEY+" + name + "+" + id + "+" + base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, priv.Seed()...))
	vkey = name + "+" + id + "+" + base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, pub...))
	return skey, vkey, nil
}

// NewCosigner returns the note signer of a signer key from GenerateKey: its
// signatures are cosignature/v1 over the note text, timestamped now.
func NewCosigner(skey string) (note.Signer, error) {
	rest, ok := strings.CutPrefix(skey, "PRIVATE+KEY+")
	if !ok {
		return nil, errors.New("witness: not a signer key")
	}
	name, id, key, err := splitKey(rest, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	priv := ed25519.NewKeyFromSeed(key)
	c := &cosigner{name: name, id: keyID(name, priv.Public().(ed25519.PublicKey)), key: priv, now: time.Now}
	if c.id != id {
		return nil, errors.New("witness: the signer key's ID does not match its key")
	}
	return c, nil
}

// NewCosignatureVerifier returns the note verifier of a verifier key from
// GenerateKey.
func NewCosignatureVerifier(vkey string) (note.Verifier, error) {
	name, id, key, err := splitKey(vkey, ed25519.PublicKeySize)
	if err != nil {
		return nil, err
	}
	v := &cosignatureVerifier{name: name, id: keyID(name, key), key: key}
	if v.id != id {
		return nil, errors.New("witness: the verifier key's ID does not match its key")
	}
	return v, nil
}

// splitKey reads "<name>+<hex id>+<base64(0x04 || key)>".
func splitKey(s string, size int) (name string, id uint32, key []byte, err error) {
	bad := errors.New("witness: not a cosignature/v1 key (want NAME+ID+BASE64 with type 0x04)")
	// The base64 may itself hold a +, so only the first two separate.
	name, rest, _ := strings.Cut(s, "+")
	hexID, b64, _ := strings.Cut(rest, "+")
	if !validName(name) || len(hexID) != 8 || strings.Trim(hexID, "0123456789abcdef") != "" {
		return "", 0, nil, bad
	}
	n, err := strconv.ParseUint(hexID, 16, 32)
	if err != nil {
		return "", 0, nil, bad
	}
	b, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || len(b) != 1+size || b[0] != algCosignatureV1 {
		return "", 0, nil, bad
	}
	return name, uint32(n), b[1:], nil
}

// keyID is SHA-256(name || "\n" || 0x04 || public key)[:4].
func keyID(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write([]byte{algCosignatureV1})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

func validName(name string) bool {
	return name != "" && utf8.ValidString(name) && strings.IndexFunc(name, unicode.IsSpace) < 0 && !strings.Contains(name, "+")
}

// cosignedMessage is what a cosignature/v1 signs: a header line, the
// timestamp line, then the whole checkpoint text.
func cosignedMessage(t uint64, text []byte) []byte {
	return append([]byte("cosignature/v1\ntime "+strconv.FormatUint(t, 10)+"\n"), text...)
}

type cosigner struct {
	name string
	id   uint32
	key  ed25519.PrivateKey
	now  func() time.Time
}

func (c *cosigner) Name() string    { return c.name }
func (c *cosigner) KeyHash() uint32 { return c.id }

// Sign returns the timestamped_signature: the big-endian timestamp, then
// the Ed25519 signature.
func (c *cosigner) Sign(text []byte) ([]byte, error) {
	t := c.now().Unix()
	if t < 0 {
		return nil, errors.New("witness: the clock is before 1970")
	}
	sig := binary.BigEndian.AppendUint64(make([]byte, 0, 8+ed25519.SignatureSize), uint64(t))
	return append(sig, ed25519.Sign(c.key, cosignedMessage(uint64(t), text))...), nil
}

type cosignatureVerifier struct {
	name string
	id   uint32
	key  ed25519.PublicKey
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.id }

func (v *cosignatureVerifier) Verify(text, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if t > math.MaxInt64 {
		return false
	}
	return ed25519.Verify(v.key, cosignedMessage(t, text), sig[8:])
}
