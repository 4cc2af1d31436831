//go:build !race

package app_test

// raceDetector is whether the tests were built with -race.
const raceDetector = false
