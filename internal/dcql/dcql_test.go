package dcql

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// Non-normative examples from OpenID4VP 1.0 (section 6.4 and appendix D),
// as in github.com/openid/OpenID4VP examples/query_lang.
const (
	specSimple = `{"credentials":[{"id":"my_credential","format":"dc+sd-jwt",
	 "meta":{"vct_values":["https://credentials.example.com/identity_credential"]},
	 "claims":[{"path":["last_name"]},{"path":["first_name"]},{"path":["address","street_address"]}]}]}`

	specMulti = `{"credentials":[
	 {"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["https://credentials.example.com/identity_credential"]},
	  "claims":[{"path":["given_name"]},{"path":["family_name"]},{"path":["address","street_address"]}]},
	 {"id":"mdl","format":"mso_mdoc","meta":{"doctype_value":"org.iso.7367.1.mVRC"},
	  "claims":[{"path":["org.iso.7367.1","vehicle_holder"]},{"path":["org.iso.18013.5.1","first_name"]}]}]}`

	specCredentialsAlternatives = `{"credentials":[
	 {"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["https://credentials.example.com/identity_credential"]},
	  "claims":[{"path":["given_name"]},{"path":["family_name"]},{"path":["address","street_address"]}]},
	 {"id":"other_pid","format":"dc+sd-jwt","meta":{"vct_values":["https://othercredentials.example/pid"]},
	  "claims":[{"path":["given_name"]},{"path":["family_name"]},{"path":["address","street_address"]}]},
	 {"id":"pid_reduced_cred_1","format":"dc+sd-jwt","meta":{"vct_values":["https://credentials.example.com/reduced_identity_credential"]},
	  "claims":[{"path":["family_name"]},{"path":["given_name"]}]},
	 {"id":"pid_reduced_cred_2","format":"dc+sd-jwt","meta":{"vct_values":["https://cred.example/residence_credential"]},
	  "claims":[{"path":["postal_code"]},{"path":["locality"]},{"path":["region"]}]},
	 {"id":"nice_to_have","format":"dc+sd-jwt","meta":{"vct_values":["https://company.example/company_rewards"]},
	  "claims":[{"path":["rewards_number"]}]}],
	 "credential_sets":[
	  {"options":[["pid"],["other_pid"],["pid_reduced_cred_1","pid_reduced_cred_2"]]},
	  {"required":false,"options":[["nice_to_have"]]}]}`

	specClaimsAlternatives = `{"credentials":[{"id":"pid","format":"dc+sd-jwt",
	 "meta":{"vct_values":["https://credentials.example.com/identity_credential"]},
	 "claims":[{"id":"a","path":["last_name"]},{"id":"b","path":["postal_code"]},{"id":"c","path":["locality"]},
	  {"id":"d","path":["region"]},{"id":"e","path":["date_of_birth"]}],
	 "claim_sets":[["a","c","d","e"],["a","b","e"]]}]}`

	specValueMatching = `{"credentials":[{"id":"my_credential","format":"dc+sd-jwt",
	 "meta":{"vct_values":["https://credentials.example.com/identity_credential"]},
	 "claims":[{"path":["last_name"],"values":["Doe"]},{"path":["first_name"]},
	  {"path":["address","street_address"]},{"path":["postal_code"],"values":["90210","90211"]}]}]}`
)

func mustParse(t *testing.T, s string) *Query {
	t.Helper()
	q, err := Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return q
}

func sdjwt(vct string, claims string) Credential {
	var m map[string]any
	if err := json.Unmarshal([]byte(claims), &m); err != nil {
		panic(err)
	}
	return Credential{Format: FormatSDJWT, VCT: vct, HolderBinding: true, Claims: m}
}

const idVCT = "https://credentials.example.com/identity_credential"

