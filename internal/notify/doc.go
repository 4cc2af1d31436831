// Package notify sends messages to people by SMS or e-mail through one
// interface. Messages are written to the outbox table in the same
// transaction as the change that causes them (so a rolled-back change sends
// nothing and a committed one is never forgotten); a dispatcher then hands
// them to the configured driver: an SMS gateway, an SMTP relay, or a file
// on the server (FileDriver, one JSON object a line, mode 0600), which is
// how the demo and the tests read what was sent. A channel without a driver
// is only recorded.
//
// A message that carries a secret for its recipient alone (SecretKinds: a
// sign-in code) is the exception: it goes to the driver at once, and the
// outbox keeps its kind, recipient, subject and status with the code masked.
//
// Citizens choose per kind of message whether it reaches them by SMS,
// e-mail or not at all; notify owns those preferences.
//
// The rule here: no secret is kept in the outbox, so no member of staff
// reading it, and no reader of the database, can use someone's code.
package notify
