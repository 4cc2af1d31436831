package dcql

// Interoperability with the "dcql" npm package 3.0.0 (the OpenWallet
// Foundation Labs implementation whose behaviour this package follows where
// the specification leaves room), run under Node through
// tools/interop/dcql.mjs (stdin/stdout JSON, no network). Install it with
// `bash tools/interop/install.sh`; without Node or that install these tests
// skip, except under CI=true, where they fail.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/maeul/maeul/internal/interoptest"
)

// nodeMatch runs every request through `node dcql.mjs match` at once.
func nodeMatch(t testing.TB, reqs []map[string]any) []nodeMatchRes {
	t.Helper()
	var out []nodeMatchRes
	interoptest.Run(t, "dcql", "dcql.mjs", "match", reqs, &out)
	if len(out) != len(reqs) {
		t.Fatalf("node dcql.mjs match answered %d of %d requests", len(out), len(reqs))
	}
	return out
}

// nodeMatchRes is the part of the dcql package's query result compared.
type nodeMatchRes struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
	Result struct {
		CanBeSatisfied    bool `json:"can_be_satisfied"`
		CredentialMatches map[string]struct {
			Success          bool `json:"success"`
			ValidCredentials []struct {
				InputCredentialIndex int `json:"input_credential_index"`
				Claims               struct {
					ValidClaims []struct {
						ClaimIndex int `json:"claim_index"`
						Output     any `json:"output"`
					} `json:"valid_claims"`
					ValidClaimSets []struct {
						ClaimSetIndex     *int  `json:"claim_set_index"`
						ValidClaimIndexes []int `json:"valid_claim_indexes"`
					} `json:"valid_claim_sets"`
				} `json:"claims"`
			} `json:"valid_credentials"`
		} `json:"credential_matches"`
		CredentialSets []struct {
			Required        bool       `json:"required"`
			MatchingOptions [][]string `json:"matching_options"`
		} `json:"credential_sets"`
	} `json:"result"`
}

// dcqlCredential is c as the dcql package takes it.
func dcqlCredential(c Credential) map[string]any {
	m := map[string]any{"credential_format": c.Format, "cryptographic_holder_binding": c.HolderBinding}
	if c.Format == FormatMdoc {
		m["doctype"] = c.Doctype
		m["namespaces"] = c.Claims
	} else {
		m["vct"] = c.VCT
		m["claims"] = c.Claims
	}
	// The package holds one authority per credential.
	if len(c.Authorities) > 0 {
		m["authority"] = c.Authorities[0]
	}
	return m
}

// summary is what both implementations must agree on.
type summary struct {
	Valid     bool
	Satisfied bool
	// Per credential query, in query order: each matching candidate as
	// "index/claim set/sorted disclosed paths".
	Matches [][]string
	// Per credential set: required and the matching options.
	Sets []string
}

