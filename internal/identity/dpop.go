package identity

import (
	"context"
	"crypto"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/maeul/maeul/internal/db"
)

// DPoP (RFC 9449), which HAIP 1.0 asks issuers to support: a wallet that
// sends a DPoP proof with its token request gets an access token bound to
// its key, and the credential endpoint then accepts that token only with a
// fresh proof from the same key. A stolen token alone is then worthless.

// DPoPWindow is how far a proof's iat may lie from the server's clock; its
// jti is remembered that long, so a proof is used once.
const DPoPWindow = 5 * time.Minute

// dpopProof is a checked proof: the key's thumbprint and the proof's jti.
type dpopProof struct {
	jkt string
	jti string
}

// checkDPoP verifies a DPoP proof for a request (method and URL) and, when
// accessToken is set, that it carries the token's hash (ath).
func checkDPoP(proof, method, htu, accessToken string, now time.Time) (dpopProof, error) {
	bad := func(why string) (dpopProof, error) {
		return dpopProof{}, &OIDError{400, "invalid_dpop_proof", why}
	}
	_, key, payload, why := selfSigned(proof, "dpop+jwt")
	if why != "" {
		return bad(why)
	}
	var c struct {
		JTI string `json:"jti"`
		HTM string `json:"htm"`
		HTU string `json:"htu"`
		IAT int64  `json:"iat"`
		ATH string `json:"ath"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return bad("claims are not JSON")
	}
	switch iat := time.Unix(c.IAT, 0); {
	case c.JTI == "" || len(c.JTI) > 200:
		return bad("jti is missing")
	case c.HTM != method || c.HTU != htu:
		return bad("htm and htu must name this request")
	case iat.Before(now.Add(-DPoPWindow)) || iat.After(now.Add(DPoPWindow)):
		return bad("iat is not recent")
	case accessToken != "" && c.ATH != tokenHash(accessToken):
		return bad("ath does not match the access token")
	}
	tp, err := key.Thumbprint(crypto.SHA256)
	if err != nil {
		return bad("the jwk has no thumbprint")
	}
	return dpopProof{jkt: base64.RawURLEncoding.EncodeToString(tp), jti: c.JTI}, nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// spendDPoP records a proof's jti for this key inside tx; a second use is
// refused.
func spendDPoP(ctx context.Context, tx *sql.Tx, p dpopProof, now time.Time) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO dpop_proofs (jti_hash, expires_at) VALUES ($1, $2) ON CONFLICT (jti_hash) DO NOTHING`,
		hashOf(p.jkt+" "+p.jti), db.Time(now.Add(2*DPoPWindow)))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &OIDError{400, "invalid_dpop_proof", "this proof was used before"}
	}
	return nil
}
