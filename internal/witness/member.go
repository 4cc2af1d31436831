package witness

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// Member is a witness of a log's publication policy: it is asked over
// tlog-witness, and only a cosignature that verifies with its key counts.
// It is what the ledger's Policy holds.
type Member struct {
	Client
	Key note.Verifier // the witness's cosignature verifier
}

// NewMember parses "URL VKEY", as the serve command's --witness takes it.
func NewMember(spec string) (*Member, error) {
	url, vkey, ok := strings.Cut(strings.TrimSpace(spec), " ")
	if !ok {
		return nil, fmt.Errorf("witness %q: want \"URL VKEY\"", spec)
	}
	v, err := NewCosignatureVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return nil, fmt.Errorf("witness %q: %w", url, err)
	}
	return &Member{Client: Client{URL: url}, Key: v}, nil
}

// Name is the witness's key name.
func (m *Member) Name() string { return m.Key.Name() }

// AddCheckpoint asks the witness and returns its verified cosignature line.
func (m *Member) AddCheckpoint(ctx context.Context, oldSize uint64, proof [][]byte, signed []byte) ([]byte, error) {
	lines, err := m.Client.AddCheckpoint(ctx, oldSize, proof, signed)
	if err != nil {
		return nil, err
	}
	n, err := note.Open(append(append([]byte{}, signed...), lines...), note.VerifierList(m.Key))
	if err != nil {
		return nil, fmt.Errorf("witness %s: its answer carries no valid cosignature: %w", m.URL, err)
	}
	for _, s := range n.Sigs {
		if s.Name == m.Key.Name() && s.Hash == m.Key.KeyHash() {
			return []byte("— " + s.Name + " " + s.Base64 + "\n"), nil
		}
	}
	return nil, errors.New("witness " + m.URL + ": its answer carries no cosignature of its key")
}
