package identity

import (
	"context"
	"crypto"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/dcql"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/sdjwt"
	"github.com/maeul/maeul/internal/web"
)

// OpenID for Verifiable Presentations 1.0 with a DCQL query, answered by
// direct_post. Each relying party is a verifier with its own client_id, a
// did:web under the platform (…:rp:<slug>), so that a presentation made for
// the hospital is bound to the hospital and cannot be replayed at the
// office. The platform signs the request objects for the parties it hosts.

// RequestLifetime is how long a citizen has to answer a request. It is long
// on purpose: nobody should be hurried through a consent screen.
const RequestLifetime = time.Hour

// CardQueryID is the id of the credential query in every request; the
// wallet's vp_token is keyed by it.
const CardQueryID = "card"

// Outcomes of a presentation request.
const (
	OutcomePending  = ""
	OutcomeValid    = "valid"
	OutcomeInvalid  = "invalid"
	OutcomeDeclined = "declined"
)

// Presentations asks citizens' wallets for facts and verifies the answers.
type Presentations struct {
	db      *db.DB
	keys    *Keys
	cards   *Cards
	Parties *Parties
	Now     func() time.Time
}

// NewPresentations returns the verifier service of the platform's parties.
func NewPresentations(d *db.DB, keys *Keys, cards *Cards) *Presentations {
	return &Presentations{db: d, keys: keys, cards: cards, Parties: NewParties(d), Now: time.Now}
}

// PresentationRequest is a request as the verifier's page shows it.
type PresentationRequest struct {
	ID         string // also the OpenID4VP state
	Party      RelyingParty
	Claims     [][]string
	ClientID   string
	RequestURI string
	// WalletLink opens the request in the Maeul web wallet (a phone camera
	// opens it in the browser); OpenIDLink in any OpenID4VP wallet app.
	WalletLink string
	OpenIDLink string
	ExpiresAt  time.Time
	// ReturnPath is the platform page the citizen's browser goes back to
	// once the wallet has answered ("" for a verifier's desk).
	ReturnPath string
}

// PresentationResult is what the verifier learnt.
type PresentationResult struct {
	PresentationRequest
	Outcome    string
	Reason     string         // catalogue key of why an answer was refused
	Detail     string         // its argument, e.g. the claim that may not be asked
	Claims     map[string]any // the disclosed claims of a valid answer
	AnsweredAt time.Time
	// Holder is the resident the presented card was issued to (0 unless
	// valid): for the platform's own parts, which must check that a card is
	// the signed-in citizen's. It is never shown to a party's staff.
	Holder int64
}

// ClientID is the OpenID4VP client_id of a party hosted at base.
func ClientID(base, slug string) string {
	return "decentralized_identifier:" + PartyDID(base, slug)
}

// PartyDID is the did:web of a party, resolved at base/rp/<slug>/did.json.
func PartyDID(base, slug string) string {
	return Issuer{URL: base}.DID() + ":rp:" + slug
}

// Create asks for claims on behalf of a party. Every claim must be one the
// party is registered for.
func (p *Presentations) Create(ctx context.Context, slug string, claims [][]string, base string) (PresentationRequest, error) {
	party, err := p.Parties.BySlug(ctx, slug)
	if err != nil {
		return PresentationRequest{}, err
	}
	return p.create(ctx, party, claims, base, "", "")
}

// CreateReturning is Create for a page of the platform: once the wallet has
// answered, it sends the citizen's browser to returnPath (OpenID4VP's
// redirect_uri), where the page reads the result for itself.
func (p *Presentations) CreateReturning(ctx context.Context, slug string, claims [][]string, base, returnPath string) (PresentationRequest, error) {
	if web.SafeNext(returnPath) != returnPath {
		return PresentationRequest{}, fmt.Errorf("identity: return path %q is not a path of the platform", returnPath)
	}
	party, err := p.Parties.BySlug(ctx, slug)
	if err != nil {
		return PresentationRequest{}, err
	}
	return p.create(ctx, party, claims, base, "", returnPath)
}

