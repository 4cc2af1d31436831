package holder

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

const preAuthorizedGrant = "urn:ietf:params:oauth:grant-type:pre-authorized_code"

// Client is how the holder reaches issuers and verifiers.
type Client struct {
	HTTP *http.Client
	// AllowHTTP lets did:web and metadata resolve over plain http, for a
	// platform on loopback in development and tests.
	AllowHTTP bool
	Now       func() time.Time
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// Offer is a parsed credential offer.
type Offer struct {
	Issuer         string   `json:"credential_issuer"`
	Configurations []string `json:"credential_configuration_ids"`
	Grants         map[string]struct {
		Code   string          `json:"pre-authorized_code"`
		TxCode json.RawMessage `json:"tx_code"`
	} `json:"grants"`
}

// ParseOffer reads a credential offer link: openid-credential-offer://…,
// or the https link of a web wallet, with the offer by value.
func ParseOffer(link string) (Offer, error) {
	var o Offer
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return o, fmt.Errorf("holder: the offer is not a link: %w", err)
	}
	raw := u.Query().Get("credential_offer")
	if raw == "" {
		return o, fmt.Errorf("holder: the link carries no credential_offer")
	}
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		return o, fmt.Errorf("holder: the credential offer is not JSON: %w", err)
	}
	if o.Issuer == "" || o.Grants[preAuthorizedGrant].Code == "" || len(o.Configurations) == 0 {
		return o, fmt.Errorf("holder: the offer has no issuer, configuration or pre-authorized code")
	}
	return o, nil
}

// ProtocolError is an error response of an issuer or verifier.
type ProtocolError struct {
	Status      int
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Description)
}

// call sends a request and decodes a JSON answer into out; an error
// status becomes a *ProtocolError.
func (c *Client) call(ctx context.Context, method, target string, body io.Reader, header map[string]string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		pe := &ProtocolError{Status: resp.StatusCode}
		json.Unmarshal(raw, pe)
		return pe
	}
	if s, ok := out.(*string); ok {
		*s = string(raw)
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("holder: %s answered no JSON: %w", target, err)
	}
	return nil
}

func (c *Client) checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(c.AllowHTTP && u.Scheme == "http")) {
		return fmt.Errorf("holder: %q is not an https URL", raw)
	}
	return nil
}

// Receive redeems an offer with its PIN and adds the batch of cards it
// yields, each bound to a fresh P-256 key, to the wallet. It returns how
// many cards arrived.
func (c *Client) Receive(ctx context.Context, w *Wallet, offer Offer, pin string) (int, error) {
	if err := c.checkURL(offer.Issuer); err != nil {
		return 0, err
	}
	var meta struct {
		Issuer      string   `json:"credential_issuer"`
		AuthServers []string `json:"authorization_servers"`
		Credential  string   `json:"credential_endpoint"`
		Nonce       string   `json:"nonce_endpoint"`
		Batch       struct {
			Size int `json:"batch_size"`
		} `json:"batch_credential_issuance"`
	}
	if err := c.call(ctx, http.MethodGet, offer.Issuer+"/.well-known/openid-credential-issuer", nil, nil, &meta); err != nil {
		return 0, err
	}
	if meta.Issuer != offer.Issuer {
		return 0, fmt.Errorf("holder: the metadata names issuer %q, the offer %q", meta.Issuer, offer.Issuer)
	}
	as := offer.Issuer
	if len(meta.AuthServers) > 0 {
		as = meta.AuthServers[0]
	}
	var asMeta struct {
		Token string `json:"token_endpoint"`
	}
	if err := c.call(ctx, http.MethodGet, as+"/.well-known/oauth-authorization-server", nil, nil, &asMeta); err != nil {
		return 0, err
	}
	for _, u := range []string{asMeta.Token, meta.Credential, meta.Nonce} {
		if err := c.checkURL(u); err != nil {
			return 0, err
		}
	}
	// The access token is bound to a key of this session by DPoP, so that
	// it is worthless to anyone who sees it.
	dpopKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return 0, err
	}
	form := url.Values{"grant_type": {preAuthorizedGrant}, "pre-authorized_code": {offer.Grants[preAuthorizedGrant].Code}, "tx_code": {pin}}
	proof, err := c.dpop(dpopKey, http.MethodPost, asMeta.Token, "")
	if err != nil {
		return 0, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		Type        string `json:"token_type"`
	}
	if err := c.call(ctx, http.MethodPost, asMeta.Token, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "DPoP": proof}, &tok); err != nil {
		return 0, err
	}
	var nonce struct {
		CNonce string `json:"c_nonce"`
	}
	if err := c.call(ctx, http.MethodPost, meta.Nonce, nil, nil, &nonce); err != nil {
		return 0, err
	}
	n := max(meta.Batch.Size, 1)
	keys := make([]*ecdsa.PrivateKey, n)
	proofs := make([]string, n)
	for i := range keys {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return 0, err
		}
		keys[i] = k
		if proofs[i], err = c.proof(k, offer.Issuer, nonce.CNonce); err != nil {
			return 0, err
		}
	}
	body, _ := json.Marshal(map[string]any{"credential_configuration_id": offer.Configurations[0], "proofs": map[string]any{"jwt": proofs}})
	var creds struct {
		Credentials []struct {
			Credential string `json:"credential"`
		} `json:"credentials"`
	}
	header := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + tok.AccessToken}
	if strings.EqualFold(tok.Type, "DPoP") {
		if header["DPoP"], err = c.dpop(dpopKey, http.MethodPost, meta.Credential, tok.AccessToken); err != nil {
			return 0, err
		}
		header["Authorization"] = "DPoP " + tok.AccessToken
	}
	if err := c.call(ctx, http.MethodPost, meta.Credential, strings.NewReader(string(body)), header, &creds); err != nil {
		return 0, err
	}
	if len(creds.Credentials) != n {
		return 0, fmt.Errorf("holder: asked for %d cards, received %d", n, len(creds.Credentials))
	}
	for i, cr := range creds.Credentials {
		der, err := x509.MarshalPKCS8PrivateKey(keys[i])
		if err != nil {
			return 0, err
		}
		w.Cards = append(w.Cards, Card{Credential: cr.Credential, Key: der, Issuer: offer.Issuer, ReceivedAt: c.now().UTC()})
	}
	return n, nil
}

// proof is an openid4vci-proof+jwt: possession of k, for this issuer and
// nonce.
func (c *Client) proof(k *ecdsa.PrivateKey, issuer, nonce string) (string, error) {
	return selfSigned(k, "openid4vci-proof+jwt", map[string]any{"aud": issuer, "iat": c.now().Unix(), "nonce": nonce})
}

// dpop is a DPoP proof (RFC 9449) of k for one request; ath binds it to an
// access token.
func (c *Client) dpop(k *ecdsa.PrivateKey, method, target, accessToken string) (string, error) {
	claims := map[string]any{"jti": rand.Text(), "htm": method, "htu": target, "iat": c.now().Unix()}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims["ath"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return selfSigned(k, "dpop+jwt", claims)
}

// selfSigned is a JWS of type typ signed by k, with k's public half in its
// jwk header.
func selfSigned(k *ecdsa.PrivateKey, typ string, claims map[string]any) (string, error) {
	pub, err := jwk.Import(k.Public())
	if err != nil {
		return "", err
	}
	h := jws.NewHeaders()
	h.Set("typ", typ)
	h.Set("jwk", pub)
	payload, _ := json.Marshal(claims)
	out, err := jws.Sign(payload, jws.WithKey(jwa.ES256(), k, jws.WithProtectedHeaders(h)))
	return string(out), err
}
