package holder

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/maeul/maeul/internal/atomicfile"
	"os"
	"time"

	"github.com/maeul/maeul/internal/sdjwt"
)

// Wallet is what the holder keeps: its cards, each with the key it is
// bound to, and the history of what it shared.
type Wallet struct {
	Cards   []Card   `json:"cards"`
	History []Shared `json:"history"`
}

// Card is one credential and the private key of its cnf.jwk.
type Card struct {
	Credential string    `json:"credential"`
	Key        []byte    `json:"key"` // PKCS #8
	Issuer     string    `json:"issuer"`
	ReceivedAt time.Time `json:"received_at"`
	ShownTo    []string  `json:"shown_to,omitempty"` // client_ids
}

// Shared is one answer given to a verifier.
type Shared struct {
	At       time.Time  `json:"at"`
	ClientID string     `json:"client_id"`
	Verifier string     `json:"verifier"`
	Claims   [][]string `json:"claims"`
	Shared   bool       `json:"shared"` // false: the holder declined
	Result   string     `json:"result"` // "accepted", or the verifier's refusal
}

// Claims returns the card's claims with every disclosure resolved.
func (c Card) Claims() (map[string]any, error) { return sdjwt.Claims(c.Credential) }

func (c Card) signer() (*ecdsa.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(c.Key)
	if err != nil {
		return nil, err
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("holder: card key is not an ECDSA key")
	}
	return ec, nil
}

// Load reads a wallet file; a missing file is an empty wallet.
func Load(path string) (*Wallet, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Wallet{}, nil
	}
	if err != nil {
		return nil, err
	}
	var w Wallet
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("holder: %s is not a wallet file: %w", path, err)
	}
	return &w, nil
}

// Save writes the wallet atomically, readable only by its owner: it holds
// private keys.
func (w *Wallet) Save(path string) error {
	raw, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, raw, 0o600)
}