func (p *Presentations) create(ctx context.Context, party RelyingParty, claims [][]string, base, engagement, returnPath string) (PresentationRequest, error) {
	if !party.Active {
		return PresentationRequest{}, errs.New(errs.Conflict, "identity.party_inactive")
	}
	if len(claims) == 0 {
		return PresentationRequest{}, errs.Field("claim", "identity.verify_claims_missing")
	}
	for _, c := range claims {
		if !party.May(c) {
			return PresentationRequest{}, errs.New(errs.Forbidden, "identity.reason_not_allowed", ClaimKey(c))
		}
	}
	query, _ := json.Marshal(cardQuery(claims))
	now := p.Now()
	req := PresentationRequest{ID: secret(18), Party: party, Claims: claims, ExpiresAt: db.Time(now.Add(RequestLifetime)), ReturnPath: returnPath}
	req.links(base)
	var by any
	if a := actor.From(ctx); a != nil {
		by = a.ID
	}
	err := p.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO presentation_requests (id, party_id, nonce, query, created_by, created_at, expires_at, redirect_path)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, req.ID, party.ID, secret(24), string(query), by, db.Time(now), req.ExpiresAt, returnPath); err != nil {
			return err
		}
		if engagement == "" {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE engagements SET request_id = $1 WHERE code = $2 AND request_id IS NULL AND expires_at > $3`,
			req.ID, engagement, db.Time(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.Field("code", "identity.engagement_unknown")
		}
		return nil
	})
	return req, err
}

func (r *PresentationRequest) links(base string) {
	r.ClientID = ClientID(base, r.Party.Slug)
	r.RequestURI = base + "/vp/request/" + r.ID
	q := "client_id=" + url.QueryEscape(r.ClientID) + "&request_uri=" + url.QueryEscape(r.RequestURI)
	r.WalletLink = base + "/wallet/present?" + q
	r.OpenIDLink = "openid4vp://?" + q
}

// cardQuery is the DCQL query for claims of the citizen card.
func cardQuery(claims [][]string) dcql.Query {
	cq := dcql.CredentialQuery{ID: CardQueryID, Format: dcql.FormatSDJWT, Meta: &dcql.Meta{VCTValues: []string{CardType}}}
	for _, c := range claims {
		path := make(dcql.Path, len(c))
		for i, s := range c {
			path[i] = s
		}
		cq.Claims = append(cq.Claims, dcql.ClaimQuery{Path: path})
	}
	return dcql.Query{Credentials: []dcql.CredentialQuery{cq}}
}

// stored is a request row.
type stored struct {
	PresentationRequest
	nonce      string
	query      string
	outcome    string
	reason     string
	detail     string
	claims     string
	answeredAt sql.NullTime
	holder     sql.NullInt64
}

func (p *Presentations) load(ctx context.Context, id, base string) (stored, error) {
	var s stored
	var partyID int64
	err := p.db.QueryRow(ctx, `SELECT id, party_id, nonce, query, expires_at, answered_at, outcome, reason, reason_detail, claims,
			redirect_path, holder_resident_id
		FROM presentation_requests WHERE id = $1`, id).
		Scan(&s.ID, &partyID, &s.nonce, &s.query, &s.ExpiresAt, &s.answeredAt, &s.outcome, &s.reason, &s.detail, &s.claims,
			&s.ReturnPath, &s.holder)
	if err != nil {
		return s, db.NotFound(err, "identity.request_not_found")
	}
	if s.Party, err = p.Parties.byID(ctx, partyID); err != nil {
		return s, err
	}
	q, err := dcql.Parse([]byte(s.query))
	if err != nil {
		return s, err
	}
	for _, c := range q.Credentials[0].Claims {
		path := make([]string, len(c.Path))
		for i, e := range c.Path {
			path[i], _ = e.(string)
		}
		s.Claims = append(s.Claims, path)
	}
	s.links(base)
	return s, nil
}

// open returns a request that can still be answered.
func (p *Presentations) open(ctx context.Context, id, base string) (stored, error) {
	s, err := p.load(ctx, id, base)
	switch {
	case err != nil:
		return s, err
	case s.answeredAt.Valid:
		return s, errs.New(errs.Conflict, "identity.reason_nonce")
	case !p.Now().Before(s.ExpiresAt):
		return s, errs.New(errs.Conflict, "identity.request_expired")
	}
	return s, nil
}

// RequestObject is the signed request (JAR, typ oauth-authz-req+jwt) that
// a wallet fetches from the request_uri.
func (p *Presentations) RequestObject(ctx context.Context, id, base string) (string, error) {
	s, err := p.open(ctx, id, base)
	if err != nil {
		return "", err
	}
	signer, err := p.keys.Active(ctx)
	if err != nil {
		return "", err
	}
	now := p.Now()
	claims := map[string]any{
		"iss":           s.ClientID,
		"aud":           "https://self-issued.me/v2",
		"client_id":     s.ClientID,
		"response_type": "vp_token",
		"response_mode": "direct_post",
		"response_uri":  base + "/vp/response",
		"nonce":         s.nonce,
		"state":         s.ID,
		"dcql_query":    json.RawMessage(s.query),
		"client_metadata": map[string]any{
			"client_name": s.Party.NameKo, "client_name#ko": s.Party.NameKo, "client_name#en": s.Party.NameEn,
			"purpose#ko": s.Party.PurposeKo, "purpose#en": s.Party.PurposeEn,
			"vp_formats_supported": map[string]any{dcql.FormatSDJWT: map[string]any{
				"sd-jwt_alg_values": []string{"ES256"}, "kb-jwt_alg_values": []string{"ES256"},
			}},
		},
		"iat": now.Unix(),
		"exp": s.ExpiresAt.Unix(),
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	h := jws.NewHeaders()
	h.Set("typ", "oauth-authz-req+jwt")
	h.Set("kid", PartyDID(base, s.Party.Slug)+"#"+signer.Kid)
	out, err := jws.Sign(payload, jws.WithKey(jwa.ES256(), signer.Key, jws.WithProtectedHeaders(h)))
	return string(out), err
}

// Answer is a wallet's direct_post to the response_uri.
type Answer struct {
	State   string
	VPToken string // JSON object: credential query id → presentations
	Error   string // e.g. access_denied when the citizen did not share
}

// Respond verifies a wallet's answer and records the outcome. A refusal is
// recorded and returned as an *errs.Error whose key says why; a request is
// answered once, so a replayed answer is refused. A request made with a
// return path returns the address the wallet sends the browser to.
func (p *Presentations) Respond(ctx context.Context, base string, ans Answer) (string, error) {
	s, err := p.open(ctx, ans.State, base)
	if err != nil {
		return "", err
	}
	outcome, reason, detail, disclosed := OutcomeDeclined, "", "", ""
	var holder any
	var verr error
	if ans.Error == "" {
		var claims map[string]any
		var h int64
		claims, h, verr = p.verify(ctx, s, base, ans.VPToken)
		if h != 0 {
			holder = h
		}
		if verr != nil {
			outcome, reason = OutcomeInvalid, "identity.reason_malformed"
			if e, ok := errs.As(verr); ok {
				reason = e.Key
				if len(e.Args) > 0 {
					detail = fmt.Sprint(e.Args[0])
				}
			}
		} else {
			outcome = OutcomeValid
			raw, _ := json.Marshal(claims)
			disclosed = string(raw)
		}
	}
	err = p.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE presentation_requests SET answered_at = $1, outcome = $2, reason = $3, reason_detail = $4, claims = $5,
				holder_resident_id = $6
			WHERE id = $7 AND answered_at IS NULL`, db.Time(p.Now()), outcome, reason, detail, disclosed, holder, s.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "identity.reason_nonce")
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "presentation." + outcome, SubjectType: "relying_party", SubjectID: s.Party.ID, Detail: "request=" + s.ID})
	})
	if err != nil {
		return "", err
	}
	if s.ReturnPath == "" {
		return "", verr
	}
	return base + s.ReturnPath, verr
}

