package sdjwt

// Interoperability with an independent implementation: the OpenWallet
// Foundation's @sd-jwt/sd-jwt-vc 0.19.0, run under Node through
// tools/interop/sdjwt.mjs (stdin/stdout JSON, no network). Install it with
// `bash tools/interop/install.sh`; without Node or that install these tests
// skip, except under CI=true, where they fail.

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/interoptest"
)

const (
	interopIss = "https://maeul.example"
	interopVCT = "urn:maeul:citizen-card:1"
	interopAud = "https://verifier.interop.example"
)

// runNode sends in as JSON to `node sdjwt.mjs cmd` and decodes its answer
// into out, numbers as json.Number like Verify's.
func runNode(t testing.TB, cmd string, in, out any) {
	t.Helper()
	interoptest.Run(t, sdjwtPkg, "sdjwt.mjs", cmd, in, out)
}

const sdjwtPkg = "@sd-jwt/sd-jwt-vc"

func publicJWKMap(t testing.TB, k *ecdsa.PublicKey) map[string]any {
	t.Helper()
	j, err := publicJWK(k)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"kty": j.Kty, "crv": j.Crv, "x": j.X, "y": j.Y}
}

func privateJWKMap(t testing.TB, k *ecdsa.PrivateKey) map[string]any {
	t.Helper()
	m := publicJWKMap(t, &k.PublicKey)
	d, err := k.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	m["d"] = b64.EncodeToString(d)
	return m
}

type nodeVerifyReq struct {
	Presentation string         `json:"presentation"`
	IssuerJWK    map[string]any `json:"issuerJwk"`
	HolderNonce  string         `json:"holderNonce"`
	Audience     string         `json:"audience"`
	RequireKB    bool           `json:"requireKB"`
	Types        []string       `json:"types,omitempty"`
}

type nodeVerifyRes struct {
	OK     bool           `json:"ok"`
	Claims map[string]any `json:"claims"`
	Header map[string]any `json:"header"`
	Error  string         `json:"error"`
}

// interopKeys are an issuer and a holder key, made here and handed to Node
// as JWKs, so that either side can play either role.
type interopKeys struct{ issuer, holder *ecdsa.PrivateKey }

func newInteropKeys(t testing.TB) interopKeys {
	return interopKeys{issuer: newKey(t), holder: newKey(t)}
}

func (k interopKeys) verifyReq(pres string) nodeVerifyReq {
	return nodeVerifyReq{Presentation: pres, HolderNonce: nonce, Audience: interopAud, RequireKB: true}
}

func (k interopKeys) nodeVerify(t testing.TB, reqs ...nodeVerifyReq) []nodeVerifyRes {
	t.Helper()
	for i := range reqs {
		reqs[i].IssuerJWK = publicJWKMap(t, &k.issuer.PublicKey)
	}
	var res []nodeVerifyRes
	runNode(t, "verify", reqs, &res)
	if len(res) != len(reqs) {
		t.Fatalf("node verify answered %d of %d requests", len(res), len(reqs))
	}
	return res
}

func (k interopKeys) goOpts(types ...string) *VerifyOptions {
	return &VerifyOptions{
		IssuerKey: func(_ context.Context, iss string, _ map[string]any) (crypto.PublicKey, error) {
			if iss != interopIss {
				return nil, errors.New("unknown issuer")
			}
			return &k.issuer.PublicKey, nil
		},
		Types:             types,
		RequireKeyBinding: true,
		Audience:          interopAud,
		Nonce:             nonce,
		Skew:              30 * time.Second,
	}
}

