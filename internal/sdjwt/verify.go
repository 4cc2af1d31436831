package sdjwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// KeyLookup returns the public key that must have signed an issuer JWT,
// given its (unverified) iss claim and protected header. It is where key
// rotation, trust lists or did:web resolution plug in.
type KeyLookup func(ctx context.Context, iss string, header map[string]any) (crypto.PublicKey, error)

// VerifyOptions configure Verify. IssuerKey is required.
type VerifyOptions struct {
	IssuerKey KeyLookup
	// Algorithms are the accepted JWS algorithms of the issuer JWT; nil
	// means ES256 only. "none" is never accepted.
	Algorithms []string
	// Types are the accepted typ header values of the issuer JWT; nil
	// accepts any, including none.
	Types []string
	// RequireKeyBinding refuses presentations without a key binding JWT.
	// It needs Audience and Nonce: without them a key binding JWT could be
	// replayed to another verifier or another session.
	RequireKeyBinding bool
	Audience          string
	Nonce             string
	// Now defaults to time.Now; Skew is the clock difference tolerated on
	// every time check.
	Now  func() time.Time
	Skew time.Duration
	// MaxAge bounds how old a key binding JWT's iat may be; zero means
	// five minutes.
	MaxAge time.Duration
}

const defaultMaxAge = 5 * time.Minute

// Verify checks a presentation (an SD-JWT, or an SD-JWT+KB) in compact or
// JSON serialization and returns its processed payload: disclosed claims in
// place, undisclosed ones absent, "_sd", "_sd_alg" and "..." removed.
// Numbers are json.Number so that they come back exactly as issued.
func Verify(ctx context.Context, presentation string, opts *VerifyOptions) (map[string]any, error) {
	if opts.IssuerKey == nil {
		return nil, errors.New("sdjwt: VerifyOptions.IssuerKey is not set")
	}
	if opts.RequireKeyBinding && (opts.Audience == "" || opts.Nonce == "") {
		return nil, errors.New("sdjwt: key binding requires VerifyOptions.Audience and Nonce")
	}
	t, err := parse(presentation)
	if err != nil {
		return nil, err
	}
	payload, err := decodePayload(t.payload)
	if err != nil {
		return nil, err
	}
	iss, _ := payload["iss"].(string)
	if err := verifyIssuer(ctx, t, iss, opts); err != nil {
		return nil, err
	}
	if err := resolveAll(t, payload); err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	at := now()
	if err := checkTimes(payload, at, opts.Skew); err != nil {
		return nil, err
	}
	switch {
	case t.kb != "":
		if err := verifyKB(t, payload, at, opts); err != nil {
			return nil, err
		}
	case opts.RequireKeyBinding:
		return nil, fmt.Errorf("%w: required but absent", ErrKeyBinding)
	}
	return payload, nil
}

// resolveAll replaces every digest of payload by the claim its disclosure
// holds, and refuses disclosures that no digest references.
func resolveAll(t *token, payload map[string]any) error {
	if alg, ok := payload[keySDAlg]; ok && alg != hashAlg {
		return fmt.Errorf("%w: _sd_alg %v", ErrAlgorithm, alg)
	}
	delete(payload, keySDAlg)
	r, err := newResolver(t.disclosures)
	if err != nil {
		return err
	}
	if _, err := r.object(payload, nil); err != nil {
		return err
	}
	return r.unused()
}

func decodePayload(s string) (map[string]any, error) {
	raw, err := decodeB64(s)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := decodeJSON(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("%w: payload is not a JSON object", ErrMalformed)
	}
	return m, nil
}

// verifyIssuer accepts the SD-JWT when any of its signatures verifies;
// there is more than one only in the general JSON serialization, where each
// may come from a different issuer key.
func verifyIssuer(ctx context.Context, t *token, iss string, opts *VerifyOptions) error {
	var first error
	for _, sg := range t.sigs {
		err := verifySig(ctx, sg, t.payload, iss, opts)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return first
}

func verifySig(ctx context.Context, sg jwsSig, payload, iss string, opts *VerifyOptions) error {
	raw, err := decodeB64(sg.protected)
	if err != nil {
		return err
	}
	var hdr map[string]any
	if err := decodeJSON(raw, &hdr); err != nil || hdr == nil {
		return fmt.Errorf("%w: header is not a JSON object", ErrMalformed)
	}
	if _, ok := hdr["crit"]; ok {
		// No extension is understood here, and RFC 7515 section 4.1.11 says
		// to refuse what is critical and not understood.
		return fmt.Errorf("%w: crit header", ErrMalformed)
	}
	alg, _ := hdr["alg"].(string)
	if !algAccepted(alg, opts.Algorithms) {
		return fmt.Errorf("%w: %q", ErrAlgorithm, alg)
	}
	if opts.Types != nil {
		typ, _ := hdr["typ"].(string)
		if !slices.Contains(opts.Types, typ) {
			return fmt.Errorf("%w: %q", ErrType, typ)
		}
	}
	key, err := opts.IssuerKey(ctx, iss, hdr)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnknownKey, err)
	}
	if key == nil {
		return fmt.Errorf("%w: no key for %q", ErrUnknownKey, iss)
	}
	input := sg.protected + "." + payload
	if pub, ok := key.(*ecdsa.PublicKey); ok && alg == "ES256" {
		if !isP256(pub) {
			return fmt.Errorf("%w: ES256 needs a P-256 key", ErrUnknownKey)
		}
		if !verifyES256(pub, input, sg.signature) {
			return ErrSignature
		}
		return nil
	}
	// Other algorithms only when configured; jwx knows them all.
	jalg, ok := jwa.LookupSignatureAlgorithm(alg)
	if !ok {
		return fmt.Errorf("%w: %q", ErrAlgorithm, alg)
	}
	if _, err := jws.Verify([]byte(input+"."+sg.signature), jws.WithKey(jalg, key)); err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	return nil
}