func pathKey(p []any) string {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func matchKey(candidate, claimSet int, paths []string) string {
	slices.Sort(paths)
	return fmt.Sprintf("%d/%d/%v", candidate, claimSet, paths)
}

func setKey(required bool, options [][]string) string {
	return fmt.Sprintf("required=%v options=%v", required, options)
}

func goSummary(query string, creds []Credential) summary {
	q, err := Parse([]byte(query))
	if err != nil {
		return summary{}
	}
	res := q.Match(creds)
	s := summary{Valid: true, Satisfied: res.Satisfied}
	for _, cr := range res.Credentials {
		var ms []string
		for _, m := range cr.Matches {
			var paths []string
			for _, p := range m.Disclose {
				paths = append(paths, pathKey(p))
			}
			ms = append(ms, matchKey(m.Candidate, m.ClaimSet, paths))
		}
		s.Matches = append(s.Matches, ms)
	}
	for _, sr := range res.CredentialSets {
		s.Sets = append(s.Sets, setKey(sr.Required, sr.MatchingOptions))
	}
	return s
}

// resolve applies a claims path pointer to the claims the dcql package
// selected (its "output", with null for array elements it did not select)
// and returns the concrete paths of the non-null claims, as Disclose holds.
func resolve(v any, path []any, at []any) []string {
	if v == nil {
		return nil
	}
	if len(path) == 0 {
		return []string{pathKey(at)}
	}
	var out []string
	switch e := path[0].(type) {
	case string:
		if obj, ok := v.(map[string]any); ok {
			out = resolve(obj[e], path[1:], append(slices.Clone(at), e))
		}
	case nil, json.Number:
		arr, ok := v.([]any)
		if !ok {
			return nil
		}
		for i, el := range arr {
			if n, ok := e.(json.Number); ok && n.String() != fmt.Sprint(i) {
				continue
			}
			out = append(out, resolve(el, path[1:], append(slices.Clone(at), i))...)
		}
	}
	return out
}

func nodeSummary(query string, r nodeMatchRes) summary {
	if !r.OK {
		return summary{}
	}
	var q struct {
		Credentials []struct {
			ID     string `json:"id"`
			Claims []struct {
				Path []any `json:"path"`
			} `json:"claims"`
		} `json:"credentials"`
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(query)))
	dec.UseNumber()
	if err := dec.Decode(&q); err != nil {
		panic(err)
	}
	s := summary{Valid: true, Satisfied: r.Result.CanBeSatisfied}
	for _, cq := range q.Credentials {
		var ms []string
		for _, vc := range r.Result.CredentialMatches[cq.ID].ValidCredentials {
			// Wallets take the first valid claim set, as Match does.
			first := vc.Claims.ValidClaimSets[0]
			set := -1
			if first.ClaimSetIndex != nil {
				set = *first.ClaimSetIndex
			}
			var paths []string
			for _, ci := range first.ValidClaimIndexes {
				for _, c := range vc.Claims.ValidClaims {
					if c.ClaimIndex != ci {
						continue
					}
					for _, p := range resolve(c.Output, cq.Claims[ci].Path, []any{}) {
						if !slices.Contains(paths, p) {
							paths = append(paths, p)
						}
					}
				}
			}
			ms = append(ms, matchKey(vc.InputCredentialIndex, set, paths))
		}
		s.Matches = append(s.Matches, ms)
	}
	for _, sr := range r.Result.CredentialSets {
		s.Sets = append(s.Sets, setKey(sr.Required, sr.MatchingOptions))
	}
	return s
}

type interopCase struct {
	name  string
	query string
	creds []Credential
}

func credJSON(format, typ string, binding bool, claims string) Credential {
	c := Credential{Format: format, HolderBinding: binding}
	if format == FormatMdoc {
		c.Doctype = typ
	} else {
		c.VCT = typ
	}
	if err := json.Unmarshal([]byte(claims), &c.Claims); err != nil {
		panic(err)
	}
	return c
}