// verify checks one presentation of the card against the request: the
// platform's own issuer keys and status lists, the party's client_id as
// audience, the request's nonce, and only the claims that were asked. It
// also returns the resident the card was issued to, found by its status
// list entry, which is unique to one card.
func (p *Presentations) verify(ctx context.Context, s stored, base, vpToken string) (map[string]any, int64, error) {
	var token map[string][]string
	if err := json.Unmarshal([]byte(vpToken), &token); err != nil || len(token[CardQueryID]) != 1 {
		return nil, 0, errs.New(errs.Invalid, "identity.reason_malformed")
	}
	v := &Verifier{
		Issuers: map[string]sdjwt.KeyLookup{base: func(ctx context.Context, _ string, h map[string]any) (crypto.PublicKey, error) {
			kid, _ := h["kid"].(string)
			return p.keys.Verifier(ctx, kid)
		}},
		Status: p.cards.LocalStatus(base),
		Now:    p.Now,
	}
	claims, err := v.Verify(ctx, token[CardQueryID][0], Request{Audience: s.ClientID, Nonce: s.nonce, Allowed: s.Claims})
	if err != nil {
		return nil, 0, err
	}
	q, err := dcql.Parse([]byte(s.query))
	if err != nil {
		return nil, 0, err
	}
	vct, _ := claims["vct"].(string)
	if !q.Match([]dcql.Credential{{Format: dcql.FormatSDJWT, VCT: vct, HolderBinding: true, Claims: claims}}).Satisfied {
		return nil, 0, errs.New(errs.Invalid, "identity.reason_missing")
	}
	holder, err := p.cards.holderOf(ctx, base, claims)
	if err != nil {
		return nil, 0, err
	}
	for k := range claims {
		if envelope[k] && k != "exp" {
			delete(claims, k)
		}
	}
	return claims, holder, nil
}