// interopCard is a citizen card with ten selectively disclosable claims,
// nested ones in address and disclosable array elements; times are current
// because Node checks them against its own clock.
func interopCard() map[string]any {
	now := time.Now()
	return map[string]any{
		"iss": interopIss, "vct": interopVCT,
		"iat": now.Unix(), "exp": now.Add(365 * 24 * time.Hour).Unix(),
		"given_name": SD("Minji"), "family_name": SD("Kim"), "birthdate": SD("1990-04-01"),
		"age_over_18": SD(true), "citizen_id": SD("M-2026-00042"), "email": SD("minji@example.org"),
		"address": SD(map[string]any{
			"locality": SD("Seoul"), "street_address": SD("1 Sejong-daero"), "country": "KR",
		}),
		"nationalities": []any{SD("KR"), SD("CA")},
	}
}

// nodeCard is the same card for @sd-jwt/sd-jwt-vc: plain claims and a
// disclosure frame (vct and cnf are added by sdjwt.mjs issue).
func nodeCard() (claims, frame map[string]any) {
	now := time.Now()
	claims = map[string]any{
		"iss": interopIss, "iat": now.Unix(), "exp": now.Add(365 * 24 * time.Hour).Unix(),
		"given_name": "Minji", "family_name": "Kim", "birthdate": "1990-04-01",
		"age_over_18": true, "citizen_id": "M-2026-00042", "email": "minji@example.org",
		"address":       map[string]any{"locality": "Seoul", "street_address": "1 Sejong-daero", "country": "KR"},
		"nationalities": []any{"KR", "CA"},
	}
	frame = map[string]any{
		"_sd":           []any{"given_name", "family_name", "birthdate", "age_over_18", "citizen_id", "email", "address"},
		"address":       map[string]any{"_sd": []any{"locality", "street_address"}},
		"nationalities": map[string]any{"_sd": []any{0, 1}},
		"_sd_decoy":     2,
	}
	return claims, frame
}

func (k interopKeys) nodeIssue(t testing.TB, typ string) string {
	t.Helper()
	claims, frame := nodeCard()
	var out struct {
		SDJWT string `json:"sdjwt"`
	}
	runNode(t, "issue", map[string]any{
		"claims": claims, "disclosureFrame": frame, "vct": interopVCT, "typ": typ,
		"issuerJwkPrivate": privateJWKMap(t, k.issuer), "holderJwkPublic": publicJWKMap(t, &k.holder.PublicKey),
	}, &out)
	return out.SDJWT
}

// checkDisclosed asserts that claims hold the always-visible claims, exactly
// the wanted disclosures (wantAddress as the disclosed part of address,
// wantNationalities as the disclosed elements) and no SD-JWT internals.
func checkDisclosed(t testing.TB, who string, claims map[string]any, top []string, wantAddress map[string]any, wantNationalities []any) {
	t.Helper()
	want := []string{"address", "cnf", "exp", "iat", "iss", "nationalities", "vct"}
	want = append(want, top...)
	slices.Sort(want)
	var got []string
	for k := range claims {
		got = append(got, k)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: claims %v, want %v", who, got, want)
	}
	if !jsonEqual(claims["address"], wantAddress) {
		t.Errorf("%s: address = %s, want %s", who, js(claims["address"]), js(wantAddress))
	}
	if !jsonEqual(claims["nationalities"], wantNationalities) {
		t.Errorf("%s: nationalities = %s, want %s", who, js(claims["nationalities"]), js(wantNationalities))
	}
	if s := js(claims); strings.Contains(s, `"_sd`) || strings.Contains(s, `"..."`) {
		t.Errorf("%s: SD-JWT internals left in claims: %s", who, s)
	}
}

