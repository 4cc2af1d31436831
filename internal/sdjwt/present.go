package sdjwt

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// KeyBinding asks Present for a key binding JWT that proves possession of
// the holder key and ties the presentation to one verifier and session.
type KeyBinding struct {
	// Key is the holder's P-256 private key, the one bound in cnf.jwk.
	Key      crypto.Signer
	Audience string
	Nonce    string
	// IssuedAt defaults to the current time.
	IssuedAt time.Time
}

// Paths returns a selection for Present that discloses the claims at the
// given paths and everything beneath them. A path holds object keys as
// strings and array positions (as issued) as ints.
func Paths(paths ...[]any) func(path []any) bool {
	return func(path []any) bool {
		for _, p := range paths {
			if len(p) <= len(path) && slices.Equal(p, path[:len(p)]) {
				return true
			}
		}
		return false
	}
}

// Present returns a presentation of sdjwt with only the disclosures keep
// selects, plus those of the claims enclosing them, and a key binding JWT
// when kb is not nil. keep is called with the path of every disclosable
// claim and must not retain it. The presentation uses the serialization of
// sdjwt.
func Present(sdjwt string, keep func(path []any) bool, kb *KeyBinding) (string, error) {
	t, err := parse(sdjwt)
	if err != nil {
		return "", err
	}
	if t.kb != "" {
		return "", fmt.Errorf("%w: already has a key binding JWT", ErrMalformed)
	}
	payload, err := decodePayload(t.payload)
	if err != nil {
		return "", err
	}
	r, err := newResolver(t.disclosures)
	if err != nil {
		return "", err
	}
	selected := make(map[*disclosure]bool)
	r.visit = func(path []any, d *disclosure) {
		if !keep(path) {
			return
		}
		for ; d != nil && !selected[d]; d = d.parent {
			selected[d] = true
		}
	}
	if _, err := r.object(payload, nil); err != nil {
		return "", err
	}
	if err := r.unused(); err != nil {
		return "", err
	}
	var kept []string
	for _, e := range t.disclosures {
		if selected[r.byDigest[digest(e)]] {
			kept = append(kept, e)
		}
	}
	t.disclosures = kept
	if kb != nil {
		if t.kb, err = keyBindingJWT(t, payload, kb); err != nil {
			return "", err
		}
	}
	return t.serialize()
}

func keyBindingJWT(t *token, payload map[string]any, kb *KeyBinding) (string, error) {
	cnf, _ := payload["cnf"].(map[string]any)
	if cnf == nil {
		return "", errors.New("sdjwt: the SD-JWT has no cnf claim to bind to")
	}
	bound, err := parseJWK(cnf["jwk"])
	if err != nil {
		return "", fmt.Errorf("sdjwt: cnf: %w", err)
	}
	// A wallet signing with the wrong key would only learn it from every
	// verifier's refusal.
	if !bound.Equal(kb.Key.Public()) {
		return "", errors.New("sdjwt: key binding key is not the one in cnf.jwk")
	}
	iat := kb.IssuedAt
	if iat.IsZero() {
		iat = time.Now()
	}
	body, err := json.Marshal(map[string]any{
		"iat":     iat.Unix(),
		"aud":     kb.Audience,
		"nonce":   kb.Nonce,
		"sd_hash": digest(t.sdHashInput()),
	})
	if err != nil {
		return "", err
	}
	hdr := jws.NewHeaders()
	if err := hdr.Set(jws.TypeKey, typeKB); err != nil {
		return "", err
	}
	signed, err := jws.Sign(body, jws.WithKey(jwa.ES256(), kb.Key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", fmt.Errorf("sdjwt: sign key binding JWT: %w", err)
	}
	return string(signed), nil
}

func (t *token) serialize() (string, error) {
	if t.form == compact {
		var b strings.Builder
		b.WriteString(t.sdHashInput())
		b.WriteString(t.kb)
		return b.String(), nil
	}
	sigs := make([]jsonSig, len(t.sigs))
	for i, sg := range t.sigs {
		sigs[i] = jsonSig{Protected: sg.protected, Signature: sg.signature, Header: sg.header}
	}
	h := make(map[string]json.RawMessage, len(sigs[0].Header)+2)
	for k, v := range sigs[0].Header {
		h[k] = v
	}
	ds, err := json.Marshal(append([]string{}, t.disclosures...))
	if err != nil {
		return "", err
	}
	h["disclosures"] = ds
	delete(h, "kb_jwt")
	if t.kb != "" {
		if h["kb_jwt"], err = json.Marshal(t.kb); err != nil {
			return "", err
		}
	}
	sigs[0].Header = h
	out := jsonToken{Payload: t.payload}
	if t.form == flattened {
		out.jsonSig = sigs[0]
	} else {
		out.Signatures = sigs
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// Claims returns the claims of an SD-JWT with every disclosure it carries
// resolved, without checking the issuer's signature: what a holder reads of
// a credential it received from its issuer, to show it and to match a
// verifier's query. Verifiers use Verify.
func Claims(sdjwt string) (map[string]any, error) {
	t, err := parse(sdjwt)
	if err != nil {
		return nil, err
	}
	payload, err := decodePayload(t.payload)
	if err != nil {
		return nil, err
	}
	if err := resolveAll(t, payload); err != nil {
		return nil, err
	}
	return payload, nil
}