// Outcome is a request and how it stands, without what was disclosed: to
// check who may see it, and for the waiting page's poll. Nothing personal
// is read, so nothing is audited.
func (p *Presentations) Outcome(ctx context.Context, id, base string) (PresentationRequest, string, error) {
	s, err := p.load(ctx, id, base)
	return s.PresentationRequest, s.outcome, err
}

// Result is the outcome of a request, for the staff of its party. Reading
// an answer is reading personal data, and is audited.
func (p *Presentations) Result(ctx context.Context, id, base string) (PresentationResult, error) {
	s, err := p.load(ctx, id, base)
	if err != nil {
		return PresentationResult{}, err
	}
	r := PresentationResult{PresentationRequest: s.PresentationRequest, Outcome: s.outcome, Reason: s.reason, Detail: s.detail, Holder: s.holder.Int64}
	if s.answeredAt.Valid {
		r.AnsweredAt = s.answeredAt.Time
	}
	if s.claims != "" {
		if err := json.Unmarshal([]byte(s.claims), &r.Claims); err != nil {
			return r, err
		}
		err = audit.Record(ctx, p.db.Write(), audit.Entry{Action: "presentation.read", SubjectType: "relying_party", SubjectID: s.Party.ID, Detail: "request=" + s.ID})
	}
	return r, err
}

// Prune forgets answered and expired requests after a day: the verifier's
// staff have seen the answer by then, and the platform keeps no record of
// who showed what beyond the audit log.
func (p *Presentations) Prune(ctx context.Context) error {
	cut := db.Time(p.Now().Add(-24 * time.Hour))
	if _, err := p.db.Exec(ctx, `DELETE FROM engagements WHERE expires_at < $1`, cut); err != nil {
		return err
	}
	_, err := p.db.Exec(ctx, `DELETE FROM presentation_requests WHERE created_at < $1
		AND NOT EXISTS (SELECT 1 FROM engagements e WHERE e.request_id = presentation_requests.id)`, cut)
	return err
}

// ClaimValue is the value of a disclosed claim path, if present.
func ClaimValue(claims map[string]any, path []string) (any, bool) {
	var v any = claims
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}
