package dcql

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
)

// Credential formats this package matches.
const (
	FormatSDJWT = "dc+sd-jwt"
	FormatMdoc  = "mso_mdoc"
)

// ErrInvalidQuery is wrapped by every validation error.
var ErrInvalidQuery = errors.New("dcql: invalid query")

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Query is a DCQL query.
type Query struct {
	Credentials    []CredentialQuery    `json:"credentials"`
	CredentialSets []CredentialSetQuery `json:"credential_sets,omitempty"`
}

// CredentialQuery requests one (or, with Multiple, several) credentials.
type CredentialQuery struct {
	ID       string `json:"id"`
	Format   string `json:"format"`
	Multiple bool   `json:"multiple,omitempty"`
	// Meta is a pointer so a missing "meta", which the spec requires, is
	// distinguishable from an empty one.
	Meta               *Meta              `json:"meta"`
	TrustedAuthorities []TrustedAuthority `json:"trusted_authorities,omitempty"`
	// RequireCryptographicHolderBinding is nil when absent; the spec default
	// is true, see RequiresHolderBinding.
	RequireCryptographicHolderBinding *bool        `json:"require_cryptographic_holder_binding,omitempty"`
	Claims                            []ClaimQuery `json:"claims,omitempty"`
	ClaimSets                         [][]string   `json:"claim_sets,omitempty"`
}

// RequiresHolderBinding applies the spec default of true.
func (c CredentialQuery) RequiresHolderBinding() bool {
	return c.RequireCryptographicHolderBinding == nil || *c.RequireCryptographicHolderBinding
}

// Meta holds the format-specific metadata constraints this package knows.
// Unknown members are ignored, as the spec requires.
type Meta struct {
	VCTValues    []string `json:"vct_values,omitempty"`
	DoctypeValue string   `json:"doctype_value,omitempty"`
}

// TrustedAuthority is a Trusted Authorities Query.
type TrustedAuthority struct {
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// ClaimQuery requests one claim by its claims path pointer.
type ClaimQuery struct {
	ID   string `json:"id,omitempty"`
	Path Path   `json:"path"`
	// Values holds string, int64 or bool after validation.
	Values []any `json:"values,omitempty"`
}

// Path is a claims path pointer. After validation each element is a string
// (object key), an int (array index) or nil (every array element).
type Path []any

// CredentialSetQuery constrains which combinations of credentials satisfy
// the request.
type CredentialSetQuery struct {
	Options [][]string `json:"options"`
	// Required is nil when absent; the spec default is true, see IsRequired.
	Required *bool `json:"required,omitempty"`
}

// IsRequired applies the spec default of true.
func (s CredentialSetQuery) IsRequired() bool { return s.Required == nil || *s.Required }

// Parse decodes and validates a DCQL query.
func Parse(data []byte) (*Query, error) {
	var q Query
	dec := json.NewDecoder(bytes.NewReader(data))
	// Numbers stay json.Number so 1.5 or 1e300 in a path or values can be
	// told apart from integers instead of being rounded through float64.
	dec.UseNumber()
	if err := dec.Decode(&q); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidQuery, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing data after the query object", ErrInvalidQuery)
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return &q, nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidQuery}, args...)...)
}

// Validate checks q against OpenID4VP 1.0 section 6 and normalises path
// elements and values to their canonical Go types.
func (q *Query) Validate() error {
	if len(q.Credentials) == 0 {
		return invalid("credentials must be a non-empty array")
	}
	ids := make(map[string]bool, len(q.Credentials))
	for i := range q.Credentials {
		c := &q.Credentials[i]
		if err := c.validate(); err != nil {
			return fmt.Errorf("credentials[%d]: %w", i, err)
		}
		if ids[c.ID] {
			return fmt.Errorf("credentials[%d]: %w", i, invalid("duplicate id %q", c.ID))
		}
		ids[c.ID] = true
	}
	if q.CredentialSets != nil && len(q.CredentialSets) == 0 {
		return invalid("credential_sets must be non-empty when present")
	}
	for i, s := range q.CredentialSets {
		if len(s.Options) == 0 {
			return invalid("credential_sets[%d].options must be a non-empty array", i)
		}
		for j, opt := range s.Options {
			if len(opt) == 0 {
				return invalid("credential_sets[%d].options[%d] must be a non-empty array", i, j)
			}
			for _, id := range opt {
				if !ids[id] {
					return invalid("credential_sets[%d].options[%d] references unknown credential %q", i, j, id)
				}
			}
		}
	}
	return nil
}

