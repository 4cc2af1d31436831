package witness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// Client asks a witness to cosign checkpoints.
type Client struct {
	URL  string       // the witness's submission prefix, e.g. http://127.0.0.1:8090
	HTTP *http.Client // nil: http.DefaultClient
}

// ConflictError is the witness's answer when the old size sent is not the
// size it holds: the caller retries with a consistency proof from Size.
type ConflictError struct {
	Size uint64
}

// WitnessSize is the size the witness holds, as ledger.SizeConflict reads it.
func (e *ConflictError) WitnessSize() uint64 { return e.Size }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("witness: it holds a checkpoint of size %d; send a proof from that size", e.Size)
}

// maxResponse bounds a witness's answer: a few signature lines.
const maxResponse = 64 << 10

// AddCheckpoint sends a signed checkpoint with a consistency proof from
// oldSize and returns the witness's cosignature lines, to append to the
// note. The caller verifies them with the witness's key.
func (c *Client) AddCheckpoint(ctx context.Context, oldSize uint64, proof [][]byte, signedCheckpoint []byte) ([]byte, error) {
	body := addCheckpoint{oldSize: oldSize, proof: proof, checkpoint: signedCheckpoint}.marshal()
	url := strings.TrimSuffix(c.URL, "/") + "/add-checkpoint"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("witness %s: reading the answer: %w", c.URL, err)
	}
	if len(b) > maxResponse {
		return nil, fmt.Errorf("witness %s: answer too long", c.URL)
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case resp.StatusCode == http.StatusConflict && ct == sizeContentType:
		s := strings.TrimSuffix(string(b), "\n")
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("witness %s: 409 with a malformed size %q", c.URL, s)
		}
		return nil, &ConflictError{Size: n}
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("witness %s: %s: %s", c.URL, resp.Status, firstLine(b))
	}
	if err := checkSignatureLines(b); err != nil {
		return nil, fmt.Errorf("witness %s: %w", c.URL, err)
	}
	return b, nil
}

// checkSignatureLines makes sure an answer is only note signature lines,
// so that appending it to a note cannot change the note's text.
func checkSignatureLines(b []byte) error {
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return fmt.Errorf("the answer is not signature lines")
	}
	for line := range strings.Lines(string(b)) {
		name, sig, ok := strings.Cut(strings.TrimPrefix(line, "— "), " ")
		if !strings.HasPrefix(line, "— ") || !ok || !validName(name) || len(sig) < 2 {
			return fmt.Errorf("the answer is not signature lines")
		}
	}
	return nil
}

// firstLine is what a refusal says, kept short for the caller's messages.
func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.ToValidUTF8(s, "?")
}
