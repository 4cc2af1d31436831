// Package notify sends messages to people by SMS or e-mail through one
// interface. Messages are written to the outbox table in the same
// transaction as the change that causes them (so a rolled-back change sends
// nothing and a committed one is never forgotten); a dispatcher then hands
// them to the configured driver. The default driver only records: staff and
// tests read the messages on the outbox page.
//
// Citizens choose per kind of message whether it reaches them by SMS,
// e-mail or not at all; notify owns those preferences.
package notify
