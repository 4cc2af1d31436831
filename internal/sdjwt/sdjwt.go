package sdjwt

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Errors returned by this package; a returned error matches exactly one of
// them with errors.Is and adds the detail in its message.
var (
	ErrMalformed   = errors.New("sdjwt: malformed")
	ErrAlgorithm   = errors.New("sdjwt: algorithm not accepted")
	ErrType        = errors.New("sdjwt: typ not accepted")
	ErrUnknownKey  = errors.New("sdjwt: unknown issuer key")
	ErrSignature   = errors.New("sdjwt: invalid issuer signature")
	ErrDisclosure  = errors.New("sdjwt: invalid disclosure")
	ErrDigest      = errors.New("sdjwt: digest mismatch")
	ErrExpired     = errors.New("sdjwt: expired")
	ErrNotYetValid = errors.New("sdjwt: not yet valid")
	ErrKeyBinding  = errors.New("sdjwt: key binding")
	ErrSDHash      = errors.New("sdjwt: sd_hash mismatch")
	ErrAudience    = errors.New("sdjwt: audience mismatch")
	ErrNonce       = errors.New("sdjwt: nonce mismatch")
)

const (
	// TypeVC is the typ of an SD-JWT VC, the header value Maeul issues.
	TypeVC = "dc+sd-jwt"
	// typeKB is the typ a key binding JWT must carry (RFC 9901 section 4.3).
	typeKB = "kb+jwt"
	// hashAlg is the only _sd_alg supported: it is the default and the one
	// every wallet implements, so accepting others would only widen attack
	// surface.
	hashAlg = "sha-256"

	keySD      = "_sd"
	keySDAlg   = "_sd_alg"
	keyEllipse = "..."
)

var b64 = base64.RawURLEncoding.Strict()

// jwsSig is one signature over the shared payload; the compact form has
// exactly one.
type jwsSig struct {
	protected string // base64url, as received: the signing input uses it verbatim
	signature string
	header    map[string]json.RawMessage // unprotected header, JSON forms only
}

// serialization tells which form an SD-JWT was read from, so that a holder
// answers in the same form.
type serialization int

const (
	compact serialization = iota
	flattened
	general
)

// token is a parsed but unverified SD-JWT or SD-JWT+KB.
type token struct {
	form        serialization
	payload     string // base64url
	sigs        []jwsSig
	disclosures []string
	kb          string // empty when there is no key binding JWT
}

// jwt returns the compact issuer-signed JWT for the first signature, the one
// sd_hash covers in every serialization (RFC 9901 section 8.1).
func (t *token) jwt() string {
	return t.sigs[0].protected + "." + t.payload + "." + t.sigs[0].signature
}

// sdHashInput returns the string the KB-JWT's sd_hash is computed over:
// the issuer JWT and the presented disclosures, each followed by "~".
func (t *token) sdHashInput() string {
	var b strings.Builder
	j := t.jwt()
	n := len(j) + 1
	for _, d := range t.disclosures {
		n += len(d) + 1
	}
	b.Grow(n)
	b.WriteString(j)
	b.WriteByte('~')
	for _, d := range t.disclosures {
		b.WriteString(d)
		b.WriteByte('~')
	}
	return b.String()
}

func parse(s string) (*token, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") {
		return parseJSON(s)
	}
	return parseCompact(s)
}

func parseCompact(s string) (*token, error) {
	parts := strings.Split(s, "~")
	if len(parts) < 2 {
		return nil, fmt.Errorf("%w: no \"~\" after the issuer JWT", ErrMalformed)
	}
	jwtParts := strings.Split(parts[0], ".")
	if len(jwtParts) != 3 {
		return nil, fmt.Errorf("%w: issuer JWT does not have three parts", ErrMalformed)
	}
	t := &token{
		payload:     jwtParts[1],
		sigs:        []jwsSig{{protected: jwtParts[0], signature: jwtParts[2]}},
		disclosures: parts[1 : len(parts)-1],
		kb:          parts[len(parts)-1],
	}
	return t, t.check()
}

type jsonSig struct {
	Protected string                     `json:"protected"`
	Signature string                     `json:"signature"`
	Header    map[string]json.RawMessage `json:"header,omitempty"`
}

type jsonToken struct {
	Payload string `json:"payload"`
	jsonSig
	Signatures []jsonSig `json:"signatures,omitempty"`
}

