// Package wallet is Maeul's web wallet, the holder side of the digital
// citizen card: the pages a citizen opens on their phone to receive the
// card (OpenID4VCI, pre-authorized code with a PIN), see it in large type,
// show it to staff or a verifier (OpenID4VP with DCQL, answered by
// direct_post after a consent screen) and read what they shared with whom.
//
// The wallet's state never reaches the server: the holder keys are
// non-extractable WebCrypto keys and, with the cards and the history, live
// in the browser's IndexedDB. This package owns the pages' HTML and the
// texts and lookup tables their scripts need; the protocol work is done by
// the scripts under static/ (embedded here and served under /static/wallet/),
// against the issuer and verifier endpoints of the identity part.
package wallet
