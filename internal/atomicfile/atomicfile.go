// Package atomicfile writes the small state files that must never be seen
// half written: a witness's last checkpoints and its key, an auditor's last
// verified tree, a wallet's keys. The data goes to a temporary file beside
// the target, synced, renamed (or linked) over it, and the directory synced,
// so that a crash leaves either the old file or the new one.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data, readable as perm.
func Write(path string, data []byte, perm os.FileMode) error {
	return place(path, data, perm, os.Rename)
}

// Create writes data to path, readable as perm, only if no file is there
// yet: it refuses one that is (an error that errors.Is fs.ErrExist) and
// leaves it as it was. For a key that must never be overwritten.
func Create(path string, data []byte, perm os.FileMode) error {
	return place(path, data, perm, os.Link)
}

// place writes data to a temporary file beside path and puts it at path
// with put (rename or link).
func place(path string, data []byte, perm os.FileMode, put func(tmp, path string) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed; a linked file keeps its other name
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := put(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
