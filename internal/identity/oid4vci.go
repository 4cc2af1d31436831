package identity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow
// with a transaction code: staff (or the citizen, after proofing) create an
// offer; the wallet trades its code and the PIN for an access token, fetches
// a nonce, and asks for a batch of cards, one per key it proves it holds.

// Lifetimes of the flow's secrets.
const (
	OfferLifetime = 24 * time.Hour
	TokenLifetime = 10 * time.Minute
	NonceLifetime = 5 * time.Minute
	MaxPINTries   = 5
	// BatchSize is how many cards, each with its own key, a wallet may get at
	// once: one per verifier keeps verifiers from linking their records.
	BatchSize = 5
)

// CardConfigurationID names the citizen card in the issuer metadata.
const CardConfigurationID = "citizen_card"

// OIDError is an OAuth/OpenID4VCI error response.
type OIDError struct {
	Status int
	Code   string // e.g. invalid_grant, invalid_proof
	Desc   string
}

func (e *OIDError) Error() string { return e.Code + ": " + e.Desc }

// Offer is a credential offer and the PIN to tell the citizen separately.
type Offer struct {
	JSON map[string]any // the credential offer object
	Link string         // openid-credential-offer://?credential_offer=…, for any wallet app
	// WalletLink opens the same offer in Maeul's web wallet: an https link,
	// which a phone's camera opens in the browser without a wallet app.
	WalletLink string
	PIN        string
	Until      time.Time
}

func secret(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashOf is how the flow's random secrets (codes, tokens, nonces of 24 or
// 32 random bytes) are looked up: too many to try, so a plain SHA-256 keeps
// them. A PIN has 10^6 values and is kept by pinHash instead.
func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// pinPurpose names the offers' PINs among the keyed hashes.
const pinPurpose = "card-offer-pin"

// pinHash is the keyed hash of an offer's PIN, bound to the offer (by the
// hash of its pre-authorized code): only the platform's secret checks it.
func (c *Cards) pinHash(codeHash, pin string) string { return c.pins.Sum(pinPurpose, codeHash, pin) }

// CreateOffer makes an offer of the citizen card for a proofed resident.
func (c *Cards) CreateOffer(ctx context.Context, residentID int64, issuerURL string) (Offer, error) {
	a, err := actor.Require(ctx)
	if err != nil {
		return Offer{}, err
	}
	if !a.Is(actor.Operator, actor.Guide, actor.CentreAdmin) && !c.ownRecord(ctx, a, residentID) {
		return Offer{}, errs.New(errs.Forbidden, "error.forbidden")
	}
	proof, err := c.registry.LatestProof(ctx, residentID)
	if err != nil {
		return Offer{}, err
	}
	now := c.Now()
	if now.Sub(proof.At) > ProofValidity {
		return Offer{}, errs.New(errs.Conflict, "identity.not_proofed")
	}
	code := secret(32)
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	pin := fmt.Sprintf("%06d", n.Int64())
	until := now.Add(OfferLifetime)
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO credential_offers (resident_id, code_hash, tx_code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			residentID, hashOf(code), c.pinHash(hashOf(code), pin), db.Time(now), db.Time(until)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "card.offer", SubjectType: "resident", SubjectID: residentID})
	})
	if err != nil {
		return Offer{}, err
	}
	offer := map[string]any{
		"credential_issuer":            issuerURL,
		"credential_configuration_ids": []string{CardConfigurationID},
		"grants": map[string]any{
			"urn:ietf:params:oauth:grant-type:pre-authorized_code": map[string]any{
				"pre-authorized_code": code,
				"tx_code":             map[string]any{"input_mode": "numeric", "length": 6, "description": "PIN"},
			},
		},
	}
	raw, _ := json.Marshal(offer)
	q := url.QueryEscape(string(raw))
	return Offer{JSON: offer, Link: "openid-credential-offer://?credential_offer=" + q,
		WalletLink: issuerURL + "/wallet/receive?credential_offer=" + q, PIN: pin, Until: until}, nil
}

// ownRecord reports whether a signed-in citizen is the resident: proofed by
// the phone they signed in with.
func (c *Cards) ownRecord(ctx context.Context, a *actor.Actor, residentID int64) bool {
	var n int
	c.db.QueryRow(ctx, `SELECT COUNT(*) FROM proofings WHERE resident_id = $1 AND method = $2 AND user_id = $3`, residentID, ProofPhoneCode, a.ID).Scan(&n)
	return a.Role == actor.Citizen && n > 0
}

