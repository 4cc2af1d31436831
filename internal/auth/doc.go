// Package auth owns accounts, roles, sign-in and sessions: staff sign in
// with a password (argon2id) and an optional TOTP code, citizens with their
// phone number and a one-time code, which is sent at once (the outbox masks
// it) and kept only as a keyed hash (codehash, under the platform's
// secret), bound to the phone number and compared in constant time.
// Sessions live in the database so any instance can serve any request.
//
// It owns the limits counted in the database (Limits), exact under
// concurrency, which other parts use for their anonymous writes, per client
// address as web.ClientKey gives it (never r.RemoteAddr, which behind a
// proxy is the proxy). Sign-in codes: attempts per code taken before the
// guess is compared; sends per number, per address, per address to new
// numbers and per number block against SMS pumping. Staff passwords are
// never locked: failures per account and address make that address wait
// longer each time, and an account under attack from many addresses only
// slows them.
//
// It also owns "acting for": an operator or digital guide helping a citizen by
// phone or in person, shown on every page, ended explicitly or after
// inactivity, and audited throughout.
//
// The rule here: no password, code, token or phone number is ever logged.
package auth
