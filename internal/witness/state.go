package witness

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/maeul/maeul/internal/atomicfile"
	"io/fs"
	"os"
)

// record is what the witness remembers of one log.
type record struct {
	Size uint64 `json:"size"`
	Root []byte `json:"root"`
	// Checkpoint is the latest checkpoint cosigned, with the cosignature.
	Checkpoint string `json:"checkpoint"`
	// Forks are signed checkpoints of the log that contradicted the one
	// held: proof that the log showed different trees to different parties.
	Forks []string `json:"forks,omitempty"`
}

// maxForks bounds the evidence kept per log, so that a misbehaving log
// cannot fill the disk.
const maxForks = 16

// stateFile keeps every log's record in one JSON file, replaced whole on
// each change, so that a crash leaves the old state or the new, never a mix.
type stateFile struct {
	path string
	logs map[string]record
}

func openState(path string) (*stateFile, error) {
	s := &stateFile{path: path, logs: map[string]record{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Writing now finds an unwritable place at start, not at the
		// first checkpoint.
		return s, s.save()
	}
	if err != nil {
		return nil, err
	}
	// A state that cannot be read is never replaced by an empty one: that
	// would let the witness cosign a tree it had already seen grow past.
	if err := json.Unmarshal(b, &s.logs); err != nil {
		return nil, fmt.Errorf("witness: state file %s is damaged (%v); restore it from a backup, or retire this witness and start one with a new key", path, err)
	}
	return s, nil
}

// put replaces the record of origin and persists the whole state before it
// returns; on failure the state in memory is left as it was.
func (s *stateFile) put(origin string, r record) error {
	old, had := s.logs[origin]
	s.logs[origin] = r
	if err := s.save(); err != nil {
		if had {
			s.logs[origin] = old
		} else {
			delete(s.logs, origin)
		}
		return err
	}
	return nil
}

// save replaces the state file whole, so a crash leaves the old state or
// the new one.
func (s *stateFile) save() error {
	b, err := json.MarshalIndent(s.logs, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.path, append(b, '\n'), 0o600)
}