// RedeemOffer trades a pre-authorized code and its PIN for an access token,
// bound to the wallet's key when the request carried a DPoP proof. A wrong
// PIN counts; after MaxPINTries the offer is dead.
func (c *Cards) RedeemOffer(ctx context.Context, code, pin string, dpop *dpopProof) (string, time.Duration, error) {
	now := c.Now()
	token := secret(32)
	var residentID int64
	err := c.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		var pinHash string
		var attempts int
		var expires time.Time
		var redeemed sql.NullTime
		err := tx.QueryRowContext(ctx, `UPDATE credential_offers SET attempts = attempts WHERE code_hash = $1
			RETURNING id, resident_id, tx_code_hash, attempts, expires_at, redeemed_at`, hashOf(code)).
			Scan(&id, &residentID, &pinHash, &attempts, &expires, &redeemed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return &OIDError{400, "invalid_grant", "unknown pre-authorized code"}
		case err != nil:
			return err
		case redeemed.Valid, !now.Before(expires), attempts >= MaxPINTries:
			return &OIDError{400, "invalid_grant", "the offer is used, expired or locked"}
		}
		if !c.pins.Match(pinHash, pinPurpose, hashOf(code), pin) {
			if _, err := tx.ExecContext(ctx, `UPDATE credential_offers SET attempts = attempts + 1 WHERE id = $1`, id); err != nil {
				return err
			}
			return errWrongPIN
		}
		if _, err := tx.ExecContext(ctx, `UPDATE credential_offers SET redeemed_at = $1 WHERE id = $2`, db.Time(now), id); err != nil {
			return err
		}
		jkt := ""
		if dpop != nil {
			if err := spendDPoP(ctx, tx, *dpop, now); err != nil {
				return err
			}
			jkt = dpop.jkt
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO issuance_tokens (token_hash, resident_id, expires_at, jkt) VALUES ($1, $2, $3, $4)`,
			hashOf(token), residentID, db.Time(now.Add(TokenLifetime)), jkt)
		return err
	})
	if errors.Is(err, errWrongPIN) {
		// The attempt must count although the grant fails: commit it apart.
		if _, err := c.db.Exec(ctx, `UPDATE credential_offers SET attempts = attempts + 1 WHERE code_hash = $1`, hashOf(code)); err != nil {
			return "", 0, err
		}
		return "", 0, &OIDError{400, "invalid_grant", "wrong transaction code"}
	}
	return token, TokenLifetime, err
}

var errWrongPIN = errors.New("wrong PIN")

// NewNonce issues a c_nonce that one key proof may carry.
func (c *Cards) NewNonce(ctx context.Context) (string, error) {
	n := secret(24)
	_, err := c.db.Exec(ctx, `INSERT INTO issuance_nonces (nonce_hash, expires_at) VALUES ($1, $2)`, hashOf(n), db.Time(c.Now().Add(NonceLifetime)))
	return n, err
}

// Access is how a credential request presented its access token: the
// token, whether under the DPoP scheme, and the checked DPoP proof if any.
type Access struct {
	Token string
	DPoP  *dpopProof
}

// IssueFromToken answers a credential request: every proof must be a fresh
// openid4vci-proof+jwt for this issuer, carrying an unused nonce, signed by
// the P-256 key it names; each proven key gets its own card. A token bound
// by DPoP needs a proof from its key.
func (c *Cards) IssueFromToken(ctx context.Context, access Access, issuerURL string, proofs []string) ([]string, error) {
	token := access.Token
	if len(proofs) == 0 || len(proofs) > BatchSize {
		return nil, &OIDError{400, "invalid_proof", fmt.Sprintf("send between 1 and %d proofs", BatchSize)}
	}
	now := c.Now()
	var residentID int64
	var jkt string
	err := c.db.QueryRow(ctx, `SELECT resident_id, jkt FROM issuance_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
		hashOf(token), db.Time(now)).Scan(&residentID, &jkt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &OIDError{401, "invalid_token", "unknown, used or expired access token"}
	}
	if err != nil {
		return nil, err
	}
	if jkt != "" && (access.DPoP == nil || access.DPoP.jkt != jkt) {
		return nil, &OIDError{401, "invalid_token", "this access token is bound to a DPoP key: send it with a DPoP proof of that key"}
	}
	// The proofs of one batch may share a c_nonce, as wallets do when they
	// fetch one nonce for the whole request; each distinct nonce is spent once.
	var keys []crypto.PublicKey
	var nonces []string
	seen := map[string]bool{}
	for _, p := range proofs {
		k, nonce, err := checkProof(p, issuerURL, now)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
		if !seen[nonce] {
			seen[nonce] = true
			nonces = append(nonces, nonce)
		}
	}
	r, err := c.registry.Get(ctx, residentID)
	if err != nil {
		return nil, err
	}
	signer, err := c.keys.Active(ctx)
	if err != nil {
		return nil, err
	}
	var cards []string
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		// The token and every nonce are spent with the issuance or not at all;
		// the conditional updates make a concurrent second request fail.
		if err := spend(ctx, tx, `UPDATE issuance_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1`,
			now, token, &OIDError{401, "invalid_token", "unknown, used or expired access token"}); err != nil {
			return err
		}
		if access.DPoP != nil {
			if err := spendDPoP(ctx, tx, *access.DPoP, now); err != nil {
				return err
			}
		}
		for _, n := range nonces {
			if err := spend(ctx, tx, `UPDATE issuance_nonces SET used_at = $1 WHERE nonce_hash = $2 AND used_at IS NULL AND expires_at > $1`,
				now, n, &OIDError{400, "invalid_nonce", "unknown, used or expired nonce"}); err != nil {
				return err
			}
		}
		var err error
		cards, err = c.issueTx(ctx, tx, signer, r, issuerURL, keys)
		return err
	})
	return cards, err
}

