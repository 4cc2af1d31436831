// Package i18n owns the message catalogue (Korean first, English second) and
// the choice of language for a request. Every string a user sees goes
// through a Localizer; a key missing from a catalogue is a test failure.
package i18n
