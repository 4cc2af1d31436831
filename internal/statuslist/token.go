package statuslist

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// TokenType is the JOSE "typ" of a Status List Token in JWT form.
const TokenType = "statuslist+jwt"

var (
	// ErrTokenType reports a "typ" header other than statuslist+jwt.
	ErrTokenType = errors.New("statuslist: wrong token type")
	// ErrAlgorithm reports a missing, symmetric or unknown signing algorithm.
	ErrAlgorithm = errors.New("statuslist: algorithm not allowed")
	// ErrSignature reports a token whose signature does not verify.
	ErrSignature = errors.New("statuslist: invalid signature")
	// ErrSubject reports a "sub" that differs from the URI the list was fetched for.
	ErrSubject = errors.New("statuslist: subject does not match status list URI")
	// ErrExpired reports a token at or past its "exp".
	ErrExpired = errors.New("statuslist: token expired")
	// ErrClaims reports missing or ill-typed claims.
	ErrClaims = errors.New("statuslist: invalid claims")
)

// asymmetric lists the algorithms a verifier accepts. The draft requires
// rejecting MAC algorithms; an allow-list also keeps "none" out.
var asymmetric = map[string]bool{
	"ES256": true, "ES384": true, "ES512": true, "EdDSA": true,
	"PS256": true, "PS384": true, "PS512": true,
	"RS256": true, "RS384": true, "RS512": true,
}

// Token is the content of a Status List Token.
type Token struct {
	// Issuer is optional; the draft requires it only when the Referenced
	// Token also carries "iss", which callers compare themselves.
	Issuer   string
	Subject  string
	IssuedAt time.Time
	// ExpiresAt is the zero time when the token has no "exp".
	ExpiresAt time.Time
	// TTL is zero when the token has no "ttl".
	TTL  time.Duration
	List *List
}

type statusListJSON struct {
	Bits int    `json:"bits"`
	Lst  string `json:"lst"`
}

type claimsJSON struct {
	Issuer  string `json:"iss,omitempty"`
	Subject string `json:"sub"`
	// Numeric claims are any so decoding with UseNumber yields json.Number
	// only for JSON numbers; a *json.Number field would also accept "123".
	IssuedAt   any             `json:"iat"`
	ExpiresAt  any             `json:"exp,omitempty"`
	TTL        any             `json:"ttl,omitempty"`
	StatusList *statusListJSON `json:"status_list"`
}

