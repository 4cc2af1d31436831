package sdjwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
	"go.yaml.in/yaml/v3"
)

type yamlJWK struct {
	D, X, Y, Kid string
}

func (k yamlJWK) private(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	d, err := b64.DecodeString(k.D)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

type keySettings struct {
	IssuerKeys []yamlJWK `yaml:"issuer_keys"`
	HolderKey  yamlJWK   `yaml:"holder_key"`
}

type settings struct {
	Identifiers struct{ Issuer, Verifier string }
	KeySettings keySettings `yaml:"key_settings"`
	Nonce       string      `yaml:"key_binding_nonce"`
	Iat, Exp    int64
}

type testCase struct {
	UserClaims      yaml.Node      `yaml:"user_claims"`
	HolderDisclosed any            `yaml:"holder_disclosed_claims"`
	Expect          any            `yaml:"expect_verified_user_claims"`
	KeyBinding      bool           `yaml:"key_binding"`
	Serialization   string         `yaml:"serialization_format"`
	ExtraHeader     map[string]any `yaml:"extra_header_parameters"`
	Decoys          bool           `yaml:"add_decoy_claims"`
	DefaultClaims   *bool          `yaml:"include_default_claims"`
	Override        struct {
		keySettings `yaml:",inline"`
		KeySettings *keySettings `yaml:"key_settings"`
	} `yaml:"settings_override"`
}

func readYAML(t testing.TB, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestGolden issues, presents and verifies every case of the two test suites
// and compares the verified claims with the expected ones.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, suite := range []string{"python-testcases", "spec-examples"} {
		var set settings
		readYAML(t, filepath.Join("testdata", suite, "settings.yml"), &set)
		dirs, err := filepath.Glob(filepath.Join("testdata", suite, "*", "specification.yml"))
		if err != nil || len(dirs) == 0 {
			t.Fatalf("no cases in %s: %v", suite, err)
		}
		for _, spec := range dirs {
			name := suite + "/" + filepath.Base(filepath.Dir(spec))
			t.Run(name, func(t *testing.T) {
				var tc testCase
				readYAML(t, spec, &tc)
				runCase(t, set, &tc)
			})
		}
	}
}

func runCase(t *testing.T, set settings, tc *testCase) {
	keys := set.KeySettings
	if ov := tc.Override.KeySettings; ov != nil {
		keys = *ov
	} else if tc.Override.IssuerKeys != nil {
		keys.IssuerKeys = tc.Override.IssuerKeys
	}
	issuerKey := keys.IssuerKeys[0].private(t)
	holderKey := keys.HolderKey.private(t)
	user := &tc.UserClaims

	claims := map[string]any{}
	if tc.DefaultClaims == nil || *tc.DefaultClaims {
		claims = map[string]any{"iss": set.Identifiers.Issuer, "iat": set.Iat, "exp": set.Exp}
	}
	for k, v := range fromYAML(t, user).(map[string]any) {
		claims[k] = v
	}
	header := map[string]any{}
	for k, v := range tc.ExtraHeader {
		if _, isString := v.(string); k == "kid" && !isString {
			// RFC 7515 section 4.1.4 makes kid a string and jwx enforces it;
			// the Python suite writes kid: 42.
			is := Issuer{Key: issuerKey, Header: map[string]any{k: v}}
			if _, err := is.Issue(claims, nil); err == nil {
				t.Errorf("Issue accepted a non-string kid %v", v)
			}
			v = fmt.Sprint(v)
		}
		header[k] = v
	}
	if keys.IssuerKeys[0].Kid != "" {
		header["kid"] = keys.IssuerKeys[0].Kid
	}
	is := Issuer{Key: issuerKey, Header: header, Rand: seeded(1)}
	if tc.Decoys {
		is.Decoys = 4
	}
	var holder crypto.PublicKey
	if tc.KeyBinding {
		holder = holderKey.Public()
	}
	sdjwt, err := is.Issue(claims, holder)
	if err != nil {
		t.Fatal(err)
	}
	switch tc.Serialization {
	case "", "compact":
	case "json":
		sdjwt = toJSON(t, sdjwt, keys.IssuerKeys)
	default:
		t.Fatalf("unknown serialization %q", tc.Serialization)
	}

	now := time.Unix(set.Iat, 0)
	var kb *KeyBinding
	if tc.KeyBinding {
		kb = &KeyBinding{Key: holderKey, Audience: set.Identifiers.Verifier, Nonce: set.Nonce, IssuedAt: now}
	}
	pres, err := Present(sdjwt, keepFromYAML(tc.HolderDisclosed), kb)
	if err != nil {
		t.Fatal(err)
	}
	if tc.Serialization == "json" && !strings.HasPrefix(pres, "{") {
		t.Fatalf("JSON SD-JWT presented as %q", pres)
	}
	lookup := map[string]*ecdsa.PublicKey{}
	for _, k := range keys.IssuerKeys {
		lookup[k.Kid] = k.private(t).Public().(*ecdsa.PublicKey)
	}
	got, err := Verify(context.Background(), pres, &VerifyOptions{
		IssuerKey: func(_ context.Context, _ string, h map[string]any) (crypto.PublicKey, error) {
			kid, _ := h["kid"].(string)
			if k := lookup[kid]; k != nil {
				return k, nil
			}
			if kid != "" && len(keys.IssuerKeys) == 1 {
				return lookup[""], nil
			}
			return nil, errors.New("no such key")
		},
		RequireKeyBinding: tc.KeyBinding,
		Audience:          set.Identifiers.Verifier,
		Nonce:             set.Nonce,
		Now:               func() time.Time { return now.Add(time.Minute) },
	})
	if err != nil {
		t.Fatal(err)
	}

	want := expectFromYAML(t, user, tc.HolderDisclosed).(map[string]any)
	if tc.Expect != nil && !jsonEqual(want, tc.Expect) {
		t.Fatalf("reference selection disagrees with the suite:\n got %s\nwant %s", js(want), js(tc.Expect))
	}
	for k, v := range claims {
		if _, isSD := v.(Disclosable); !isSD {
			if _, ok := want[k]; !ok {
				want[k] = v
			}
		}
	}
	if tc.KeyBinding {
		jwk, err := publicJWK(holderKey.Public())
		if err != nil {
			t.Fatal(err)
		}
		want["cnf"] = map[string]any{"jwk": jwk}
	}
	if !jsonEqual(got, want) {
		t.Errorf("verified claims\n got %s\nwant %s", js(got), js(want))
	}
}