func algAccepted(alg string, accepted []string) bool {
	if alg == "" || strings.EqualFold(alg, "none") {
		return false
	}
	if accepted == nil {
		return alg == "ES256"
	}
	return slices.Contains(accepted, alg)
}

// verifyES256 checks a JWS signature directly with crypto/ecdsa: jws.Verify
// would parse the whole token again, which costs more than the rest of the
// verification together.
func verifyES256(pub *ecdsa.PublicKey, input, sigB64 string) bool {
	sig, err := b64.DecodeString(sigB64)
	if err != nil || len(sig) != 64 {
		return false
	}
	h := sha256.Sum256([]byte(input))
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:])
	return ecdsa.Verify(pub, h[:], r, s)
}

// checkTimes enforces the registered time claims of the SD-JWT.
func checkTimes(payload map[string]any, now time.Time, skew time.Duration) error {
	if v, ok := payload["exp"]; ok {
		exp, err := numericDate(v)
		if err != nil {
			return fmt.Errorf("%w: exp: %v", ErrMalformed, err)
		}
		if !now.Add(-skew).Before(exp) {
			return fmt.Errorf("%w: at %s", ErrExpired, exp.UTC().Format(time.RFC3339))
		}
	}
	if v, ok := payload["nbf"]; ok {
		nbf, err := numericDate(v)
		if err != nil {
			return fmt.Errorf("%w: nbf: %v", ErrMalformed, err)
		}
		if now.Add(skew).Before(nbf) {
			return fmt.Errorf("%w: before %s", ErrNotYetValid, nbf.UTC().Format(time.RFC3339))
		}
	}
	return nil
}

func numericDate(v any) (time.Time, error) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, errors.New("not a number")
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return time.Time{}, errors.New("not a NumericDate")
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), nil
}

type kbClaims struct {
	Iat    json.Number `json:"iat"`
	Aud    any         `json:"aud"`
	Nonce  string      `json:"nonce"`
	SDHash string      `json:"sd_hash"`
}

func verifyKB(t *token, payload map[string]any, now time.Time, opts *VerifyOptions) error {
	if opts.Audience == "" || opts.Nonce == "" {
		return fmt.Errorf("%w: presented, but VerifyOptions.Audience or Nonce is not set", ErrKeyBinding)
	}
	cnf, _ := payload["cnf"].(map[string]any)
	if cnf == nil {
		return fmt.Errorf("%w: the SD-JWT has no cnf claim", ErrKeyBinding)
	}
	holder, err := parseJWK(cnf["jwk"])
	if err != nil {
		return fmt.Errorf("%w: cnf: %w", ErrKeyBinding, err)
	}
	parts := strings.Split(t.kb, ".")
	raw, err := decodeB64(parts[0])
	if err != nil {
		return fmt.Errorf("%w: %w", ErrKeyBinding, err)
	}
	var hdr struct {
		Alg  string `json:"alg"`
		Typ  string `json:"typ"`
		Crit any    `json:"crit"`
	}
	if err := decodeJSON(raw, &hdr); err != nil {
		return fmt.Errorf("%w: header: %v", ErrKeyBinding, err)
	}
	if hdr.Typ != typeKB || hdr.Alg != "ES256" || hdr.Crit != nil {
		return fmt.Errorf("%w: header must be typ %s, alg ES256, no crit", ErrKeyBinding, typeKB)
	}
	if !verifyES256(holder, parts[0]+"."+parts[1], parts[2]) {
		return fmt.Errorf("%w: signature does not match cnf.jwk", ErrKeyBinding)
	}
	if raw, err = decodeB64(parts[1]); err != nil {
		return fmt.Errorf("%w: %w", ErrKeyBinding, err)
	}
	var c kbClaims
	if err := decodeJSON(raw, &c); err != nil {
		return fmt.Errorf("%w: claims: %v", ErrKeyBinding, err)
	}
	if c.SDHash != digest(t.sdHashInput()) {
		return ErrSDHash
	}
	if !audienceMatches(c.Aud, opts.Audience) {
		return fmt.Errorf("%w: %v", ErrAudience, c.Aud)
	}
	if c.Nonce != opts.Nonce {
		return fmt.Errorf("%w: %q", ErrNonce, c.Nonce)
	}
	iat, err := numericDate(c.Iat)
	if err != nil {
		return fmt.Errorf("%w: iat: %v", ErrKeyBinding, err)
	}
	maxAge := opts.MaxAge
	if maxAge == 0 {
		maxAge = defaultMaxAge
	}
	if iat.After(now.Add(opts.Skew)) {
		return fmt.Errorf("%w: key binding issued in the future", ErrNotYetValid)
	}
	if iat.Before(now.Add(-maxAge - opts.Skew)) {
		return fmt.Errorf("%w: key binding older than %s", ErrExpired, maxAge)
	}
	return nil
}

// audienceMatches accepts the single string RFC 9901 prescribes and, as
// RFC 7519 allows, an array holding it.
func audienceMatches(aud any, want string) bool {
	switch a := aud.(type) {
	case string:
		return a == want
	case []any:
		return slices.Contains(a, any(want))
	}
	return false
}