func spend(ctx context.Context, tx *sql.Tx, q string, now time.Time, secret string, gone error) error {
	res, err := tx.ExecContext(ctx, q, db.Time(now), hashOf(secret))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return gone
	}
	return nil
}

// checkProof verifies one key proof and returns the key and its nonce.
func checkProof(proof, issuerURL string, now time.Time) (crypto.PublicKey, string, error) {
	bad := func(why string) (crypto.PublicKey, string, error) {
		return nil, "", &OIDError{400, "invalid_proof", why}
	}
	pub, _, payload, why := selfSigned(proof, "openid4vci-proof+jwt")
	if why != "" {
		return bad(why)
	}
	var claims struct {
		Aud   any    `json:"aud"`
		Iat   int64  `json:"iat"`
		Nonce string `json:"nonce"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return bad("claims are not JSON")
	}
	if !audienceIs(claims.Aud, issuerURL) {
		return bad("aud must be the credential issuer")
	}
	if iat := time.Unix(claims.Iat, 0); iat.Before(now.Add(-NonceLifetime)) || iat.After(now.Add(time.Minute)) {
		return bad("iat is not recent")
	}
	if claims.Nonce == "" {
		return nil, "", &OIDError{400, "invalid_nonce", "the proof carries no nonce"}
	}
	return pub, claims.Nonce, nil
}

func audienceIs(aud any, want string) bool {
	switch v := aud.(type) {
	case string:
		return v == want
	case []any:
		return len(v) == 1 && v[0] == want
	}
	return false
}

// Prune forgets the flow's spent and expired secrets: offers, tokens,
// nonces and DPoP proofs that can no longer be used.
func (c *Cards) Prune(ctx context.Context) error {
	now := db.Time(c.Now())
	for _, q := range []string{
		`DELETE FROM issuance_tokens WHERE expires_at < $1`,
		`DELETE FROM issuance_nonces WHERE expires_at < $1`,
		`DELETE FROM dpop_proofs WHERE expires_at < $1`,
	} {
		if _, err := c.db.Exec(ctx, q, now); err != nil {
			return err
		}
	}
	return nil
}

// selfSigned checks a compact JWS of type typ signed with ES256 by the P-256
// key in its own jwk header, as key proofs and DPoP proofs are. It returns
// the key and the payload, or why the JWS is refused.
func selfSigned(token, typ string) (*ecdsa.PublicKey, jwk.Key, []byte, string) {
	msg, err := jws.Parse([]byte(token))
	if err != nil || len(msg.Signatures()) != 1 {
		return nil, nil, nil, "not a compact JWS"
	}
	h := msg.Signatures()[0].ProtectedHeaders()
	if t, _ := h.Type(); t != typ {
		return nil, nil, nil, "typ must be " + typ
	}
	if alg, _ := h.Algorithm(); alg != jwa.ES256() {
		return nil, nil, nil, "alg must be ES256"
	}
	key, ok := h.JWK()
	if !ok {
		return nil, nil, nil, "the header must carry the public jwk"
	}
	var pub ecdsa.PublicKey
	if err := jwk.Export(key, &pub); err != nil {
		return nil, nil, nil, "the jwk must be an EC P-256 public key"
	}
	payload, err := jws.Verify([]byte(token), jws.WithKey(jwa.ES256(), &pub))
	if err != nil {
		return nil, nil, nil, "signature does not verify"
	}
	return &pub, key, payload, ""
}
