package practice

import "embed"

// Embedded are the emulators that come with the platform.
//
//go:embed scenarios/*.yaml
var Embedded embed.FS

// Builtin reads and checks the emulators that come with the platform.
func Builtin() ([]*Scenario, error) { return LoadDir(Embedded, "scenarios") }
