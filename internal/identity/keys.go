package identity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Keys is the issuer's key store.
type Keys struct {
	db     *db.DB
	secret []byte
	Now    func() time.Time
}

// NewKeys returns the key store; secret seals the private keys.
func NewKeys(d *db.DB, secret []byte) *Keys { return &Keys{db: d, secret: secret, Now: time.Now} }

// Signer is the active private key with its key id.
type Signer struct {
	Kid string
	Key *ecdsa.PrivateKey
}

// PublicKey is a published verification key.
type PublicKey struct {
	Kid          string
	JWK          json.RawMessage // the public JWK, with kid, alg and use
	CreatedAt    time.Time
	RetiredAt    time.Time // zero while active
	PublishUntil time.Time // zero while active
}

// Active returns the key that signs new credentials, creating the first one
// if the issuer has none.
func (k *Keys) Active(ctx context.Context) (Signer, error) {
	var kid, sealed string
	err := k.db.QueryRow(ctx, `SELECT kid, private_sealed FROM issuer_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid LIMIT 1`).Scan(&kid, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return k.create(ctx)
	}
	if err != nil {
		return Signer{}, err
	}
	return k.open(kid, sealed)
}

func (k *Keys) open(kid, sealed string) (Signer, error) {
	der, err := unseal(k.secret, sealed, kid)
	if err != nil {
		return Signer{}, err
	}
	priv, err := x509.ParseECPrivateKey(der)
	if err != nil {
		return Signer{}, err
	}
	return Signer{Kid: kid, Key: priv}, nil
}

// Rotate makes a new active key. The old one signs nothing more but stays
// published for credentialLifetime, so credentials it signed verify until
// they expire.
func (k *Keys) Rotate(ctx context.Context, credentialLifetime time.Duration) (Signer, error) {
	now := db.Time(k.Now())
	if _, err := k.db.Exec(ctx, `UPDATE issuer_keys SET retired_at = $1, publish_until = $2 WHERE retired_at IS NULL`,
		now, db.Time(now.Add(credentialLifetime))); err != nil {
		return Signer{}, err
	}
	return k.create(ctx)
}

func (k *Keys) create(ctx context.Context) (Signer, error) {
	if len(k.secret) != SecretSize {
		return Signer{}, errs.New(errs.Internal, "error.internal")
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Signer{}, err
	}
	pub, err := jwk.Import(priv.Public())
	if err != nil {
		return Signer{}, err
	}
	tp, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return Signer{}, err
	}
	kid := base64.RawURLEncoding.EncodeToString(tp)
	for field, v := range map[string]any{jwk.KeyIDKey: kid, jwk.AlgorithmKey: jwa.ES256(), jwk.KeyUsageKey: "sig"} {
		if err := pub.Set(field, v); err != nil {
			return Signer{}, err
		}
	}
	pubJSON, err := json.Marshal(pub)
	if err != nil {
		return Signer{}, err
	}
	der, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		return Signer{}, err
	}
	sealed, err := seal(k.secret, der, kid)
	if err != nil {
		return Signer{}, err
	}
	if _, err := k.db.Exec(ctx, `INSERT INTO issuer_keys (kid, alg, public_jwk, private_sealed, created_at) VALUES ($1, 'ES256', $2, $3, $4)`,
		kid, string(pubJSON), sealed, db.Time(k.Now())); err != nil {
		return Signer{}, err
	}
	return Signer{Kid: kid, Key: priv}, nil
}

// Published lists the keys a verifier may meet: the active ones and retired
// ones still inside their publication window, newest first.
func (k *Keys) Published(ctx context.Context) ([]PublicKey, error) {
	rows, err := k.db.Query(ctx, `SELECT kid, public_jwk, created_at, retired_at, publish_until FROM issuer_keys
		WHERE retired_at IS NULL OR publish_until > $1 ORDER BY created_at DESC, kid`, db.Time(k.Now()))
	return db.Collect(rows, err, func(s db.Scanner) (PublicKey, error) {
		var p PublicKey
		var pj string
		var retired, until sql.NullTime
		err := s.Scan(&p.Kid, &pj, &p.CreatedAt, &retired, &until)
		p.JWK, p.RetiredAt, p.PublishUntil = json.RawMessage(pj), retired.Time, until.Time
		return p, err
	})
}

// Verifier returns the public key with kid if it is still published.
func (k *Keys) Verifier(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	var pj string
	err := k.db.QueryRow(ctx, `SELECT public_jwk FROM issuer_keys WHERE kid = $1 AND (retired_at IS NULL OR publish_until > $2)`,
		kid, db.Time(k.Now())).Scan(&pj)
	if err != nil {
		return nil, db.NotFound(err, "identity.key_unknown")
	}
	key, err := jwk.ParseKey([]byte(pj))
	if err != nil {
		return nil, err
	}
	var pub ecdsa.PublicKey
	if err := jwk.Export(key, &pub); err != nil {
		return nil, err
	}
	return &pub, nil
}