func TestSpecExamplesParse(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]string{
		"simple": specSimple, "multi": specMulti, "credentials alternatives": specCredentialsAlternatives,
		"claims alternatives": specClaimsAlternatives, "value matching": specValueMatching,
	} {
		if _, err := Parse([]byte(s)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	q := mustParse(t, specCredentialsAlternatives)
	if q.CredentialSets[0].IsRequired() != true || q.CredentialSets[1].IsRequired() != false {
		t.Error("credential set required defaults wrong")
	}
	if !q.Credentials[0].RequiresHolderBinding() {
		t.Error("holder binding must default to required")
	}
}

func TestSpecSimpleMatch(t *testing.T) {
	t.Parallel()
	q := mustParse(t, specSimple)
	cred := sdjwt(idVCT, `{"last_name":"Dent","first_name":"Arthur","birthdate":"1970-01-01",
		"address":{"street_address":"42 Market Street","locality":"Milliways"}}`)
	res := q.Match([]Credential{cred})
	if !res.Satisfied {
		t.Fatal("not satisfied")
	}
	want := []Path{{"last_name"}, {"first_name"}, {"address", "street_address"}}
	if got := res.Credentials[0].Matches[0].Disclose; !reflect.DeepEqual(got, want) {
		t.Fatalf("Disclose = %v, want %v", got, want)
	}
	wrongType := sdjwt("https://other.example/vct", `{"last_name":"a","first_name":"b","address":{"street_address":"c"}}`)
	noBinding := cred
	noBinding.HolderBinding = false
	missing := sdjwt(idVCT, `{"last_name":"a","first_name":"b","address":{}}`)
	if res := q.Match([]Credential{wrongType, noBinding, missing}); res.Satisfied {
		t.Fatalf("matched %+v", res.Credentials)
	}
}

func TestSpecMultiMatchesMdoc(t *testing.T) {
	t.Parallel()
	q := mustParse(t, specMulti)
	pid := sdjwt(idVCT, `{"given_name":"A","family_name":"D","address":{"street_address":"x"}}`)
	mdl := Credential{Format: FormatMdoc, Doctype: "org.iso.7367.1.mVRC", HolderBinding: true, Claims: map[string]any{
		"org.iso.7367.1":    map[string]any{"vehicle_holder": "A D"},
		"org.iso.18013.5.1": map[string]any{"first_name": "A"},
	}}
	res := q.Match([]Credential{pid, mdl})
	if !res.Satisfied || res.Credentials[0].Matches[0].Candidate != 0 || res.Credentials[1].Matches[0].Candidate != 1 {
		t.Fatalf("result = %+v", res)
	}
	if res := q.Match([]Credential{pid}); res.Satisfied {
		t.Fatal("satisfied without the mdoc")
	}
}

func TestSpecCredentialSets(t *testing.T) {
	t.Parallel()
	q := mustParse(t, specCredentialsAlternatives)
	full := `{"given_name":"A","family_name":"D","address":{"street_address":"x"}}`
	reduced1 := sdjwt("https://credentials.example.com/reduced_identity_credential", `{"given_name":"A","family_name":"D"}`)
	reduced2 := sdjwt("https://cred.example/residence_credential", `{"postal_code":"1","locality":"L","region":"R"}`)
	rewards := sdjwt("https://company.example/company_rewards", `{"rewards_number":"7"}`)

	cases := []struct {
		name      string
		creds     []Credential
		satisfied bool
		options   [][][]string
	}{
		{"pid alone", []Credential{sdjwt(idVCT, full)}, true, [][][]string{{{"pid"}}, nil}},
		{"other pid and rewards", []Credential{sdjwt("https://othercredentials.example/pid", full), rewards}, true,
			[][][]string{{{"other_pid"}}, {{"nice_to_have"}}}},
		{"both reduced", []Credential{reduced1, reduced2}, true,
			[][][]string{{{"pid_reduced_cred_1", "pid_reduced_cred_2"}}, nil}},
		{"one reduced only", []Credential{reduced1, rewards}, false, [][][]string{nil, {{"nice_to_have"}}}},
		{"optional only", []Credential{rewards}, false, [][][]string{nil, {{"nice_to_have"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := q.Match(c.creds)
			if res.Satisfied != c.satisfied {
				t.Fatalf("Satisfied = %v", res.Satisfied)
			}
			for i, want := range c.options {
				if got := res.CredentialSets[i].MatchingOptions; !reflect.DeepEqual(got, want) {
					t.Errorf("set %d options = %v, want %v", i, got, want)
				}
			}
		})
	}
}

func TestSpecClaimSetsOrder(t *testing.T) {
	t.Parallel()
	q := mustParse(t, specClaimsAlternatives)
	cases := []struct {
		name    string
		claims  string
		set     int
		ok      bool
		dislose []Path
	}{
		{"both possible: first wins", `{"last_name":"D","postal_code":"1","locality":"L","region":"R","date_of_birth":"x"}`,
			0, true, []Path{{"last_name"}, {"locality"}, {"region"}, {"date_of_birth"}}},
		{"only second", `{"last_name":"D","postal_code":"1","date_of_birth":"x"}`,
			1, true, []Path{{"last_name"}, {"postal_code"}, {"date_of_birth"}}},
		{"neither", `{"last_name":"D","postal_code":"1","locality":"L"}`, 0, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := q.Match([]Credential{sdjwt(idVCT, c.claims)})
			if res.Satisfied != c.ok {
				t.Fatalf("Satisfied = %v", res.Satisfied)
			}
			if !c.ok {
				return
			}
			m := res.Credentials[0].Matches[0]
			if m.ClaimSet != c.set || !reflect.DeepEqual(m.Disclose, c.dislose) {
				t.Fatalf("match = %+v, want set %d disclosing %v", m, c.set, c.dislose)
			}
		})
	}
}

func TestSpecValueMatching(t *testing.T) {
	t.Parallel()
	q := mustParse(t, specValueMatching)
	base := `"first_name":"J","address":{"street_address":"s"}`
	for claims, want := range map[string]bool{
		`{"last_name":"Doe","postal_code":"90211",` + base + `}`:   true,
		`{"last_name":"Doe","postal_code":"90212",` + base + `}`:   false,
		`{"last_name":"Smith","postal_code":"90210",` + base + `}`: false,
		`{"last_name":"Doe","postal_code":90210,` + base + `}`:     false, // type must match
	} {
		if got := q.Match([]Credential{sdjwt(idVCT, claims)}).Satisfied; got != want {
			t.Errorf("%s: Satisfied = %v, want %v", claims, got, want)
		}
	}
}

func claimQuery(t *testing.T, path string, values string) *Query {
	t.Helper()
	cl := `{"path":` + path
	if values != "" {
		cl += `,"values":` + values
	}
	cl += `}`
	return mustParse(t, `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]},
		"require_cryptographic_holder_binding":false,"claims":[`+cl+`]}]}`)
}

// The credential is the claims path pointer example of OpenID4VP 1.0
// section 7.3, plus a few fields for edge cases.
const pathCredential = `{
 "name":"Arthur Dent",
 "address":{"street_address":"42 Market Street","locality":"Milliways","postal_code":"12345"},
 "degrees":[{"type":"Bachelor of Science","university":"University of Betelgeuse"},
            {"type":"Master of Science","university":"University of Betelgeuse"}],
 "nationalities":["British","Betelgeusian"],
 "empty":[], "nothing":null, "age":42, "adult":true,
 "mixed":[{"type":"x"},{"other":1}],
 "scalars":[1,"two",3]}`

func TestPathsAndValues(t *testing.T) {
	t.Parallel()
	cred := Credential{Format: FormatSDJWT, VCT: "v"}
	if err := json.Unmarshal([]byte(pathCredential), &cred.Claims); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path, values string
		want         []Path // nil: not satisfied
	}{
		{`["name"]`, ``, []Path{{"name"}}},
		{`["address"]`, ``, []Path{{"address"}}},
		{`["address","street_address"]`, ``, []Path{{"address", "street_address"}}},
		{`["degrees",null,"type"]`, ``, []Path{{"degrees", 0, "type"}, {"degrees", 1, "type"}}},
		{`["nationalities",1]`, ``, []Path{{"nationalities", 1}}},
		{`["nationalities",2]`, ``, nil},
		{`["nationalities",null]`, `["Betelgeusian"]`, []Path{{"nationalities", 1}}},
		{`["degrees",null,"type"]`, `["Master of Science"]`, []Path{{"degrees", 1, "type"}}},
		{`["degrees",null,"type"]`, `["PhD"]`, nil},
		{`["mixed",null,"type"]`, ``, []Path{{"mixed", 0, "type"}}}, // missing keys drop elements
		{`["scalars",null,"type"]`, ``, nil},                        // non-object aborts
		{`["name",0]`, ``, nil},                                     // index into non-array aborts
		{`["name",null]`, ``, nil},
		{`["address",null]`, ``, nil},
		{`["empty",null]`, ``, nil}, // empty selection
		{`["nothing"]`, ``, nil},    // null counts as absent
		{`["missing"]`, ``, nil},
		{`["age"]`, `[42]`, []Path{{"age"}}},
		{`["age"]`, `["42"]`, nil},
		{`["age"]`, `[41, 42]`, []Path{{"age"}}},
		{`["adult"]`, `[true]`, []Path{{"adult"}}},
		{`["adult"]`, `[1]`, nil},
		{`["scalars",null]`, `[1,3]`, []Path{{"scalars", 0}, {"scalars", 2}}},
	}
	for _, c := range cases {
		t.Run(c.path+c.values, func(t *testing.T) {
			res := claimQuery(t, c.path, c.values).Match([]Credential{cred})
			if c.want == nil {
				if res.Satisfied {
					t.Fatalf("satisfied: %+v", res.Credentials[0].Matches)
				}
				return
			}
			if !res.Satisfied {
				t.Fatal("not satisfied")
			}
			if got := res.Credentials[0].Matches[0].Disclose; !reflect.DeepEqual(got, c.want) {
				t.Fatalf("Disclose = %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestNoClaimsDisclosesNothing(t *testing.T) {
	t.Parallel()
	q := mustParse(t, `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]}}]}`)
	res := q.Match([]Credential{{Format: FormatSDJWT, VCT: "v", HolderBinding: true}})
	if !res.Satisfied || res.Credentials[0].Matches[0].Disclose != nil || res.Credentials[0].Matches[0].ClaimSet != -1 {
		t.Fatalf("result = %+v", res)
	}
}

func TestMultipleMatchesAndAuthorities(t *testing.T) {
	t.Parallel()
	q := mustParse(t, `{"credentials":[{"id":"c","format":"dc+sd-jwt","multiple":true,"meta":{"vct_values":["v"]},
		"trusted_authorities":[{"type":"aki","values":["abc"]}]}]}`)
	trusted := Credential{Format: FormatSDJWT, VCT: "v", HolderBinding: true,
		Authorities: []TrustedAuthority{{Type: "aki", Values: []string{"zzz", "abc"}}}}
	other := trusted
	other.Authorities = []TrustedAuthority{{Type: "etsi_tl", Values: []string{"abc"}}}
	res := q.Match([]Credential{trusted, other, trusted})
	var got []int
	for _, m := range res.Credentials[0].Matches {
		got = append(got, m.Candidate)
	}
	if !reflect.DeepEqual(got, []int{0, 2}) {
		t.Fatalf("candidates = %v, want [0 2]", got)
	}
}

func TestUnsupportedFormatFailsClosed(t *testing.T) {
	t.Parallel()
	q := mustParse(t, `{"credentials":[{"id":"c","format":"jwt_vc_json","meta":{"type_values":[["X"]]}}]}`)
	if q.Match([]Credential{{Format: "jwt_vc_json", HolderBinding: true}}).Satisfied {
		t.Fatal("unsupported format matched")
	}
}

func TestInvalidQueries(t *testing.T) {
	t.Parallel()
	cred := func(extra string) string {
		return `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{"vct_values":["v"]}` + extra + `}]}`
	}
	cases := map[string]string{
		"not json":                  `{`,
		"not an object":             `[]`,
		"trailing data":             cred("") + `{}`,
		"no credentials":            `{}`,
		"empty credentials":         `{"credentials":[]}`,
		"missing id":                `{"credentials":[{"format":"dc+sd-jwt","meta":{"vct_values":["v"]}}]}`,
		"bad id":                    `{"credentials":[{"id":"a b","format":"dc+sd-jwt","meta":{"vct_values":["v"]}}]}`,
		"numeric id":                `{"credentials":[{"id":1,"format":"dc+sd-jwt","meta":{"vct_values":["v"]}}]}`,
		"duplicate ids":             `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}},{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}}]}`,
		"missing format":            `{"credentials":[{"id":"c","meta":{}}]}`,
		"missing meta":              `{"credentials":[{"id":"c","format":"dc+sd-jwt"}]}`,
		"sd-jwt without vct_values": `{"credentials":[{"id":"c","format":"dc+sd-jwt","meta":{}}]}`,
		"mdoc without doctype":      `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{}}]}`,
		"mdoc path of 3":            `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"},"claims":[{"path":["a","b","c"]}]}]}`,
		"mdoc path with null":       `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"},"claims":[{"path":["a",null]}]}]}`,
		"empty claims":              cred(`,"claims":[]`),
		"empty path":                cred(`,"claims":[{"path":[]}]`),
		"missing path":              cred(`,"claims":[{"id":"x"}]`),
		"negative index":            cred(`,"claims":[{"path":["a",-1]}]`),
		"fractional index":          cred(`,"claims":[{"path":["a",1.5]}]`),
		"object in path":            cred(`,"claims":[{"path":["a",{}]}]`),
		"bool in path":              cred(`,"claims":[{"path":[true]}]`),
		"empty values":              cred(`,"claims":[{"path":["a"],"values":[]}]`),
		"float value":               cred(`,"claims":[{"path":["a"],"values":[1.5]}]`),
		"null value":                cred(`,"claims":[{"path":["a"],"values":[null]}]`),
		"object value":              cred(`,"claims":[{"path":["a"],"values":[{}]}]`),
		"bad claim id":              cred(`,"claims":[{"id":"a.b","path":["a"]}]`),
		"duplicate claim ids":       cred(`,"claims":[{"id":"a","path":["a"]},{"id":"a","path":["b"]}]`),
		"claim_sets without ids":    cred(`,"claims":[{"id":"a","path":["a"]},{"path":["b"]}],"claim_sets":[["a"]]`),
		"claim_sets unknown id":     cred(`,"claims":[{"id":"a","path":["a"]}],"claim_sets":[["a","b"]]`),
		"claim_sets without claims": cred(`,"claim_sets":[["a"]]`),
		"empty claim_sets":          cred(`,"claims":[{"id":"a","path":["a"]}],"claim_sets":[]`),
		"empty claim set":           cred(`,"claims":[{"id":"a","path":["a"]}],"claim_sets":[[]]`),
		"empty trusted_authorities": cred(`,"trusted_authorities":[]`),
		"authority without values":  cred(`,"trusted_authorities":[{"type":"aki","values":[]}]`),
		"multiple not bool":         cred(`,"multiple":"yes"`),
		"empty credential_sets":     `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}}],"credential_sets":[]}`,
		"empty options":             `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}}],"credential_sets":[{"options":[]}]}`,
		"empty option":              `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}}],"credential_sets":[{"options":[[]]}]}`,
		"unknown credential in set": `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}}],"credential_sets":[{"options":[["d"]]}]}`,
		"required not bool":         `{"credentials":[{"id":"c","format":"mso_mdoc","meta":{"doctype_value":"d"}}],"credential_sets":[{"options":[["c"]],"required":"no"}]}`,
	}
	for name, s := range cases {
		if _, err := Parse([]byte(s)); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%s: err = %v, want ErrInvalidQuery", name, err)
		}
	}
	// Unknown properties must be ignored, per section 6.
	if _, err := Parse([]byte(cred(`,"future":{"x":1},"claims":[{"path":["a"],"intent_to_retain":true}]`))); err != nil {
		t.Errorf("unknown properties rejected: %v", err)
	}
}
