package identity

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/auth"
)

// Wallets ask for nonces and engagements without signing in, and each is a
// row in the database: both are limited per client address
// (web.ClientKey), far above what a wallet at a desk asks for.
var (
	NoncesPerAddress      = auth.Limit{Max: 60, Per: 10 * time.Minute}
	EngagementsPerAddress = auth.Limit{Max: 30, Per: 10 * time.Minute}
)

// oidError answers a protocol error in OAuth's shape; other errors go to
// the usual error page.
func oidError(w http.ResponseWriter, err error) error {
	var oe *OIDError
	if !errors.As(err, &oe) {
		return err
	}
	return noStore(w, oe.Status, map[string]string{"error": oe.Code, "error_description": oe.Desc})
}

func noStore(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// OpenID4VCI: the issuer and authorization-server metadata, the token,
// nonce and credential endpoints. Wallets call these without cookies;
// codes, tokens and nonces authenticate them instead.

func (h *Handlers) issuerMetadata(w http.ResponseWriter, r *http.Request) error {
	base := h.issuer.For(r).URL
	return writeJSON(w, map[string]any{
		"credential_issuer":         base,
		"authorization_servers":     []string{base},
		"credential_endpoint":       base + "/credential",
		"nonce_endpoint":            base + "/oauth/nonce",
		"batch_credential_issuance": map[string]any{"batch_size": BatchSize},
		"display":                   []map[string]any{{"name": "부산광역시", "locale": "ko"}, {"name": "Busan Metropolitan City", "locale": "en"}},
		"credential_configurations_supported": map[string]any{
			CardConfigurationID: map[string]any{
				"format": "dc+sd-jwt",
				"vct":    CardType,
				"scope":  CardConfigurationID,
				"cryptographic_binding_methods_supported": []string{"jwk"},
				"credential_signing_alg_values_supported": []string{"ES256"},
				"proof_types_supported":                   map[string]any{"jwt": map[string]any{"proof_signing_alg_values_supported": []string{"ES256"}}},
				"credential_metadata": map[string]any{"display": []map[string]any{
					{"name": "부산 시민카드", "locale": "ko", "background_color": "#0b5394", "text_color": "#ffffff"},
					{"name": "Busan citizen card", "locale": "en", "background_color": "#0b5394", "text_color": "#ffffff"},
				}},
			},
		},
	})
}

func (h *Handlers) authorizationServer(w http.ResponseWriter, r *http.Request) error {
	base := h.issuer.For(r).URL
	return writeJSON(w, map[string]any{
		"issuer":                            base,
		"token_endpoint":                    base + "/oauth/token",
		"grant_types_supported":             []string{"urn:ietf:params:oauth:grant-type:pre-authorized_code"},
		"dpop_signing_alg_values_supported": []string{"ES256"},
		"pre-authorized_grant_anonymous_access_supported": true,
	})
}

func (h *Handlers) token(w http.ResponseWriter, r *http.Request) error {
	if r.PostFormValue("grant_type") != "urn:ietf:params:oauth:grant-type:pre-authorized_code" {
		return oidError(w, &OIDError{400, "unsupported_grant_type", "only the pre-authorized code grant is supported"})
	}
	base := h.issuer.For(r).URL
	var dpop *dpopProof
	if proof := r.Header.Get("DPoP"); proof != "" {
		p, err := checkDPoP(proof, http.MethodPost, base+"/oauth/token", "", h.cards.Now())
		if err != nil {
			return oidError(w, err)
		}
		dpop = &p
	}
	token, ttl, err := h.cards.RedeemOffer(r.Context(), r.PostFormValue("pre-authorized_code"), r.PostFormValue("tx_code"), dpop)
	if err != nil {
		return oidError(w, err)
	}
	kind := "Bearer"
	if dpop != nil {
		kind = "DPoP"
	}
	return noStore(w, http.StatusOK, map[string]any{"access_token": token, "token_type": kind, "expires_in": int(ttl.Seconds())})
}

func (h *Handlers) nonce(w http.ResponseWriter, r *http.Request) error {
	if err := h.limits.Allow(r.Context(), auth.ClientBucket("oauth-nonce", r), NoncesPerAddress); err != nil {
		return vpError(w, r, err)
	}
	n, err := h.cards.NewNonce(r.Context())
	if err != nil {
		return err
	}
	return noStore(w, http.StatusOK, map[string]any{"c_nonce": n})
}

func (h *Handlers) credential(w http.ResponseWriter, r *http.Request) error {
	base := h.issuer.For(r).URL
	authz := r.Header.Get("Authorization")
	access := Access{}
	if t, ok := strings.CutPrefix(authz, "DPoP "); ok {
		p, err := checkDPoP(r.Header.Get("DPoP"), http.MethodPost, base+"/credential", t, h.cards.Now())
		if err != nil {
			w.Header().Set("WWW-Authenticate", `DPoP algs="ES256"`)
			return oidError(w, err)
		}
		access = Access{Token: t, DPoP: &p}
	} else if t, ok := strings.CutPrefix(authz, "Bearer "); ok {
		access.Token = t
	}
	if access.Token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer, DPoP algs="ES256"`)
		return oidError(w, &OIDError{401, "invalid_token", "an access token is required"})
	}
	var req struct {
		ConfigurationID string `json:"credential_configuration_id"`
		Proofs          struct {
			JWT []string `json:"jwt"`
		} `json:"proofs"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		return oidError(w, &OIDError{400, "invalid_credential_request", "the body is not the JSON of a credential request"})
	}
	if req.ConfigurationID != CardConfigurationID {
		return oidError(w, &OIDError{400, "unknown_credential_configuration", "this issuer offers " + CardConfigurationID})
	}
	issued, err := h.cards.IssueFromToken(r.Context(), access, base, req.Proofs.JWT)
	if err != nil {
		return oidError(w, err)
	}
	out := make([]map[string]string, len(issued))
	for i, c := range issued {
		out[i] = map[string]string{"credential": c}
	}
	return noStore(w, http.StatusOK, map[string]any{"credentials": out})
}
