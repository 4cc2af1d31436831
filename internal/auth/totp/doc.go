// Package totp owns time-based one-time passwords (RFC 6238) for staff
// two-factor sign-in: generating the shared secret, the otpauth:// URI an
// authenticator app scans, and verifying a code. Storing secrets and
// remembering used counters to reject replays belong to the caller.
package totp
