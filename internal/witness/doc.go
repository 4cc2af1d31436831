// Package witness is a transparency-log witness in the C2SP tlog-witness
// protocol, and its client. It owns: the add-checkpoint endpoint, which
// cosigns a log's checkpoint only once it is proved consistent with the
// last one it cosigned for that log; the file that remembers those
// checkpoints across restarts; and C2SP tlog-cosignature (cosignature/v1,
// Ed25519) keys, signers and verifiers that plug into
// golang.org/x/mod/sumdb/note.
//
// A witness never cosigns two checkpoints of one log that are inconsistent
// with each other, nor a smaller tree after a larger one, for as long as its
// state file survives. One process uses a state file at a time.
package witness
