package witness

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

// Log is a log the witness knows: its origin line and its note verifier
// key. A log may be given more than once with different keys, as while it
// rotates them.
type Log struct {
	Origin   string
	Verifier note.Verifier
}

// maxBody bounds an add-checkpoint request: 64 proof lines and a checkpoint
// with far more signatures than any log needs.
const maxBody = 128 << 10

// sizeContentType marks a 409 answer whose body is the size the witness
// holds (C2SP tlog-witness).
const sizeContentType = "text/x.tlog.size"

// Server is a witness: it serves POST /add-checkpoint.
type Server struct {
	signer note.Signer
	logs   map[string]note.Verifiers

	// mu makes checking a request against the state and persisting the new
	// state one step: two requests checked against the same old size must
	// not both be cosigned, or the second would roll the first back.
	mu    sync.Mutex
	state *stateFile

	// distrusted holds, per origin, why this witness no longer cosigns for
	// a log: an audit of its entries found them changed.
	distrusted sync.Map
}

// Distrust stops cosigning for a log, for good: every later request is
// refused with why, so that the log cannot publish past what was found.
func (s *Server) Distrust(origin, why string) {
	if _, loaded := s.distrusted.LoadOrStore(origin, why); !loaded {
		slog.Error("witness: no longer cosigning for a log whose audit failed", "origin", origin, "why", why)
	}
}

// NewServer returns a witness that cosigns with signer the checkpoints of
// logs, remembering them in the file at statePath (created if absent).
func NewServer(statePath string, signer note.Signer, logs []Log) (*Server, error) {
	byOrigin := map[string][]note.Verifier{}
	type key struct {
		origin, name string
		id           uint32
	}
	seen := map[key]bool{}
	for _, l := range logs {
		if l.Origin == "" || l.Verifier == nil {
			return nil, errors.New("witness: a log needs an origin and a verifier")
		}
		// note.Open refuses a note when two verifiers share a name and ID.
		k := key{l.Origin, l.Verifier.Name(), l.Verifier.KeyHash()}
		if seen[k] {
			return nil, fmt.Errorf("witness: log %s is given twice with the key %s", l.Origin, l.Verifier.Name())
		}
		seen[k] = true
		byOrigin[l.Origin] = append(byOrigin[l.Origin], l.Verifier)
	}
	st, err := openState(statePath)
	if err != nil {
		return nil, err
	}
	s := &Server{signer: signer, logs: map[string]note.Verifiers{}, state: st}
	for o, vs := range byOrigin {
		s.logs[o] = note.VerifierList(vs...)
	}
	return s, nil
}

// httpError is a refusal: its status and the sentence the client reads.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func refuse(status int, format string, args ...any) *httpError {
	return &httpError{status, fmt.Sprintf(format, args...)}
}

// ServeHTTP answers POST /add-checkpoint and refuses every other request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/add-checkpoint" {
		http.Error(w, "not found: a witness serves only POST /add-checkpoint", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "add-checkpoint takes a POST", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "could not read the request body", http.StatusBadRequest)
		}
		return
	}
	sigs, conflict, err := s.addCheckpoint(body)
	switch e, ok := errors.AsType[*httpError](err); {
	case conflict != nil:
		w.Header().Set("Content-Type", sizeContentType)
		w.WriteHeader(http.StatusConflict)
		fmt.Fprintf(w, "%d\n", *conflict)
	case ok:
		http.Error(w, e.msg, e.status)
	case err != nil:
		slog.Error("witness: cosigning failed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(sigs)
	}
}

