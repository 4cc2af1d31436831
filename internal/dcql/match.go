package dcql

import (
	"encoding/json"
	"math"
	"slices"
)

// Credential is a candidate credential held by the wallet.
type Credential struct {
	Format string
	// VCT is the SD-JWT VC type; Doctype the mdoc document type.
	VCT     string
	Doctype string
	// HolderBinding reports whether the credential can be presented with a
	// cryptographic holder binding proof.
	HolderBinding bool
	// Authorities lists the trust anchors that certify the issuer, matched
	// against "trusted_authorities".
	Authorities []TrustedAuthority
	// Claims is the JSON-like claim set: map[string]any and []any
	// containers with string, bool, nil and numeric leaves. For mso_mdoc it
	// maps namespace to data element identifier to value.
	Claims map[string]any
}

// Result is the outcome of matching a query against candidates.
type Result struct {
	// Satisfied reports whether the wallet can answer the whole request:
	// every required Credential Set Query, or every Credential Query when
	// there are no credential sets.
	Satisfied bool
	// Credentials holds one entry per Credential Query, in query order.
	Credentials []CredentialResult
	// CredentialSets holds one entry per Credential Set Query, in order.
	CredentialSets []CredentialSetResult
}

// CredentialResult lists the candidates that satisfy one Credential Query.
// When the query's Multiple is false the wallet must present only one of
// them; choosing which is left to the caller (the user, in practice).
type CredentialResult struct {
	QueryID string
	Matches []Match
}

// Satisfied reports whether at least one candidate matched.
func (r CredentialResult) Satisfied() bool { return len(r.Matches) > 0 }

// Match is a candidate satisfying a Credential Query.
type Match struct {
	// Candidate indexes the credentials slice given to Match.
	Candidate int
	// ClaimSet is the index of the chosen claim_sets option, or -1 when the
	// query has no claim_sets.
	ClaimSet int
	// Disclose lists the concrete claim paths to disclose, with every null
	// resolved to the matching array indices, in claims order.
	Disclose []Path
}

// CredentialSetResult reports which options of a Credential Set Query can
// be satisfied.
type CredentialSetResult struct {
	Required        bool
	MatchingOptions [][]string
}

// Match evaluates q against the candidate credentials. q must have been
// validated (Parse does so).
func (q *Query) Match(credentials []Credential) Result {
	res := Result{Credentials: make([]CredentialResult, len(q.Credentials))}
	satisfied := make(map[string]bool, len(q.Credentials))
	for i, cq := range q.Credentials {
		cr := CredentialResult{QueryID: cq.ID}
		for j, cred := range credentials {
			if m, ok := cq.match(cred); ok {
				m.Candidate = j
				cr.Matches = append(cr.Matches, m)
			}
		}
		res.Credentials[i] = cr
		satisfied[cq.ID] = cr.Satisfied()
	}

	if len(q.CredentialSets) == 0 {
		res.Satisfied = true
		for _, cr := range res.Credentials {
			res.Satisfied = res.Satisfied && cr.Satisfied()
		}
		return res
	}
	res.Satisfied = true
	for _, set := range q.CredentialSets {
		sr := CredentialSetResult{Required: set.IsRequired()}
		for _, opt := range set.Options {
			if allSatisfied(opt, satisfied) {
				sr.MatchingOptions = append(sr.MatchingOptions, opt)
			}
		}
		if sr.Required && len(sr.MatchingOptions) == 0 {
			res.Satisfied = false
		}
		res.CredentialSets = append(res.CredentialSets, sr)
	}
	return res
}

func allSatisfied(ids []string, satisfied map[string]bool) bool {
	for _, id := range ids {
		if !satisfied[id] {
			return false
		}
	}
	return true
}