func (c *CredentialQuery) validate() error {
	if !idPattern.MatchString(c.ID) {
		return invalid("id %q must be non-empty and use only A-Z, a-z, 0-9, _ and -", c.ID)
	}
	if c.Format == "" {
		return invalid("format is required")
	}
	if c.Meta == nil {
		return invalid("meta is required")
	}
	switch c.Format {
	case FormatSDJWT:
		if len(c.Meta.VCTValues) == 0 {
			return invalid("meta.vct_values must be a non-empty array for %s", FormatSDJWT)
		}
	case FormatMdoc:
		if c.Meta.DoctypeValue == "" {
			return invalid("meta.doctype_value is required for %s", FormatMdoc)
		}
	}
	if c.TrustedAuthorities != nil && len(c.TrustedAuthorities) == 0 {
		return invalid("trusted_authorities must be non-empty when present")
	}
	for i, ta := range c.TrustedAuthorities {
		if ta.Type == "" || len(ta.Values) == 0 {
			return invalid("trusted_authorities[%d] needs a type and non-empty values", i)
		}
	}
	if c.Claims != nil && len(c.Claims) == 0 {
		return invalid("claims must be non-empty when present")
	}
	claimIDs := make(map[string]bool, len(c.Claims))
	for i := range c.Claims {
		cl := &c.Claims[i]
		if err := cl.validate(c.Format); err != nil {
			return fmt.Errorf("claims[%d]: %w", i, err)
		}
		if cl.ID == "" {
			if c.ClaimSets != nil {
				return invalid("claims[%d]: id is required when claim_sets is present", i)
			}
			continue
		}
		if claimIDs[cl.ID] {
			return invalid("claims[%d]: duplicate id %q", i, cl.ID)
		}
		claimIDs[cl.ID] = true
	}
	if c.ClaimSets == nil {
		return nil
	}
	if len(c.Claims) == 0 {
		return invalid("claim_sets must not be present without claims")
	}
	if len(c.ClaimSets) == 0 {
		return invalid("claim_sets must be non-empty when present")
	}
	for i, set := range c.ClaimSets {
		if len(set) == 0 {
			return invalid("claim_sets[%d] must be a non-empty array", i)
		}
		for _, id := range set {
			if !claimIDs[id] {
				return invalid("claim_sets[%d] references unknown claim %q", i, id)
			}
		}
	}
	return nil
}

func (cl *ClaimQuery) validate(format string) error {
	if cl.ID != "" && !idPattern.MatchString(cl.ID) {
		return invalid("id %q must use only A-Z, a-z, 0-9, _ and -", cl.ID)
	}
	if len(cl.Path) == 0 {
		return invalid("path must be a non-empty array")
	}
	for i, el := range cl.Path {
		norm, err := normalizePathElement(el)
		if err != nil {
			return invalid("path[%d]: %v", i, err)
		}
		cl.Path[i] = norm
	}
	if format == FormatMdoc {
		if len(cl.Path) != 2 || !isString(cl.Path[0]) || !isString(cl.Path[1]) {
			return invalid("an %s path must be [namespace, element identifier]", FormatMdoc)
		}
	}
	if cl.Values != nil && len(cl.Values) == 0 {
		return invalid("values must be non-empty when present")
	}
	for i, v := range cl.Values {
		norm, err := normalizeValue(v)
		if err != nil {
			return invalid("values[%d]: %v", i, err)
		}
		cl.Values[i] = norm
	}
	return nil
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func normalizePathElement(v any) (any, error) {
	switch e := v.(type) {
	case nil, string:
		return e, nil
	}
	n, ok := toInt64(v)
	if !ok || n < 0 || n > math.MaxInt32 {
		return nil, fmt.Errorf("must be a string, null or non-negative integer, got %v", v)
	}
	return int(n), nil
}

func normalizeValue(v any) (any, error) {
	switch e := v.(type) {
	case string, bool:
		return e, nil
	}
	if n, ok := toInt64(v); ok {
		return n, nil
	}
	return nil, fmt.Errorf("must be a string, integer or boolean, got %v", v)
}

// toInt64 accepts the integer representations a query built in Go or decoded
// from JSON can hold, rejecting fractions and out-of-range values.
func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, false
		}
		return int64(n), true
	}
	return 0, false
}
