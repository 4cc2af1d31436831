// Package ledger is the platform's tamper-evident record: an append-only
// log of typed entries (credential status changes, point movements,
// settlements, budgets) integrated into an RFC 6962 Merkle tree, published
// as C2SP tlog-tiles with signed C2SP tlog-checkpoints, in the same database
// as everything else.
//
// The rules here: an entry is appended in the transaction of the change it
// records, so neither exists without the other; an entry names people and
// merchants only by keyed pseudonyms; the tree only grows, and every
// published checkpoint is consistent with every earlier one.
package ledger
