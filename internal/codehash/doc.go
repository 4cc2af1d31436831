// Package codehash keeps the short secrets people type — one-time sign-in
// codes, the PINs of card offers — only as keyed hashes: HMAC-SHA256 under a
// key derived (HKDF-SHA256, info "maeul/codes/v1") from the platform's
// secret, the one that seals the issuer's keys and derives the ledger's,
// which never enters the database. A six-digit code has 10^6 values: an
// unkeyed hash of one is reversed at once by trying them all; a keyed one
// only by someone who also holds the platform's secret.
//
// Without a platform secret (PostgreSQL started without
// MAEUL_ISSUER_SECRET) the key is random for the life of the process: codes
// still work on one instance, and are lost on restart.
//
// The rule here: a stored hash is compared only with Match (constant time),
// never with ==.
package codehash
