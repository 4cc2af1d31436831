package holder

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/maeul/maeul/internal/dcql"
	"github.com/maeul/maeul/internal/sdjwt"
)

// Request is a verifier's request whose signature the holder checked.
type Request struct {
	ClientID    string
	Nonce       string
	State       string
	ResponseURI string
	Query       *dcql.Query
	Names       map[string]string // the verifier's name by language ("" = default)
	Purposes    map[string]string
	ExpiresAt   time.Time
}

// Name is the verifier's name in lang.
func (r *Request) Name(lang string) string { return pick(r.Names, lang) }

// Purpose is why the verifier asks, in lang.
func (r *Request) Purpose(lang string) string { return pick(r.Purposes, lang) }

func pick(m map[string]string, lang string) string {
	if v := m[lang]; v != "" {
		return v
	}
	return m[""]
}

const didPrefix = "decentralized_identifier:"

// FetchRequest reads an OpenID4VP link (openid4vp://?client_id=…&request_uri=…,
// or a web wallet's https link with the same parameters), fetches the
// request object and checks it: signed by a key of the client's did:web,
// for this client, answered by direct_post, not expired.
func (c *Client) FetchRequest(ctx context.Context, link string) (*Request, error) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return nil, fmt.Errorf("holder: the request is not a link: %w", err)
	}
	clientID, requestURI := u.Query().Get("client_id"), u.Query().Get("request_uri")
	did, ok := strings.CutPrefix(clientID, didPrefix)
	if !ok || requestURI == "" {
		return nil, errors.New("holder: the link needs a decentralized_identifier client_id and a request_uri")
	}
	if err := c.checkURL(requestURI); err != nil {
		return nil, err
	}
	var obj string
	if err := c.call(ctx, http.MethodGet, requestURI, nil, map[string]string{"Accept": "application/oauth-authz-req+jwt"}, &obj); err != nil {
		return nil, err
	}
	msg, err := jws.Parse([]byte(obj))
	if err != nil || len(msg.Signatures()) != 1 {
		return nil, errors.New("holder: the request object is not a compact JWS")
	}
	h := msg.Signatures()[0].ProtectedHeaders()
	kid, _ := h.KeyID()
	if typ, _ := h.Type(); typ != "oauth-authz-req+jwt" {
		return nil, errors.New("holder: the request object's typ is not oauth-authz-req+jwt")
	}
	if !strings.HasPrefix(kid, did+"#") {
		return nil, fmt.Errorf("holder: the request is signed by %q, not by the client %q", kid, did)
	}
	pub, err := c.resolveKey(ctx, did, kid)
	if err != nil {
		return nil, err
	}
	payload, err := jws.Verify([]byte(obj), jws.WithKey(jwa.ES256(), pub))
	if err != nil {
		return nil, errors.New("holder: the request's signature does not verify")
	}
	var p struct {
		ClientID     string          `json:"client_id"`
		ResponseType string          `json:"response_type"`
		ResponseMode string          `json:"response_mode"`
		ResponseURI  string          `json:"response_uri"`
		Nonce        string          `json:"nonce"`
		State        string          `json:"state"`
		DCQL         json.RawMessage `json:"dcql_query"`
		Exp          int64           `json:"exp"`
		Meta         map[string]any  `json:"client_metadata"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, errors.New("holder: the request's claims are not JSON")
	}
	switch {
	case p.ClientID != clientID:
		return nil, errors.New("holder: the request is for another client_id than the link's")
	case p.ResponseType != "vp_token" || p.ResponseMode != "direct_post":
		return nil, errors.New("holder: only vp_token by direct_post is supported")
	case p.Nonce == "":
		return nil, errors.New("holder: the request has no nonce")
	case p.Exp != 0 && !c.now().Before(time.Unix(p.Exp, 0)):
		return nil, errors.New("holder: the request has expired")
	}
	if err := c.checkURL(p.ResponseURI); err != nil {
		return nil, err
	}
	q, err := dcql.Parse(p.DCQL)
	if err != nil {
		return nil, fmt.Errorf("holder: the request's DCQL query: %w", err)
	}
	r := &Request{ClientID: clientID, Nonce: p.Nonce, State: p.State, ResponseURI: p.ResponseURI, Query: q,
		Names: map[string]string{}, Purposes: map[string]string{}}
	if p.Exp != 0 {
		r.ExpiresAt = time.Unix(p.Exp, 0)
	}
	for k, v := range p.Meta {
		s, _ := v.(string)
		switch name, lang, _ := strings.Cut(k, "#"); name {
		case "client_name":
			r.Names[lang] = s
		case "purpose":
			r.Purposes[lang] = s
		}
	}
	return r, nil
}

// resolveKey finds the key kid in the did:web document of did.
func (c *Client) resolveKey(ctx context.Context, did, kid string) (*ecdsa.PublicKey, error) {
	rest, ok := strings.CutPrefix(did, "did:web:")
	if !ok {
		return nil, fmt.Errorf("holder: %q is not a did:web", did)
	}
	parts := strings.Split(rest, ":")
	host, err := url.PathUnescape(parts[0])
	if err != nil {
		return nil, err
	}
	scheme := "https"
	if c.AllowHTTP {
		scheme = "http"
	}
	path := "/.well-known"
	if len(parts) > 1 {
		path = "/" + strings.Join(parts[1:], "/")
	}
	var doc struct {
		ID      string `json:"id"`
		Methods []struct {
			ID  string          `json:"id"`
			JWK json.RawMessage `json:"publicKeyJwk"`
		} `json:"verificationMethod"`
	}
	if err := c.call(ctx, http.MethodGet, scheme+"://"+host+path+"/did.json", nil, nil, &doc); err != nil {
		return nil, fmt.Errorf("holder: resolving %s: %w", did, err)
	}
	if doc.ID != did {
		return nil, fmt.Errorf("holder: the DID document is of %q, not %q", doc.ID, did)
	}
	for _, m := range doc.Methods {
		if m.ID != kid {
			continue
		}
		k, err := jwk.ParseKey(m.JWK)
		if err != nil {
			return nil, err
		}
		var pub ecdsa.PublicKey
		if err := jwk.Export(k, &pub); err != nil {
			return nil, err
		}
		return &pub, nil
	}
	return nil, fmt.Errorf("holder: %s publishes no key %s", did, kid)
}

// Choice is the answer the holder would give: which card, and which claim
// paths of each credential query it would disclose.
type Choice struct {
	QueryID string
	Card    int
	Paths   []dcql.Path
}

// Choose matches the request against the wallet's cards. For each
// credential query it picks the card already shown to this verifier, else
// one never shown to anyone, else the least shown, so that two verifiers
// see two different cards while the batch lasts.
func (w *Wallet) Choose(r *Request) ([]Choice, error) {
	creds := make([]dcql.Credential, len(w.Cards))
	for i, c := range w.Cards {
		claims, err := c.Claims()
		if err != nil {
			return nil, err
		}
		vct, _ := claims["vct"].(string)
		_, bound := claims["cnf"]
		creds[i] = dcql.Credential{Format: dcql.FormatSDJWT, VCT: vct, HolderBinding: bound, Claims: claims}
	}
	res := r.Query.Match(creds)
	if !res.Satisfied {
		return nil, ErrNoMatch
	}
	var out []Choice
	for _, cr := range res.Credentials {
		if !cr.Satisfied() {
			continue
		}
		best := cr.Matches[0]
		rank := func(m dcql.Match) int {
			shown := w.Cards[m.Candidate].ShownTo
			if slices.Contains(shown, r.ClientID) {
				return -1
			}
			return len(shown)
		}
		for _, m := range cr.Matches[1:] {
			if rank(m) < rank(best) {
				best = m
			}
		}
		out = append(out, Choice{QueryID: cr.QueryID, Card: best.Candidate, Paths: best.Disclose})
	}
	return out, nil
}

// ErrNoMatch says the wallet holds no card that answers the request.
var ErrNoMatch = errors.New("holder: no card in the wallet answers this request")

// Share presents the chosen cards to the verifier and records it in the
// history, with the verifier's answer.
func (c *Client) Share(ctx context.Context, w *Wallet, r *Request, choices []Choice) error {
	token := map[string][]string{}
	var asked [][]string
	for _, ch := range choices {
		card := &w.Cards[ch.Card]
		key, err := card.signer()
		if err != nil {
			return err
		}
		paths := make([][]any, len(ch.Paths))
		for i, p := range ch.Paths {
			paths[i] = p
			asked = append(asked, strPath(p))
		}
		pres, err := sdjwt.Present(card.Credential, sdjwt.Paths(paths...),
			&sdjwt.KeyBinding{Key: key, Audience: r.ClientID, Nonce: r.Nonce, IssuedAt: c.now()})
		if err != nil {
			return err
		}
		token[ch.QueryID] = append(token[ch.QueryID], pres)
		if !slices.Contains(card.ShownTo, r.ClientID) {
			card.ShownTo = append(card.ShownTo, r.ClientID)
		}
	}
	vp, _ := json.Marshal(token)
	err := c.post(ctx, r, url.Values{"state": {r.State}, "vp_token": {string(vp)}})
	w.record(r, asked, true, err, c.now())
	return err
}

// Decline tells the verifier the holder does not share, and records it.
func (c *Client) Decline(ctx context.Context, w *Wallet, r *Request) error {
	err := c.post(ctx, r, url.Values{"state": {r.State}, "error": {"access_denied"}})
	w.record(r, nil, false, err, c.now())
	return err
}

func (c *Client) post(ctx context.Context, r *Request, form url.Values) error {
	var out map[string]any
	return c.call(ctx, http.MethodPost, r.ResponseURI, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, &out)
}

func (w *Wallet) record(r *Request, claims [][]string, shared bool, err error, at time.Time) {
	result := "accepted"
	if err != nil {
		result = err.Error()
	}
	w.History = append(w.History, Shared{At: at.UTC(), ClientID: r.ClientID, Verifier: r.Name(""), Claims: claims, Shared: shared, Result: result})
}

func strPath(p dcql.Path) []string {
	out := make([]string, len(p))
	for i, e := range p {
		out[i] = fmt.Sprint(e)
	}
	return out
}