func interopCases() []interopCase {
	full := `{"given_name":"A","family_name":"D","last_name":"D","first_name":"A","address":{"street_address":"x","locality":"L"}}`
	reduced1 := credJSON(FormatSDJWT, "https://credentials.example.com/reduced_identity_credential", true, `{"given_name":"A","family_name":"D"}`)
	reduced2 := credJSON(FormatSDJWT, "https://cred.example/residence_credential", true, `{"postal_code":"1","locality":"L","region":"R"}`)
	rewards := credJSON(FormatSDJWT, "https://company.example/company_rewards", true, `{"rewards_number":"7"}`)
	mdl := credJSON(FormatMdoc, "org.iso.7367.1.mVRC", true,
		`{"org.iso.7367.1":{"vehicle_holder":"A D"},"org.iso.18013.5.1":{"first_name":"A"}}`)
	pathCred := credJSON(FormatSDJWT, "v", false, pathCredential)
	trusted := credJSON(FormatSDJWT, "v", true, `{}`)
	trusted.Authorities = []TrustedAuthority{{Type: "aki", Values: []string{"zzz", "abc"}}}
	otherAuthority := trusted
	otherAuthority.Authorities = []TrustedAuthority{{Type: "aki", Values: []string{"xyz"}}}

	cases := []interopCase{
		{"spec simple", specSimple, []Credential{
			credJSON(FormatSDJWT, idVCT, true, full),
			credJSON(FormatSDJWT, "https://other.example/vct", true, full),       // wrong vct
			credJSON(FormatSDJWT, idVCT, false, full),                            // no holder binding
			credJSON(FormatSDJWT, idVCT, true, `{"last_name":"a","address":{}}`), // claims missing
		}},
		{"spec multi, sd-jwt and mdoc", specMulti, []Credential{credJSON(FormatSDJWT, idVCT, true, full), mdl}},
		{"spec multi, no mdoc", specMulti, []Credential{credJSON(FormatSDJWT, idVCT, true, full)}},
		{"spec credential sets: pid", specCredentialsAlternatives, []Credential{credJSON(FormatSDJWT, idVCT, true, full)}},
		{"spec credential sets: other pid and rewards", specCredentialsAlternatives,
			[]Credential{credJSON(FormatSDJWT, "https://othercredentials.example/pid", true, full), rewards}},
		{"spec credential sets: both reduced", specCredentialsAlternatives, []Credential{reduced1, reduced2}},
		{"spec credential sets: one reduced", specCredentialsAlternatives, []Credential{reduced1, rewards}},
		{"spec credential sets: optional only", specCredentialsAlternatives, []Credential{rewards}},
		{"spec claim sets", specClaimsAlternatives, []Credential{
			credJSON(FormatSDJWT, idVCT, true, `{"last_name":"D","postal_code":"1","locality":"L","region":"R","date_of_birth":"x"}`),
			credJSON(FormatSDJWT, idVCT, true, `{"last_name":"D","postal_code":"1","date_of_birth":"x"}`),
			credJSON(FormatSDJWT, idVCT, true, `{"last_name":"D","postal_code":"1","locality":"L"}`),
		}},
		{"spec value matching", specValueMatching, []Credential{
			credJSON(FormatSDJWT, idVCT, true, `{"last_name":"Doe","postal_code":"90211","first_name":"J","address":{"street_address":"s"}}`),
			credJSON(FormatSDJWT, idVCT, true, `{"last_name":"Doe","postal_code":"90212","first_name":"J","address":{"street_address":"s"}}`),
			credJSON(FormatSDJWT, idVCT, true, `{"last_name":"Smith","postal_code":"90210","first_name":"J","address":{"street_address":"s"}}`),
			credJSON(FormatSDJWT, idVCT, true, `{"last_name":"Doe","postal_code":90210,"first_name":"J","address":{"street_address":"s"}}`),
		}},
		{"mdoc values", `{"credentials":[{"id":"mdl","format":"mso_mdoc","meta":{"doctype_value":"org.iso.7367.1.mVRC"},
			"claims":[{"path":["org.iso.7367.1","vehicle_holder"],"values":["A D","B E"]},{"path":["org.iso.18013.5.1","age_over_18"]}]}]}`,
			[]Credential{mdl, credJSON(FormatMdoc, "org.iso.7367.1.mVRC", true,
				`{"org.iso.7367.1":{"vehicle_holder":"B E"},"org.iso.18013.5.1":{"age_over_18":true}}`)}},
		{"no claims", `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]}}]}`,
			[]Credential{trusted, credJSON(FormatSDJWT, "w", true, `{}`)}},
		{"holder binding not required", `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]},
			"require_cryptographic_holder_binding":false,"claims":[{"path":["name"]}]}]}`,
			[]Credential{pathCred}},
		{"multiple and trusted authorities", `{"credentials":[{"id":"c","format":"dc+sd-jwt","multiple":true,
			"meta":{"vct_values":["v"]},"trusted_authorities":[{"type":"aki","values":["abc"]}]}]}`,
			[]Credential{trusted, otherAuthority, trusted}},
	}
	// The complex mdoc query of the dcql package's own tests
	// (dcql-query-complex.test.ts), in the path form of OpenID4VP 1.0.
	complexMdoc := `{"credentials":[
	 {"id":"mdl-id","format":"mso_mdoc","meta":{"doctype_value":"org.iso.18013.5.1.mDL"},"claims":[
	  {"id":"given_name","path":["org.iso.18013.5.1","given_name"]},{"id":"family_name","path":["org.iso.18013.5.1","family_name"]},
	  {"id":"portrait","path":["org.iso.18013.5.1","portrait"]}]},
	 {"id":"mdl-address","format":"mso_mdoc","meta":{"doctype_value":"org.iso.18013.5.1.mDL"},"claims":[
	  {"id":"resident_address","path":["org.iso.18013.5.1","resident_address"],"intent_to_retain":false},
	  {"id":"resident_country","path":["org.iso.18013.5.1","resident_country"],"intent_to_retain":true}]},
	 {"id":"photo_card-id","format":"mso_mdoc","meta":{"doctype_value":"org.iso.23220.photoid.1"},"claims":[
	  {"id":"given_name","path":["org.iso.23220.1","given_name"]},{"id":"family_name","path":["org.iso.23220.1","family_name"]},
	  {"id":"portrait","path":["org.iso.23220.1","portrait"]}]},
	 {"id":"photo_card-address","format":"mso_mdoc","meta":{"doctype_value":"org.iso.23220.photoid.1"},"claims":[
	  {"id":"resident_address","path":["org.iso.23220.1","resident_address"]},{"id":"resident_country","path":["org.iso.23220.1","resident_country"]}]}],
	 "credential_sets":[{"purpose":"Identification","options":[["mdl-id"],["photo_card-id"]]},
	  {"purpose":"Proof of address","required":false,"options":[["mdl-address"],["photo_card-address"]]}]}`
	mdlID := credJSON(FormatMdoc, "org.iso.18013.5.1.mDL", true,
		`{"org.iso.18013.5.1":{"given_name":"Martin","family_name":"Auer","portrait":"https://example.com/portrait"}}`)
	mdlAddress := credJSON(FormatMdoc, "org.iso.18013.5.1.mDL", true,
		`{"org.iso.18013.5.1":{"resident_country":"Italy","resident_address":"Via Roma 1","non_disclosed":"secret"}}`)
	photoID := credJSON(FormatMdoc, "org.iso.23220.photoid.1", true,
		`{"org.iso.23220.1":{"given_name":"Martin","family_name":"Auer","portrait":"https://example.com/portrait"}}`)
	photoAddress := credJSON(FormatMdoc, "org.iso.23220.photoid.1", true,
		`{"org.iso.23220.1":{"resident_country":"Italy","resident_address":"Via Roma 1","non_disclosed":"secret"}}`)
	cases = append(cases,
		interopCase{"dcql-ts complex mdoc: none", complexMdoc, nil},
		interopCase{"dcql-ts complex mdoc: addresses only", complexMdoc, []Credential{mdlAddress, photoAddress}},
		interopCase{"dcql-ts complex mdoc: all", complexMdoc, []Credential{mdlID, mdlAddress, photoID, photoAddress,
			credJSON(FormatSDJWT, idVCT, true, pathCredential)}},
		interopCase{"dcql-ts complex mdoc: photo card id", complexMdoc, []Credential{photoID, mdlAddress}},
	)
	// The claims path pointer cases of TestPathsAndValues, over the
	// credential of OpenID4VP 1.0 section 7.3.
	for _, c := range []struct{ path, values string }{
		{`["name"]`, ``}, {`["address"]`, ``}, {`["address","street_address"]`, ``},
		{`["degrees",null,"type"]`, ``}, {`["nationalities",1]`, ``}, {`["nationalities",2]`, ``},
		{`["nationalities",null]`, `["Betelgeusian"]`}, {`["degrees",null,"type"]`, `["Master of Science"]`},
		{`["degrees",null,"type"]`, `["PhD"]`}, {`["mixed",null,"type"]`, ``}, {`["scalars",null,"type"]`, ``},
		{`["name",0]`, ``}, {`["name",null]`, ``}, {`["address",null]`, ``},
		{`["nothing"]`, ``}, {`["missing"]`, ``}, {`["age"]`, `[42]`}, {`["age"]`, `["42"]`},
		{`["age"]`, `[41, 42]`}, {`["adult"]`, `[true]`}, {`["adult"]`, `[1]`}, {`["scalars",null]`, `[1,3]`},
	} {
		cl := `{"path":` + c.path
		if c.values != "" {
			cl += `,"values":` + c.values
		}
		cases = append(cases, interopCase{"path " + c.path + c.values,
			`{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]},
			"require_cryptographic_holder_binding":false,"claims":[` + cl + `}]}]}`, []Credential{pathCred}})
	}
	// Queries both must refuse.
	cred := func(extra string) string {
		return `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]}` + extra + `}]}`
	}
	for name, q := range map[string]string{
		"invalid: empty credentials":     `{"credentials":[]}`,
		"invalid: bad id":                `{"credentials":[{"id":"a b","format":"dc+sd-jwt","meta":{"vct_values":["v"]}}]}`,
		"invalid: duplicate ids":         `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}},{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}}]}`,
		"invalid: empty claims":          cred(`,"claims":[]`),
		"invalid: float value":           cred(`,"claims":[{"path":["a"],"values":[1.5]}]`),
		"invalid: claim_sets unknown id": cred(`,"claims":[{"id":"a","path":["a"]}],"claim_sets":[["a","b"]]`),
		"invalid: empty options":         `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}}],"credential_sets":[{"options":[]}]}`,
	} {
		cases = append(cases, interopCase{name, q, []Credential{pathCred}})
	}
	return cases
}