// Sign serialises t as a compact JWS signed with ES256. The key must be on
// P-256 because ES256 is defined only for that curve; kid may be empty.
func Sign(t Token, key *ecdsa.PrivateKey, kid string) (string, error) {
	if key == nil || key.Curve != elliptic.P256() {
		return "", fmt.Errorf("%w: ES256 needs a P-256 key", ErrAlgorithm)
	}
	if t.Subject == "" || t.IssuedAt.IsZero() || t.List == nil {
		return "", fmt.Errorf("%w: sub, iat and list are required", ErrClaims)
	}
	if t.TTL < 0 {
		return "", fmt.Errorf("%w: ttl must be positive", ErrClaims)
	}
	lst, err := t.List.Encode()
	if err != nil {
		return "", err
	}
	c := claimsJSON{
		Issuer:     t.Issuer,
		Subject:    t.Subject,
		IssuedAt:   unixNumber(t.IssuedAt),
		StatusList: &statusListJSON{Bits: t.List.Bits(), Lst: lst},
	}
	if !t.ExpiresAt.IsZero() {
		c.ExpiresAt = unixNumber(t.ExpiresAt)
	}
	if t.TTL > 0 {
		// ttl is whole seconds on the wire; round up so a sub-second TTL is
		// not serialised as the invalid value 0.
		c.TTL = json.Number(fmt.Sprint(int64(math.Ceil(t.TTL.Seconds()))))
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	hdr := jws.NewHeaders()
	if err := hdr.Set(jws.TypeKey, TokenType); err != nil {
		return "", err
	}
	if kid != "" {
		if err := hdr.Set(jws.KeyIDKey, kid); err != nil {
			return "", err
		}
	}
	out, err := jws.Sign(payload, jws.WithKey(jwa.ES256(), key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", err
	}
	return string(out), nil
}

func unixNumber(t time.Time) json.Number {
	return json.Number(fmt.Sprint(t.Unix()))
}

// KeyLookup resolves the public key that should have signed a Status List
// Token, from the "kid" and "alg" of its protected header. Key resolution is
// the caller's trust decision, which the draft leaves to the ecosystem.
type KeyLookup func(ctx context.Context, kid, alg string) (crypto.PublicKey, error)

// Verify checks a compact Status List Token: typ, an asymmetric alg, the
// signature under the key from keys, that "sub" equals uri, that the required
// claims are well formed and that now is before "exp".
func Verify(ctx context.Context, compact, uri string, keys KeyLookup, now time.Time) (*Token, error) {
	msg, err := jws.ParseString(compact)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	// Only the compact serialisation with one signature is a JWT.
	if strings.Count(compact, ".") != 2 || len(msg.Signatures()) != 1 {
		return nil, fmt.Errorf("%w: not a compact JWS", ErrSignature)
	}
	hdr := msg.Signatures()[0].ProtectedHeaders()
	if typ, _ := hdr.Type(); !isStatusListType(typ) {
		return nil, fmt.Errorf("%w: %q", ErrTokenType, typ)
	}
	alg, ok := hdr.Algorithm()
	if !ok || !asymmetric[alg.String()] {
		return nil, fmt.Errorf("%w: %q", ErrAlgorithm, alg.String())
	}
	kid, _ := hdr.KeyID()
	key, err := keys(ctx, kid, alg.String())
	if err != nil {
		return nil, fmt.Errorf("statuslist: key lookup: %w", err)
	}
	payload, err := jws.Verify([]byte(compact), jws.WithKey(alg, key))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	t, err := parseClaims(payload)
	if err != nil {
		return nil, err
	}
	if t.Subject != uri {
		return nil, fmt.Errorf("%w: sub %q, want %q", ErrSubject, t.Subject, uri)
	}
	if !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) {
		return nil, fmt.Errorf("%w: at %s", ErrExpired, t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return t, nil
}

// isStatusListType accepts the full media type too, since RFC 7515 lets a
// producer keep or drop the "application/" prefix in "typ".
func isStatusListType(typ string) bool {
	typ = strings.ToLower(typ)
	return typ == TokenType || typ == "application/"+TokenType
}

func parseClaims(payload []byte) (*Token, error) {
	var c claimsJSON
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrClaims, err)
	}
	if c.Subject == "" {
		return nil, fmt.Errorf("%w: sub is required", ErrClaims)
	}
	if c.IssuedAt == nil {
		return nil, fmt.Errorf("%w: iat is required", ErrClaims)
	}
	if c.StatusList == nil {
		return nil, fmt.Errorf("%w: status_list is required", ErrClaims)
	}
	t := &Token{Issuer: c.Issuer, Subject: c.Subject}
	var err error
	if t.IssuedAt, err = numericDate(c.IssuedAt); err != nil {
		return nil, fmt.Errorf("%w: iat: %v", ErrClaims, err)
	}
	if c.ExpiresAt != nil {
		if t.ExpiresAt, err = numericDate(c.ExpiresAt); err != nil {
			return nil, fmt.Errorf("%w: exp: %v", ErrClaims, err)
		}
	}
	if c.TTL != nil {
		n, _ := c.TTL.(json.Number)
		secs, err := n.Float64()
		if err != nil || !(secs > 0) || secs > math.MaxInt64/float64(time.Second) {
			return nil, fmt.Errorf("%w: ttl must be a positive number of seconds", ErrClaims)
		}
		t.TTL = time.Duration(secs * float64(time.Second))
	}
	if t.List, err = Decode(c.StatusList.Bits, c.StatusList.Lst); err != nil {
		return nil, err
	}
	return t, nil
}

func numericDate(v any) (time.Time, error) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, fmt.Errorf("not a NumericDate: %v", v)
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > 1<<40 || math.IsNaN(f) {
		return time.Time{}, fmt.Errorf("not a NumericDate: %s", n)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), nil
}
