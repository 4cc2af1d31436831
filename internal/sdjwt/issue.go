package sdjwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// Disclosable marks a claim value as selectively disclosable: as the value
// of an object property it makes that property disclosable, as an array
// element it makes that element disclosable. Value may itself contain
// Disclosable values (recursive disclosure).
type Disclosable struct{ Value any }

// SD marks v as selectively disclosable.
func SD(v any) Disclosable { return Disclosable{Value: v} }

// Issuer signs SD-JWTs with ES256.
type Issuer struct {
	// Key is the issuer's P-256 private key.
	Key crypto.Signer
	// Header holds extra protected header parameters, such as
	// "typ": TypeVC or "kid".
	Header map[string]any
	// Decoys, when positive, adds between 1 and Decoys decoy digests to each
	// object that has disclosable properties, so that a verifier cannot count
	// the undisclosed claims.
	Decoys int
	// Rand is the source of salts and decoys; nil means crypto/rand. Tests
	// set it to get reproducible output.
	Rand io.Reader
}

// Issue returns a compact SD-JWT for claims, in which Disclosable values are
// replaced by digests and appended as disclosures. When holder is not nil,
// its public key is bound as cnf.jwk so that presentations need a key
// binding JWT signed by it.
func (is *Issuer) Issue(claims map[string]any, holder crypto.PublicKey) (string, error) {
	if !isP256(is.Key.Public()) {
		return "", errors.New("sdjwt: issuer key must be an ECDSA P-256 key")
	}
	for _, k := range []string{keySD, keySDAlg, keyEllipse, "cnf"} {
		if _, ok := claims[k]; ok && (k != "cnf" || holder != nil) {
			return "", fmt.Errorf("sdjwt: claim %q is set by the issuer", k)
		}
	}
	b := builder{rand: is.Rand, decoys: is.Decoys}
	if b.rand == nil {
		b.rand = rand.Reader
	}
	top, err := b.object(claims)
	if err != nil {
		return "", err
	}
	payload := top.(map[string]any)
	payload[keySDAlg] = hashAlg
	if holder != nil {
		key, err := publicJWK(holder)
		if err != nil {
			return "", err
		}
		payload["cnf"] = map[string]any{"jwk": key}
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("sdjwt: payload: %w", err)
	}
	hdr := jws.NewHeaders()
	for k, v := range is.Header {
		if err := hdr.Set(k, v); err != nil {
			return "", fmt.Errorf("sdjwt: header %q: %w", k, err)
		}
	}
	signed, err := jws.Sign(body, jws.WithKey(jwa.ES256(), is.Key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", fmt.Errorf("sdjwt: sign: %w", err)
	}
	n := len(signed) + 1
	for _, d := range b.disclosures {
		n += len(d) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, signed...)
	out = append(out, '~')
	for _, d := range b.disclosures {
		out = append(out, d...)
		out = append(out, '~')
	}
	return string(out), nil
}

func isP256(k crypto.PublicKey) bool {
	pub, ok := k.(*ecdsa.PublicKey)
	return ok && pub.Curve == elliptic.P256()
}

// ecJWK is the public JWK of a P-256 key, the only holder key type: key
// binding JWTs are ES256 like the issuer JWT.
type ecJWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

func publicJWK(k crypto.PublicKey) (ecJWK, error) {
	if !isP256(k) {
		return ecJWK{}, errors.New("sdjwt: holder key must be an ECDSA P-256 public key")
	}
	raw, err := k.(*ecdsa.PublicKey).Bytes()
	if err != nil {
		return ecJWK{}, fmt.Errorf("sdjwt: holder key: %w", err)
	}
	return ecJWK{Kty: "EC", Crv: "P-256", X: b64.EncodeToString(raw[1:33]), Y: b64.EncodeToString(raw[33:])}, nil
}

// parseJWK reads a cnf.jwk back into a key; ParseUncompressedPublicKey
// rejects points off the curve.
func parseJWK(v any) (*ecdsa.PublicKey, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("jwk is not an object")
	}
	if m["kty"] != "EC" || m["crv"] != "P-256" {
		return nil, errors.New("jwk is not an EC P-256 key")
	}
	xs, _ := m["x"].(string)
	ys, _ := m["y"].(string)
	x, errX := b64.DecodeString(xs)
	y, errY := b64.DecodeString(ys)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return nil, errors.New("jwk has invalid coordinates")
	}
	var pt [65]byte
	pt[0] = 4
	copy(pt[1:], x)
	copy(pt[33:], y)
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), pt[:])
}

