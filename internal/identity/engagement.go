package identity

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/humancode"
)

// An engagement turns OpenID4VP around for people who should not have to
// aim a phone camera: the wallet shows a QR code (and a code to read out),
// the verifier's staff scan or type it, and the request they make reaches
// the wallet, which shows its consent screen as usual. The code only routes
// a request to a wallet; the citizen still sees who asks and decides.

// EngagementLifetime is how long a wallet's code can be scanned; the wallet
// quietly fetches a new one after that, so the citizen never sees it lapse.
const EngagementLifetime = 10 * time.Minute

// Engagement is what a wallet shows, and the secret it polls with.
type Engagement struct {
	Code      string // 8 characters, shown in two groups of four
	ScanLink  string // what the QR code holds: the verifier's page with the code
	Secret    string
	ExpiresAt time.Time
}

// Engage opens an engagement for a wallet.
func (p *Presentations) Engage(ctx context.Context, base string) (Engagement, error) {
	now := p.Now()
	e := Engagement{Code: humancode.New(8), Secret: secret(24), ExpiresAt: db.Time(now.Add(EngagementLifetime))}
	e.ScanLink = base + "/verify?code=" + e.Code
	_, err := p.db.Exec(ctx, `INSERT INTO engagements (code, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		e.Code, hashOf(e.Secret), db.Time(now), e.ExpiresAt)
	return e, err
}

// Poll answers a waiting wallet: the wallet link of the request made for it,
// or "" while staff have not asked yet. An expired engagement is NotFound.
func (p *Presentations) Poll(ctx context.Context, secret, base string) (string, error) {
	var requestID sql.NullString
	var expires time.Time
	err := p.db.QueryRow(ctx, `SELECT request_id, expires_at FROM engagements WHERE secret_hash = $1`, hashOf(secret)).Scan(&requestID, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", errs.New(errs.NotFound, "identity.engagement_unknown")
	case err != nil:
		return "", err
	case requestID.Valid:
		s, err := p.load(ctx, requestID.String, base)
		return s.WalletLink, err
	case !p.Now().Before(expires):
		return "", errs.New(errs.NotFound, "identity.engagement_unknown")
	}
	return "", nil
}

// CreateFor asks the wallet that showed code for claims, on behalf of a
// party.
func (p *Presentations) CreateFor(ctx context.Context, code string, party RelyingParty, claims [][]string, base string) (PresentationRequest, error) {
	return p.create(ctx, party, claims, base, humancode.Normalize(code), "")
}
