// Package holder is a wallet in Go: it receives SD-JWT VCs by OpenID4VCI
// (pre-authorized code with a PIN, a batch of cards, one key each) and
// presents them by OpenID4VP (signed request objects resolved through
// did:web, DCQL matching, direct_post), keeping its keys, cards and the
// history of what it shared in one file readable only by its owner. It is
// the `maeul wallet` command, and the holder that tests play against the
// platform; it speaks only the protocols, never the platform's tables.
//
// The rule here: a card is shown to at most one verifier where the batch
// allows it, so that verifiers cannot link their records by the card.
package holder