func (cq *CredentialQuery) match(c Credential) (Match, bool) {
	if c.Format != cq.Format || !cq.metaMatches(c) {
		return Match{}, false
	}
	if cq.RequiresHolderBinding() && !c.HolderBinding {
		return Match{}, false
	}
	if len(cq.TrustedAuthorities) > 0 && !authorityMatches(cq.TrustedAuthorities, c.Authorities) {
		return Match{}, false
	}
	if len(cq.Claims) == 0 {
		return Match{ClaimSet: -1}, true
	}

	selected := make([][]Path, len(cq.Claims))
	byID := make(map[string]int, len(cq.Claims))
	for i, cl := range cq.Claims {
		selected[i] = selectClaim(c.Claims, cl)
		if cl.ID != "" {
			byID[cl.ID] = i
		}
	}
	if len(cq.ClaimSets) == 0 {
		all := make([]int, len(cq.Claims))
		for i := range all {
			all[i] = i
		}
		return disclose(selected, all, -1)
	}
	// The spec says the wallet SHOULD return the first satisfiable option;
	// the dcql package reports every valid set, in order, and wallets take
	// the first. Only that first one is returned here.
	for si, set := range cq.ClaimSets {
		idx := make([]int, len(set))
		for k, id := range set {
			idx[k] = byID[id]
		}
		if m, ok := disclose(selected, idx, si); ok {
			return m, true
		}
	}
	return Match{}, false
}

func disclose(selected [][]Path, claims []int, set int) (Match, bool) {
	slices.Sort(claims)
	m := Match{ClaimSet: set}
	for _, i := range slices.Compact(claims) {
		if len(selected[i]) == 0 {
			return Match{}, false
		}
		for _, p := range selected[i] {
			if !slices.ContainsFunc(m.Disclose, func(q Path) bool { return slices.Equal(p, q) }) {
				m.Disclose = append(m.Disclose, p)
			}
		}
	}
	return m, true
}

// metaMatches compares types exactly. SD-JWT VC type inheritance, which
// the spec allows wallets to honour, is not resolved, as in the dcql package.
func (cq *CredentialQuery) metaMatches(c Credential) bool {
	switch cq.Format {
	case FormatSDJWT:
		return slices.Contains(cq.Meta.VCTValues, c.VCT)
	case FormatMdoc:
		return c.Doctype == cq.Meta.DoctypeValue
	}
	return false
}

func authorityMatches(want, have []TrustedAuthority) bool {
	for _, w := range want {
		for _, h := range have {
			if w.Type != h.Type {
				continue
			}
			for _, v := range w.Values {
				if slices.Contains(h.Values, v) {
					return true
				}
			}
		}
	}
	return false
}

type node struct {
	path  Path
	value any
}

// selectClaim applies a claims path pointer (spec section 7) and the values
// filter, returning the concrete paths of the selected claims, or nil when
// the claim is not satisfied.
func selectClaim(root map[string]any, cl ClaimQuery) []Path {
	cur := []node{{path: Path{}, value: root}}
	for _, el := range cl.Path {
		var next []node
		for _, n := range cur {
			switch e := el.(type) {
			case string:
				obj, ok := n.value.(map[string]any)
				if !ok {
					// The spec aborts processing when a selected element is
					// not an object, failing the whole claim.
					return nil
				}
				if v, ok := obj[e]; ok {
					next = append(next, node{path: extend(n.path, e), value: v})
				}
			case nil:
				arr, ok := n.value.([]any)
				if !ok {
					return nil
				}
				for i, v := range arr {
					next = append(next, node{path: extend(n.path, i), value: v})
				}
			case int:
				arr, ok := n.value.([]any)
				if !ok {
					return nil
				}
				if e < len(arr) {
					next = append(next, node{path: extend(n.path, e), value: arr[e]})
				}
			}
		}
		cur = next
	}
	var out []Path
	for _, n := range cur {
		// A JSON null counts as absent, as in the dcql package; the spec
		// does not say whether a null-valued claim satisfies a query.
		if n.value == nil {
			continue
		}
		// With null in the path, the dcql package keeps the elements whose
		// value matches and needs at least one; the spec only says to treat
		// a non-matching claim as nonexistent.
		if cl.Values != nil && !slices.ContainsFunc(cl.Values, func(want any) bool { return valueEqual(want, n.value) }) {
			continue
		}
		out = append(out, n.path)
	}
	return out
}

func extend(p Path, el any) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, el)
}

// valueEqual matches type and value exactly, as the spec requires: the
// string "1" never equals the integer 1. An integral float from
// encoding/json equals the same integer, since JSON has one number type.
func valueEqual(want, got any) bool {
	switch w := want.(type) {
	case string:
		g, ok := got.(string)
		return ok && g == w
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case int64:
		switch g := got.(type) {
		case json.Number:
			i, err := g.Int64()
			return err == nil && i == w
		case float64:
			return g == math.Trunc(g) && math.Abs(g) <= 1<<53 && int64(g) == w
		case int:
			return int64(g) == w
		case int64:
			return g == w
		}
	}
	return false
}