// (a) Maeul issues and presents (key bound, two of ten disclosable claims,
// one of them nested); @sd-jwt verifies and sees exactly those claims, and
// the same payload as our Verify.
func TestInteropGoIssueNodeVerify(t *testing.T) {
	t.Parallel()
	interoptest.Require(t, sdjwtPkg)
	k := newInteropKeys(t)
	is := Issuer{Key: k.issuer, Header: map[string]any{"typ": TypeVC}, Decoys: 3}
	sdjwt, err := is.Issue(interopCard(), &k.holder.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pres, err := Present(sdjwt, Paths([]any{"given_name"}, []any{"address", "locality"}),
		&KeyBinding{Key: k.holder, Audience: interopAud, Nonce: nonce})
	if err != nil {
		t.Fatal(err)
	}
	ours, err := Verify(context.Background(), pres, k.goOpts(TypeVC))
	if err != nil {
		t.Fatalf("our Verify: %v", err)
	}

	ok := k.verifyReq(pres)
	wrongNonce, wrongAud := ok, ok
	wrongNonce.HolderNonce = "another-session"
	wrongAud.Audience = "https://elsewhere.example"
	res := k.nodeVerify(t, ok, wrongNonce, wrongAud)
	if !res[0].OK {
		t.Fatalf("@sd-jwt rejected our presentation: %s", res[0].Error)
	}
	if typ := res[0].Header["typ"]; typ != TypeVC {
		t.Errorf("@sd-jwt saw typ %v", typ)
	}
	checkDisclosed(t, "@sd-jwt", res[0].Claims, []string{"given_name"}, map[string]any{"locality": "Seoul", "country": "KR"}, []any{})
	checkDisclosed(t, "ours", ours, []string{"given_name"}, map[string]any{"locality": "Seoul", "country": "KR"}, []any{})
	if !jsonEqual(res[0].Claims, ours) {
		t.Errorf("payloads differ:\n@sd-jwt %s\nours    %s", js(res[0].Claims), js(ours))
	}
	// The driver really checks key binding: a nonce or audience other than
	// the KB-JWT's is refused.
	if res[1].OK {
		t.Error("@sd-jwt accepted the presentation with a wrong nonce")
	}
	if res[2].OK {
		t.Error("@sd-jwt accepted the presentation with a wrong audience")
	}
}

// (b) @sd-jwt issues and presents; our Verify accepts it and gets the same
// claims as @sd-jwt's own verification, for typ dc+sd-jwt and the older
// vc+sd-jwt that the library can still be told to emit.
func TestInteropNodeIssueGoVerify(t *testing.T) {
	t.Parallel()
	interoptest.Require(t, sdjwtPkg)
	k := newInteropKeys(t)
	typs := []string{TypeVC, "vc+sd-jwt"}
	var issueReqs, presentReqs []map[string]any
	claims, frame := nodeCard()
	for _, typ := range typs {
		issueReqs = append(issueReqs, map[string]any{
			"claims": claims, "disclosureFrame": frame, "vct": interopVCT, "typ": typ,
			"issuerJwkPrivate": privateJWKMap(t, k.issuer), "holderJwkPublic": publicJWKMap(t, &k.holder.PublicKey),
		})
	}
	var issued []struct {
		SDJWT string `json:"sdjwt"`
	}
	runNode(t, "issue", issueReqs, &issued)
	for _, is := range issued {
		presentReqs = append(presentReqs, map[string]any{
			"sdjwt": is.SDJWT, "holderJwkPrivate": privateJWKMap(t, k.holder), "nonce": nonce, "aud": interopAud,
			"presentationFrame": map[string]any{
				"given_name": true, "age_over_18": true,
				"address": map[string]any{"locality": true}, "nationalities": map[string]any{"1": true},
			},
		})
	}
	var presented []struct {
		Presentation string `json:"presentation"`
	}
	runNode(t, "present", presentReqs, &presented)
	var vreqs []nodeVerifyReq
	for _, p := range presented {
		vreqs = append(vreqs, k.verifyReq(p.Presentation))
	}
	theirs := k.nodeVerify(t, vreqs...)

	for i, typ := range typs {
		t.Run(typ, func(t *testing.T) {
			pres := presented[i].Presentation
			if !theirs[i].OK {
				t.Fatalf("@sd-jwt rejected its own presentation: %s", theirs[i].Error)
			}
			if got := theirs[i].Header["typ"]; got != typ {
				t.Fatalf("@sd-jwt issued typ %v, want %s", got, typ)
			}
			// dc+sd-jwt only: a vc+sd-jwt credential must be refused when
			// only the current type is accepted.
			_, err := Verify(context.Background(), pres, k.goOpts(TypeVC))
			if typ != TypeVC {
				if !errors.Is(err, ErrType) {
					t.Errorf("Types [%s] accepted typ %s: err = %v", TypeVC, typ, err)
				}
			} else if err != nil {
				t.Fatalf("our Verify: %v", err)
			}
			ours, err := Verify(context.Background(), pres, k.goOpts(TypeVC, "vc+sd-jwt"))
			if err != nil {
				t.Fatalf("our Verify: %v", err)
			}
			want := map[string]any{"locality": "Seoul", "country": "KR"}
			checkDisclosed(t, "ours", ours, []string{"given_name", "age_over_18"}, want, []any{"CA"})
			if !jsonEqual(theirs[i].Claims, ours) {
				t.Errorf("payloads differ:\n@sd-jwt %s\nours    %s", js(theirs[i].Claims), js(ours))
			}
		})
	}
}

// (c) @sd-jwt issues; we present with key binding; @sd-jwt verifies.
func TestInteropNodeIssueGoPresent(t *testing.T) {
	t.Parallel()
	interoptest.Require(t, sdjwtPkg)
	k := newInteropKeys(t)
	sdjwt := k.nodeIssue(t, "")
	pres, err := Present(sdjwt, Paths([]any{"family_name"}, []any{"address", "street_address"}, []any{"nationalities", 0}),
		&KeyBinding{Key: k.holder, Audience: interopAud, Nonce: nonce})
	if err != nil {
		t.Fatalf("Present of an @sd-jwt credential: %v", err)
	}
	ours, err := Verify(context.Background(), pres, k.goOpts(TypeVC))
	if err != nil {
		t.Fatalf("our Verify: %v", err)
	}
	res := k.nodeVerify(t, k.verifyReq(pres))
	if !res[0].OK {
		t.Fatalf("@sd-jwt rejected our presentation of its credential: %s", res[0].Error)
	}
	want := map[string]any{"street_address": "1 Sejong-daero", "country": "KR"}
	checkDisclosed(t, "@sd-jwt", res[0].Claims, []string{"family_name"}, want, []any{"KR"})
	checkDisclosed(t, "ours", ours, []string{"family_name"}, want, []any{"KR"})
	if !jsonEqual(res[0].Claims, ours) {
		t.Errorf("payloads differ:\n@sd-jwt %s\nours    %s", js(res[0].Claims), js(ours))
	}
}

// tamper rewrites the value of the named disclosure in a presentation,
// keeping its salt, and drops the key binding JWT.
func tamper(t testing.TB, pres, name string, value any) string {
	t.Helper()
	parts := strings.Split(pres, "~")
	for i := 1; i < len(parts)-1; i++ {
		raw, err := b64.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		var d []any
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		if len(d) == 3 && d[1] == name {
			parts[i] = encodeDisclosure(d[0], name, value)
			parts[len(parts)-1] = ""
			return strings.Join(parts, "~")
		}
	}
	t.Fatalf("no disclosure of %q in the presentation", name)
	return ""
}

// rebindNow signs a fresh KB-JWT over pres (which ends in "~"), as a
// holder who tampered with a disclosure would.
func rebindNow(t testing.TB, pres string, key *ecdsa.PrivateKey) string {
	return pres + signJWT(t, key, map[string]any{"typ": typeKB}, map[string]any{
		"iat": time.Now().Unix(), "aud": interopAud, "nonce": nonce, "sd_hash": digest(pres),
	})
}

// (d) A disclosure whose value was changed after issuance no longer matches
// any digest. With the original KB-JWT its sd_hash breaks too; with a KB-JWT
// re-signed by the holder only the digest check can catch it.
func TestInteropTamperedDisclosure(t *testing.T) {
	t.Parallel()
	interoptest.Require(t, sdjwtPkg)
	k := newInteropKeys(t)
	goIssued, err := (&Issuer{Key: k.issuer, Header: map[string]any{"typ": TypeVC}}).Issue(interopCard(), &k.holder.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	nodeIssued := k.nodeIssue(t, "")
	kb := &KeyBinding{Key: k.holder, Audience: interopAud, Nonce: nonce}
	type tc struct{ name, pres string }
	var cases []tc
	for _, src := range []struct{ name, sdjwt string }{{"ours", goIssued}, {"@sd-jwt", nodeIssued}} {
		pres, err := Present(src.sdjwt, Paths([]any{"given_name"}, []any{"age_over_18"}), kb)
		if err != nil {
			t.Fatal(err)
		}
		bad := tamper(t, pres, "given_name", "Mallory")
		kbJWT := pres[strings.LastIndex(pres, "~")+1:]
		cases = append(cases,
			tc{src.name + " issued, original KB-JWT", bad + kbJWT},
			tc{src.name + " issued, KB-JWT re-signed", rebindNow(t, bad, k.holder)})
	}
	var reqs []nodeVerifyReq
	for _, c := range cases {
		reqs = append(reqs, k.verifyReq(c.pres))
	}
	theirs := k.nodeVerify(t, reqs...)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, err := Verify(context.Background(), c.pres, k.goOpts(TypeVC)); err == nil {
				t.Errorf("our Verify accepted a tampered disclosure: %s", js(got))
			} else {
				t.Logf("ours: %v", err)
			}
			switch r := theirs[i]; {
			case !r.OK:
				t.Logf("@sd-jwt: %s", r.Error)
			case r.Claims["given_name"] == "Mallory":
				t.Errorf("@sd-jwt accepted the tampered value: %s", js(r.Claims))
			default:
				// @sd-jwt/decode skips disclosures that no digest
				// references instead of rejecting the SD-JWT as RFC 9901
				// section 7.1 requires; the tampered claim is dropped, not
				// believed. A finding about the library, not about us.
				t.Logf("@sd-jwt accepted the presentation, dropping the unreferenced disclosure (claims %s)", js(r.Claims))
			}
		})
	}
}