func parseJSON(s string) (*token, error) {
	var j jsonToken
	if err := json.Unmarshal([]byte(s), &j); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	t := &token{payload: j.Payload, form: flattened}
	sigs := []jsonSig{j.jsonSig}
	if j.Signatures != nil {
		if j.Protected != "" || j.Signature != "" || j.Header != nil {
			return nil, fmt.Errorf("%w: both flattened and general members", ErrMalformed)
		}
		t.form, sigs = general, j.Signatures
	}
	if len(sigs) == 0 {
		return nil, fmt.Errorf("%w: no signature", ErrMalformed)
	}
	for i, sg := range sigs {
		t.sigs = append(t.sigs, jwsSig{protected: sg.Protected, signature: sg.Signature, header: sg.Header})
		if i > 0 && (sg.Header["disclosures"] != nil || sg.Header["kb_jwt"] != nil) {
			// Only the first signature's header may carry them; elsewhere they
			// would be unsigned data a verifier might be tricked into reading.
			return nil, fmt.Errorf("%w: disclosures outside the first signature header", ErrMalformed)
		}
	}
	h := sigs[0].Header
	if raw := h["disclosures"]; raw != nil {
		if err := json.Unmarshal(raw, &t.disclosures); err != nil {
			return nil, fmt.Errorf("%w: disclosures: %v", ErrMalformed, err)
		}
	}
	if raw := h["kb_jwt"]; raw != nil {
		if err := json.Unmarshal(raw, &t.kb); err != nil || t.kb == "" {
			return nil, fmt.Errorf("%w: kb_jwt is not a non-empty string", ErrMalformed)
		}
	}
	return t, t.check()
}

// check validates what parsing alone can tell, so that later stages only
// see well-formed base64url and compact JWT parts.
func (t *token) check() error {
	for _, sg := range t.sigs {
		for _, p := range [...]string{sg.protected, sg.signature} {
			if p == "" || !isB64(p) {
				return fmt.Errorf("%w: issuer JWT is not base64url", ErrMalformed)
			}
		}
	}
	if !isB64(t.payload) || t.payload == "" {
		return fmt.Errorf("%w: payload is not base64url", ErrMalformed)
	}
	for _, d := range t.disclosures {
		if d == "" || !isB64(d) {
			return fmt.Errorf("%w: disclosure %q is not base64url", ErrDisclosure, d)
		}
	}
	if t.kb != "" {
		parts := strings.Split(t.kb, ".")
		if len(parts) != 3 {
			return fmt.Errorf("%w: key binding JWT does not have three parts", ErrMalformed)
		}
		for _, p := range parts {
			if p == "" || !isB64(p) {
				return fmt.Errorf("%w: key binding JWT is not base64url", ErrMalformed)
			}
		}
	}
	return nil
}

// isB64 reports whether s uses only the unpadded base64url alphabet and has
// a length an encoding can have; the decoder catches the rest.
func isB64(s string) bool {
	if len(s)%4 == 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func decodeB64(s string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return b, nil
}

// decodeJSON decodes numbers as json.Number so that claim values come back
// exactly as the issuer wrote them.
func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return b64.EncodeToString(sum[:])
}

// disclosure is a decoded disclosure; name is empty for an array element.
type disclosure struct {
	encoded string
	name    string
	isArray bool
	value   any
	used    bool
	parent  *disclosure // the disclosure whose value references this one
}

func decodeDisclosure(s string) (*disclosure, error) {
	raw, err := b64.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDisclosure, err)
	}
	var arr []any
	if err := decodeJSON(raw, &arr); err != nil {
		return nil, fmt.Errorf("%w: not a JSON array: %v", ErrDisclosure, err)
	}
	d := &disclosure{encoded: s}
	if len(arr) == 0 {
		return nil, fmt.Errorf("%w: empty array", ErrDisclosure)
	}
	if _, ok := arr[0].(string); !ok {
		return nil, fmt.Errorf("%w: salt is not a string", ErrDisclosure)
	}
	switch len(arr) {
	case 2:
		d.isArray, d.value = true, arr[1]
	case 3:
		name, ok := arr[1].(string)
		if !ok {
			return nil, fmt.Errorf("%w: claim name is not a string", ErrDisclosure)
		}
		if name == keySD || name == keyEllipse {
			return nil, fmt.Errorf("%w: claim name %q is reserved", ErrDisclosure, name)
		}
		d.name, d.value = name, arr[2]
	default:
		return nil, fmt.Errorf("%w: array of %d elements", ErrDisclosure, len(arr))
	}
	return d, nil
}
