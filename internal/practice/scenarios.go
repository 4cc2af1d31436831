package practice

import (
	"embed"
	"errors"
	"io/fs"
	"slices"
)

// Embedded are the emulators that come with the platform.
//
//go:embed scenarios/*.yaml
var Embedded embed.FS

// SetsFile is the name of the sets file in a directory of scenarios.
const SetsFile = "sets.yaml"

// Builtin reads and checks the emulators that come with the platform, in
// the order of Machines: the most familiar first.
func Builtin() ([]*Scenario, error) {
	all, err := LoadDir(Embedded, "scenarios")
	sortByMachine(all)
	return all, err
}

func sortByMachine(all []*Scenario) {
	slices.SortStableFunc(all, func(a, b *Scenario) int {
		return slices.Index(Machines, a.Machine) - slices.Index(Machines, b.Machine)
	})
}

// Load reads the emulators and sets that come with the platform and, when
// extra is not nil, a tutors' directory of more: its *.yaml scenarios and
// its sets.yaml. A broken file or an id used twice refuses the whole, with
// every problem by file and line.
func Load(extra fs.FS) ([]*Scenario, []Set, error) {
	all, err := Builtin()
	if err != nil {
		return nil, nil, err
	}
	sets, err := BuiltinSets(all)
	if err != nil || extra == nil {
		return all, sets, err
	}
	more, err := LoadDir(extra, ".")
	if err != nil {
		return nil, nil, err
	}
	var dups []error
	for _, s := range more {
		if i := slices.IndexFunc(all, func(b *Scenario) bool { return b.ID == s.ID }); i >= 0 {
			dups = append(dups, duplicate(s.File, s.ID, all[i].File))
		}
	}
	if len(dups) > 0 {
		return nil, nil, errors.Join(dups...)
	}
	all = append(all, more...)
	sortByMachine(all)
	data, err := fs.ReadFile(extra, SetsFile)
	if errors.Is(err, fs.ErrNotExist) {
		return all, sets, nil
	}
	if err != nil {
		return nil, nil, err
	}
	own, err := ParseSets(SetsFile, data, all)
	if err != nil {
		return nil, nil, err
	}
	for _, st := range own {
		if slices.ContainsFunc(sets, func(b Set) bool { return b.ID == st.ID }) {
			dups = append(dups, duplicate(SetsFile, st.ID, "internal/practice/sets.yaml"))
		}
	}
	return all, append(sets, own...), errors.Join(dups...)
}