// Cases on which internal/dcql departs from the dcql package by a choice
// documented in this package; run through both and logged, never compared.
func divergentCases() []interopCase {
	pathCred := credJSON(FormatSDJWT, "v", true, pathCredential)
	return []interopCase{
		// Meta is required by OpenID4VP 1.0 section 6.1 ("meta: REQUIRED");
		// Query.Validate refuses its absence (see CredentialQuery.Meta),
		// the package makes it optional and then matches any vct.
		{"meta missing", `{"credentials":[{"id":"c","format":"dc+sd-jwt"}]}`, []Credential{pathCred}},
		// vct_values is required for dc+sd-jwt (section B.3.5); the package
		// accepts {} and matches any vct.
		{"vct_values missing", `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{}}]}`, []Credential{pathCred}},
		// Only dc+sd-jwt and mso_mdoc are matched; other formats fail closed
		// (doc.go), while the package also matches vc+sd-jwt and W3C VCs.
		{"vc+sd-jwt format", `{"credentials":[{"id":"c","format":"vc+sd-jwt","meta":{"vct_values":["v"]}}]}`,
			[]Credential{credJSON("vc+sd-jwt", "v", true, `{}`)}},
		// Section 7: a string path component over a selected element that is
		// not an object aborts processing (selectClaim); the package only
		// drops that array element and matches the others.
		{"non-object array element", `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]},
			"claims":[{"path":["list",null,"type"]}]}]}`,
			[]Credential{credJSON(FormatSDJWT, "v", true, `{"list":[{"type":"x"},5]}`)}},
		// A null component over an empty array selects nothing, so the claim
		// is not satisfied (selectClaim; TestPathsAndValues "empty
		// selection"). The package reports success with nothing selected:
		// its valibot rawTransform returns NEVER without adding an issue
		// when there are no elements to fail.
		{"empty array under null", `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]},
			"claims":[{"path":["empty",null]}]}]}`, []Credential{pathCred}},
		// An mso_mdoc path is exactly [namespace, element identifier]
		// (OpenID4VP 1.0 appendix B.2; ClaimQuery.validate); the package
		// parses it with a non-strict valibot tuple, which ignores extra
		// elements, and accepts the query.
		{"mdoc path of 3", `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"},
			"claims":[{"path":["a","b","c"]}]}]}`, []Credential{credJSON(FormatMdoc, "d", true, `{"a":{"b":"x"}}`)}},
	}
}

