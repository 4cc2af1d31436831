package statuslist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
)

// Reference is the "status_list" member of a Referenced Token's "status"
// claim: which entry of which Status List Token describes the token.
type Reference struct {
	Index int    `json:"idx"`
	URI   string `json:"uri"`
}

// StatusClaim is the value of a Referenced Token's "status" claim. Issuers
// put it under the "status" key of the token's claims.
type StatusClaim struct {
	StatusList Reference `json:"status_list"`
}

// NewStatusClaim returns the "status" claim pointing at entry idx of uri.
func NewStatusClaim(idx int, uri string) (StatusClaim, error) {
	r := Reference{Index: idx, URI: uri}
	if err := r.validate(); err != nil {
		return StatusClaim{}, err
	}
	return StatusClaim{StatusList: r}, nil
}

// ParseStatusClaim reads the raw JSON value of a "status" claim. It rejects a
// missing "status_list", non-integer or negative "idx" and a "uri" that is not
// absolute, so a verifier never fetches from a relative or empty location.
func ParseStatusClaim(raw []byte) (Reference, error) {
	var c struct {
		StatusList *struct {
			// any rather than json.Number: json.Number also accepts the
			// string "1", which the draft's integer idx does not allow.
			Index any    `json:"idx"`
			URI   string `json:"uri"`
		} `json:"status_list"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return Reference{}, fmt.Errorf("%w: status claim: %v", ErrClaims, err)
	}
	if c.StatusList == nil || c.StatusList.Index == nil {
		return Reference{}, fmt.Errorf("%w: status.status_list.idx is required", ErrClaims)
	}
	n, ok := c.StatusList.Index.(json.Number)
	if !ok {
		return Reference{}, fmt.Errorf("%w: idx must be a non-negative integer", ErrClaims)
	}
	idx, err := n.Int64()
	if err != nil || idx < 0 || int64(int(idx)) != idx {
		return Reference{}, fmt.Errorf("%w: idx must be a non-negative integer", ErrClaims)
	}
	r := Reference{Index: int(idx), URI: c.StatusList.URI}
	return r, r.validate()
}

func (r Reference) validate() error {
	if r.Index < 0 {
		return fmt.Errorf("%w: idx must be non-negative", ErrClaims)
	}
	u, err := url.Parse(r.URI)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("%w: uri must be an absolute URI, got %q", ErrClaims, r.URI)
	}
	return nil
}