// builder turns claims with Disclosable values into a payload and its
// disclosures.
type builder struct {
	rand        io.Reader
	decoys      int
	disclosures []string
}

func (b *builder) value(v any) (any, error) {
	switch v := v.(type) {
	case Disclosable:
		return nil, errors.New("sdjwt: a Disclosable must be an object property value or an array element")
	case map[string]any:
		return b.object(v)
	case []any:
		return b.array(v)
	default:
		return v, nil
	}
}

func (b *builder) object(obj map[string]any) (any, error) {
	out := make(map[string]any, len(obj))
	var digests []string
	// Sorted so that a seeded Rand yields the same SD-JWT every time.
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if k == keySD || k == keyEllipse {
			return nil, fmt.Errorf("sdjwt: claim name %q is reserved", k)
		}
		sd, isSD := obj[k].(Disclosable)
		if !isSD {
			v, err := b.value(obj[k])
			if err != nil {
				return nil, err
			}
			out[k] = v
			continue
		}
		v, err := b.value(sd.Value)
		if err != nil {
			return nil, err
		}
		h, err := b.disclose(k, v)
		if err != nil {
			return nil, err
		}
		digests = append(digests, h)
	}
	if len(digests) == 0 {
		return out, nil
	}
	if b.decoys > 0 {
		var r [2]byte
		if _, err := io.ReadFull(b.rand, r[:]); err != nil {
			return nil, fmt.Errorf("sdjwt: decoys: %w", err)
		}
		for range 1 + int(binary.BigEndian.Uint16(r[:]))%b.decoys {
			salt, err := b.salt()
			if err != nil {
				return nil, err
			}
			digests = append(digests, digest(salt))
		}
	}
	// Sorting hides the order, and so the identity, of the claims.
	slices.Sort(digests)
	out[keySD] = digests
	return out, nil
}

func (b *builder) array(arr []any) (any, error) {
	out := make([]any, len(arr))
	for i, e := range arr {
		sd, isSD := e.(Disclosable)
		if !isSD {
			v, err := b.value(e)
			if err != nil {
				return nil, err
			}
			out[i] = v
			continue
		}
		v, err := b.value(sd.Value)
		if err != nil {
			return nil, err
		}
		h, err := b.disclose("", v)
		if err != nil {
			return nil, err
		}
		out[i] = map[string]any{keyEllipse: h}
	}
	return out, nil
}

// disclose records a disclosure of v, named unless it is an array element,
// and returns its digest.
func (b *builder) disclose(name string, v any) (string, error) {
	salt, err := b.salt()
	if err != nil {
		return "", err
	}
	arr := []any{salt, name, v}
	if name == "" {
		arr = []any{salt, v}
	}
	raw, err := json.Marshal(arr)
	if err != nil {
		return "", fmt.Errorf("sdjwt: disclosure: %w", err)
	}
	enc := b64.EncodeToString(raw)
	b.disclosures = append(b.disclosures, enc)
	return digest(enc), nil
}

// salt returns 128 random bits, the size RFC 9901 section 9.3 recommends.
func (b *builder) salt() (string, error) {
	var s [16]byte
	if _, err := io.ReadFull(b.rand, s[:]); err != nil {
		return "", fmt.Errorf("sdjwt: salt: %w", err)
	}
	return b64.EncodeToString(s[:]), nil
}
