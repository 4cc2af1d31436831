package identity

import (
	"context"
	"crypto"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/sdjwt"
	"github.com/maeul/maeul/internal/statuslist"
)

// StatusSource answers a card's status entry: a verifying, caching fetcher
// for outside lists, or the issuer's own database.
type StatusSource interface {
	Status(ctx context.Context, ref statuslist.Reference) (statuslist.Status, error)
}

// Verifier checks presentations of the citizen card. Every Maeul part and
// every outside verifier's page goes through it.
type Verifier struct {
	Issuers map[string]sdjwt.KeyLookup // trusted issuers by their URL (iss)
	Status  StatusSource
	Now     func() time.Time
}

// Request is what a relying party asked for: the audience and nonce bound to
// this request, and the claims it may receive at all.
type Request struct {
	Audience string
	Nonce    string
	Allowed  [][]string // claim paths the relying party is registered for
}

// Verify checks a presentation and returns the disclosed claims. A refusal
// is an *errs.Error whose key says why, in words a verifier's staff can act
// on (identity.reason_*).
func (v *Verifier) Verify(ctx context.Context, presentation string, req Request) (map[string]any, error) {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	claims, err := sdjwt.Verify(ctx, presentation, &sdjwt.VerifyOptions{
		IssuerKey: func(ctx context.Context, iss string, h map[string]any) (crypto.PublicKey, error) {
			lookup, ok := v.Issuers[iss]
			if !ok {
				return nil, sdjwt.ErrUnknownKey
			}
			return lookup(ctx, iss, h)
		},
		Types:             []string{sdjwt.TypeVC, "vc+sd-jwt"},
		RequireKeyBinding: true,
		Audience:          req.Audience,
		Nonce:             req.Nonce,
		Now:               now,
	})
	if err != nil {
		return nil, reason(err)
	}
	if claims["vct"] != CardType {
		return nil, errs.New(errs.Invalid, "identity.reason_type")
	}
	if err := v.checkStatus(ctx, claims); err != nil {
		return nil, err
	}
	if extra := beyond(claims, req.Allowed); len(extra) > 0 {
		return nil, errs.New(errs.Forbidden, "identity.reason_not_allowed", strings.Join(extra, ", "))
	}
	return claims, nil
}

func (v *Verifier) checkStatus(ctx context.Context, claims map[string]any) error {
	raw, err := json.Marshal(claims["status"])
	if err != nil || claims["status"] == nil {
		return errs.New(errs.Invalid, "identity.reason_no_status")
	}
	ref, err := statuslist.ParseStatusClaim(raw)
	if err != nil {
		return errs.New(errs.Invalid, "identity.reason_no_status")
	}
	st, err := v.Status.Status(ctx, ref)
	switch {
	case err != nil:
		return errs.New(errs.Invalid, "identity.reason_status_unavailable")
	case st == statuslist.Suspended:
		return errs.New(errs.Invalid, "identity.reason_suspended")
	case st != statuslist.Valid:
		return errs.New(errs.Invalid, "identity.reason_revoked")
	}
	return nil
}

// reason names why sdjwt refused a presentation.
func reason(err error) error {
	for _, r := range []struct {
		err error
		key string
	}{
		{sdjwt.ErrUnknownKey, "identity.reason_unknown_issuer"},
		{sdjwt.ErrSignature, "identity.reason_signature"},
		{sdjwt.ErrDigest, "identity.reason_altered"},
		{sdjwt.ErrDisclosure, "identity.reason_altered"},
		{sdjwt.ErrSDHash, "identity.reason_altered"},
		{sdjwt.ErrExpired, "identity.reason_expired"},
		{sdjwt.ErrNotYetValid, "identity.reason_expired"},
		{sdjwt.ErrKeyBinding, "identity.reason_holder"},
		{sdjwt.ErrAudience, "identity.reason_audience"},
		{sdjwt.ErrNonce, "identity.reason_nonce"},
	} {
		if errors.Is(err, r.err) {
			return errs.New(errs.Invalid, r.key)
		}
	}
	return errs.New(errs.Invalid, "identity.reason_malformed")
}

// envelope claims are the card's own bookkeeping, never personal data.
var envelope = map[string]bool{"iss": true, "iat": true, "exp": true, "nbf": true, "vct": true, "cnf": true, "status": true}

// beyond lists disclosed claim paths the relying party is not registered
// for. A path is allowed when it or one of its parents is.
func beyond(claims map[string]any, allowed [][]string) []string {
	ok := map[string]bool{}
	for _, p := range allowed {
		ok[strings.Join(p, ".")] = true
	}
	var out []string
	var walk func(prefix []string, v any)
	walk = func(prefix []string, v any) {
		for i := 1; i <= len(prefix); i++ {
			if ok[strings.Join(prefix[:i], ".")] {
				return
			}
		}
		if m, isMap := v.(map[string]any); isMap {
			for k, child := range m {
				walk(append(append([]string{}, prefix...), k), child)
			}
			return
		}
		out = append(out, strings.Join(prefix, "."))
	}
	for k, c := range claims {
		if !envelope[k] {
			walk([]string{k}, c)
		}
	}
	sort.Strings(out)
	return out
}

// LocalStatus answers status entries of the city's own lists straight from
// the database: always fresh, no fetch.
func (c *Cards) LocalStatus(issuerURL string) StatusSource {
	return localStatus{c: c, prefix: issuerURL + "/status/"}
}

type localStatus struct {
	c      *Cards
	prefix string
}

func (l localStatus) Status(ctx context.Context, ref statuslist.Reference) (statuslist.Status, error) {
	id, ok := strings.CutPrefix(ref.URI, l.prefix)
	if !ok {
		return 0, errs.New(errs.NotFound, "identity.status_list_not_found")
	}
	list, err := l.c.readList(ctx, id)
	if err != nil {
		return 0, err
	}
	return list.Get(ref.Index)
}

// holderOf is the resident a verified card of the city's own was issued
// to, found by its status list entry; 0 for a card of another issuer.
func (c *Cards) holderOf(ctx context.Context, issuerURL string, claims map[string]any) (int64, error) {
	raw, err := json.Marshal(claims["status"])
	if err != nil {
		return 0, err
	}
	ref, err := statuslist.ParseStatusClaim(raw)
	if err != nil {
		return 0, errs.New(errs.Invalid, "identity.reason_no_status")
	}
	id, ok := strings.CutPrefix(ref.URI, issuerURL+"/status/")
	if !ok {
		return 0, nil
	}
	var resident int64
	err = c.db.QueryRow(ctx, `SELECT resident_id FROM credentials WHERE list_id = $1 AND list_index = $2`, id, ref.Index).Scan(&resident)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return resident, err
}