// toJSON rewrites a compact SD-JWT in the JSON serialization: flattened for
// one issuer key, general with one signature per key otherwise.
func toJSON(t *testing.T, compactSDJWT string, keys []yamlJWK) string {
	parts := strings.Split(compactSDJWT, "~")
	jwt := strings.Split(parts[0], ".")
	disclosures, _ := json.Marshal(parts[1 : len(parts)-1])
	first := map[string]any{
		"protected": jwt[0], "signature": jwt[2],
		"header": map[string]any{"disclosures": json.RawMessage(disclosures)},
	}
	if len(keys) == 1 {
		first["payload"] = jwt[1]
		return js(first)
	}
	payload, err := b64.DecodeString(jwt[1])
	if err != nil {
		t.Fatal(err)
	}
	sigs := []any{first}
	for _, k := range keys[1:] {
		h := jws.NewHeaders()
		if err := h.Set(jws.KeyIDKey, k.Kid); err != nil {
			t.Fatal(err)
		}
		signed, err := jws.Sign(payload, jws.WithKey(jwa.ES256(), k.private(t), jws.WithProtectedHeaders(h)))
		if err != nil {
			t.Fatal(err)
		}
		p := strings.Split(string(signed), ".")
		if p[1] != jwt[1] {
			t.Fatal("payload re-encoded differently")
		}
		sigs = append(sigs, map[string]any{"protected": p[0], "signature": p[2], "header": map[string]any{"kid": k.Kid}})
	}
	return js(map[string]any{"payload": jwt[1], "signatures": sigs})
}

const sdTag = "!sd"

// fromYAML turns YAML into claims, wrapping the values the suite tags !sd
// (on a property's key or on an array element) in Disclosable.
func fromYAML(t testing.TB, n *yaml.Node) any {
	t.Helper()
	var v any
	switch n.Kind {
	case yaml.AliasNode:
		return fromYAML(t, n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			v := fromYAML(t, val)
			if k.Tag == sdTag {
				v = SD(v)
			}
			m[k.Value] = v
		}
		v = m
	case yaml.SequenceNode:
		s := []any{}
		for _, e := range n.Content {
			s = append(s, fromYAML(t, e))
		}
		v = s
	default:
		v = scalar(t, n)
	}
	if n.Tag == sdTag && n.Kind != yaml.AliasNode {
		return SD(v)
	}
	return v
}

func scalar(t testing.TB, n *yaml.Node) any {
	c := *n
	if c.Tag == sdTag {
		c.Tag = ""
	}
	var v any
	if err := c.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// step follows one path element into the holder_disclosed_claims tree.
func step(hdc any, p any) any {
	switch h := hdc.(type) {
	case map[string]any:
		if k, ok := p.(string); ok {
			return h[k]
		}
	case []any:
		if i, ok := p.(int); ok && i < len(h) {
			return h[i]
		}
	}
	return nil
}

// truthy is Python's truth value, which sd-jwt-python's holder applies to
// object properties; array elements are disclosed unless False or None.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case int:
		return v != 0
	case float64:
		return v != 0
	case string:
		return v != ""
	case map[string]any:
		return len(v) > 0
	case []any:
		return len(v) > 0
	}
	return true
}

func disclosed(hdc any, last any) bool {
	if _, isIndex := last.(int); isIndex {
		return hdc != nil && hdc != false
	}
	return truthy(hdc)
}

func keepFromYAML(hdc any) func([]any) bool {
	return func(path []any) bool {
		cur := hdc
		for _, p := range path {
			cur = step(cur, p)
		}
		return disclosed(cur, path[len(path)-1])
	}
}

// expectFromYAML computes, independently of SD-JWT processing, what a
// verifier must see: the user claims less the !sd ones not disclosed.
func expectFromYAML(t testing.TB, n *yaml.Node, hdc any) any {
	switch n.Kind {
	case yaml.AliasNode:
		return expectFromYAML(t, n.Alias, hdc)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			sub := step(hdc, k.Value)
			if (k.Tag == sdTag || val.Tag == sdTag) && !disclosed(sub, k.Value) {
				continue
			}
			m[k.Value] = expectFromYAML(t, val, sub)
		}
		return m
	case yaml.SequenceNode:
		s := []any{}
		for i, e := range n.Content {
			sub := step(hdc, i)
			if e.Tag == sdTag && !disclosed(sub, i) {
				continue
			}
			s = append(s, expectFromYAML(t, e, sub))
		}
		return s
	default:
		return scalar(t, n)
	}
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func jsonEqual(a, b any) bool {
	var x, y any
	if json.Unmarshal([]byte(js(a)), &x) != nil || json.Unmarshal([]byte(js(b)), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// seeded is a deterministic salt source for tests.
func seeded(seed uint64) *chachaReader {
	return &chachaReader{r: rand.NewChaCha8([32]byte{byte(seed)})}
}

type chachaReader struct{ r *rand.ChaCha8 }

func (c *chachaReader) Read(p []byte) (int, error) { return c.r.Read(p) }