// addCheckpoint checks a request in the order of C2SP tlog-witness and
// returns the cosignature lines; or the size the witness holds when the
// client's old size is not it; or why it refuses.
func (s *Server) addCheckpoint(body []byte) (sigs []byte, conflict *uint64, err error) {
	req, err := parseAddCheckpoint(body)
	if err != nil {
		return nil, nil, refuse(http.StatusBadRequest, "%v", err)
	}
	origin, _, _ := bytes.Cut(req.checkpoint, []byte("\n"))
	verifiers, ok := s.logs[string(origin)]
	if !ok {
		return nil, nil, refuse(http.StatusNotFound, "unknown log")
	}
	if why, ok := s.distrusted.Load(string(origin)); ok {
		return nil, nil, refuse(http.StatusForbidden, "this witness no longer cosigns for %s: its audit found %s", origin, why)
	}
	n, err := note.Open(req.checkpoint, verifiers)
	if err != nil {
		_, unverified := errors.AsType[*note.UnverifiedNoteError](err)
		_, invalid := errors.AsType[*note.InvalidSignatureError](err)
		if unverified || invalid {
			return nil, nil, refuse(http.StatusForbidden, "the checkpoint is not signed by a key this witness trusts for %s", origin)
		}
		return nil, nil, refuse(http.StatusBadRequest, "malformed checkpoint note: %v", err)
	}
	cp, err := parseCheckpoint(n.Text)
	if err != nil {
		return nil, nil, refuse(http.StatusBadRequest, "%v", err)
	}
	if req.oldSize > cp.Size {
		return nil, nil, refuse(http.StatusBadRequest, "old size %d is beyond the checkpoint's size %d", req.oldSize, cp.Size)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	held, ok := s.state.logs[cp.Origin]
	if !ok {
		// Never seen: the empty tree is the only thing it has agreed to.
		held = record{Size: 0, Root: rfc6962.DefaultHasher.EmptyRoot()}
	}
	if req.oldSize != held.Size {
		return nil, &held.Size, nil
	}
	if cp.Size == held.Size && !bytes.Equal(cp.Hash, held.Root) {
		s.keepFork(cp, held, req.checkpoint)
		return nil, nil, refuse(http.StatusConflict, "fork: this witness holds another tree of size %d for %s", cp.Size, cp.Origin)
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, held.Size, cp.Size, req.proof, held.Root, cp.Hash); err != nil {
		// The library's reason spells hashes as byte lists over several
		// lines; the sizes say enough.
		slog.Warn("witness: a consistency proof does not verify; the log may be misbehaving",
			"origin", cp.Origin, "old_size", held.Size, "size", cp.Size, "proof_hashes", len(req.proof))
		return nil, nil, refuse(http.StatusUnprocessableEntity, "the consistency proof from %d to %d (%d hashes) does not verify", held.Size, cp.Size, len(req.proof))
	}
	signed, err := note.Sign(&note.Note{Text: n.Text}, s.signer)
	if err != nil {
		return nil, nil, err
	}
	sigs = signed[len(n.Text)+1:]
	next := record{Size: cp.Size, Root: cp.Hash, Checkpoint: string(req.checkpoint) + string(sigs), Forks: held.Forks}
	if err := s.state.put(cp.Origin, next); err != nil {
		return nil, nil, err
	}
	slog.Debug("witness: cosigned", "origin", cp.Origin, "size", cp.Size)
	return sigs, nil, nil
}

// keepFork records a signed checkpoint that contradicts the one held, as
// evidence, and says so loudly: it is what a witness exists to catch.
func (s *Server) keepFork(cp *log.Checkpoint, held record, signed []byte) {
	slog.Error("witness: FORK — the log signed two different trees of the same size",
		"origin", cp.Origin, "size", cp.Size,
		"held_root", base64.StdEncoding.EncodeToString(held.Root), "new_root", base64.StdEncoding.EncodeToString(cp.Hash))
	if len(held.Forks) >= maxForks || slices.Contains(held.Forks, string(signed)) {
		return
	}
	held.Forks = append(held.Forks, string(signed))
	if err := s.state.put(cp.Origin, held); err != nil {
		slog.Error("witness: keeping the evidence of a fork failed", "origin", cp.Origin, "err", err)
	}
}

// parseCheckpoint reads a C2SP tlog-checkpoint body, refusing the
// spellings of size and hash that the format does not allow.
func parseCheckpoint(text string) (*log.Checkpoint, error) {
	var cp log.Checkpoint
	if _, err := cp.Unmarshal([]byte(text)); err != nil {
		return nil, fmt.Errorf("witness: %v", err)
	}
	lines := bytes.SplitN([]byte(text), []byte("\n"), 4)
	if strconv.FormatUint(cp.Size, 10) != string(lines[1]) || len(cp.Hash) != hashSize ||
		base64.StdEncoding.EncodeToString(cp.Hash) != string(lines[2]) {
		return nil, errors.New("witness: not a checkpoint: size or root hash is not in its one allowed form")
	}
	return &cp, nil
}