func runInterop(t *testing.T, cases []interopCase) ([]summary, []summary) {
	var reqs []map[string]any
	for _, c := range cases {
		var q any
		if err := json.Unmarshal([]byte(c.query), &q); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		creds := []map[string]any{}
		for _, cr := range c.creds {
			creds = append(creds, dcqlCredential(cr))
		}
		reqs = append(reqs, map[string]any{"query": q, "credentials": creds})
	}
	res := nodeMatch(t, reqs)
	var ours, theirs []summary
	for i, c := range cases {
		ours = append(ours, goSummary(c.query, c.creds))
		theirs = append(theirs, nodeSummary(c.query, res[i]))
	}
	return ours, theirs
}

func TestInteropMatch(t *testing.T) {
	t.Parallel()
	interoptest.Require(t, "dcql")
	cases := interopCases()
	ours, theirs := runInterop(t, cases)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !reflect.DeepEqual(ours[i], theirs[i]) {
				t.Errorf("internal/dcql and dcql 3.0.0 differ\nours:   %+v\ndcql:   %+v", ours[i], theirs[i])
			}
		})
	}
}

func TestInteropDocumentedDifferences(t *testing.T) {
	t.Parallel()
	interoptest.Require(t, "dcql")
	cases := divergentCases()
	ours, theirs := runInterop(t, cases)
	for i, c := range cases {
		t.Logf("%s\n\tours: %+v\n\tdcql: %+v", c.name, ours[i], theirs[i])
	}
}