// (e) Side by side timing of one verification (issuer signature, two
// disclosures, key binding) of the same presentation. Reported, not
// asserted; under -race the Go figure is several times its normal value.
func TestInteropVerifyTiming(t *testing.T) {
	t.Parallel()
	interoptest.Require(t, sdjwtPkg)
	k := newInteropKeys(t)
	sdjwt, err := (&Issuer{Key: k.issuer, Header: map[string]any{"typ": TypeVC}, Decoys: 3}).Issue(interopCard(), &k.holder.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pres, err := Present(sdjwt, Paths([]any{"given_name"}, []any{"address", "locality"}),
		&KeyBinding{Key: k.holder, Audience: interopAud, Nonce: nonce})
	if err != nil {
		t.Fatal(err)
	}
	const n = 1000
	var node struct {
		NsPerOp float64 `json:"nsPerOp"`
	}
	runNode(t, "bench", map[string]any{
		"presentation": pres, "issuerJwk": publicJWKMap(t, &k.issuer.PublicKey),
		"nonce": nonce, "aud": interopAud, "n": n,
	}, &node)

	opts := k.goOpts(TypeVC)
	ctx := context.Background()
	for range 50 {
		if _, err := Verify(ctx, pres, opts); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	for range n {
		if _, err := Verify(ctx, pres, opts); err != nil {
			t.Fatal(err)
		}
	}
	goNs := float64(time.Since(start).Nanoseconds()) / n
	race := ""
	if raceEnabled() {
		race = " (Go built with -race: its figure is inflated)"
	}
	t.Logf("verify, %d runs: @sd-jwt/sd-jwt-vc on Node %.0f ns/op, internal/sdjwt %.0f ns/op, Node/Go = %.2f%s",
		n, node.NsPerOp, goNs, node.NsPerOp/goNs, race)
}

func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" && s.Value == "true" {
			return true
		}
	}
	return false
}
