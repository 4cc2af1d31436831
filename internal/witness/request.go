package witness

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strconv"
)

// maxProofLines is the most consistency-proof hashes a client may send:
// one per level of a tree of 2^64 leaves, less one.
const maxProofLines = 63

// hashSize is the size of the RFC 6962 (SHA-256) hashes of a proof.
const hashSize = 32

// addCheckpoint is the body of an add-checkpoint request.
type addCheckpoint struct {
	oldSize    uint64
	proof      [][]byte
	checkpoint []byte // the signed note, unverified
}

var errBadRequest = errors.New("witness: malformed add-checkpoint body")

// parseAddCheckpoint reads "old <size>\n", up to 63 base64 hash lines, an
// empty line and the checkpoint. It accepts only the one spelling the spec
// allows of each part, so two parsers never read one body differently.
func parseAddCheckpoint(body []byte) (addCheckpoint, error) {
	var req addCheckpoint
	line, rest, ok := bytes.Cut(body, []byte("\n"))
	if !ok {
		return req, errBadRequest
	}
	size, ok := bytes.CutPrefix(line, []byte("old "))
	if !ok {
		return req, errBadRequest
	}
	n, err := strconv.ParseUint(string(size), 10, 64)
	if err != nil || strconv.FormatUint(n, 10) != string(size) {
		return req, errBadRequest
	}
	req.oldSize = n
	for {
		line, rest, ok = bytes.Cut(rest, []byte("\n"))
		if !ok {
			return req, errBadRequest
		}
		if len(line) == 0 {
			break
		}
		if len(req.proof) == maxProofLines {
			return req, errBadRequest
		}
		h, err := base64.StdEncoding.Strict().DecodeString(string(line))
		if err != nil || len(h) != hashSize {
			return req, errBadRequest
		}
		req.proof = append(req.proof, h)
	}
	if len(rest) == 0 {
		return req, errBadRequest
	}
	req.checkpoint = rest
	return req, nil
}

// marshal writes the body that parseAddCheckpoint reads.
func (req addCheckpoint) marshal() []byte {
	b := []byte("old " + strconv.FormatUint(req.oldSize, 10) + "\n")
	for _, h := range req.proof {
		b = append(base64.StdEncoding.AppendEncode(b, h), '\n')
	}
	b = append(b, '\n')
	return append(b, req.checkpoint...)
}
