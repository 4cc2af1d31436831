package practice

import (
	"embed"
	"slices"
)

// Embedded are the emulators that come with the platform.
//
//go:embed scenarios/*.yaml
var Embedded embed.FS

// Builtin reads and checks the emulators that come with the platform, in
// the order of Machines: the most familiar first.
func Builtin() ([]*Scenario, error) {
	all, err := LoadDir(Embedded, "scenarios")
	slices.SortStableFunc(all, func(a, b *Scenario) int {
		return slices.Index(Machines, a.Machine) - slices.Index(Machines, b.Machine)
	})
	return all, err
}
