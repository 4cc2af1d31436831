// Package identity is the digital citizen card: the city as an issuer of
// SD-JWT verifiable credentials. This first slice owns the issuer's keys —
// P-256 keys whose private halves are stored sealed under a secret kept out
// of the database, rotated so that a retired key stays published (and
// credentials it signed stay verifiable) until they have expired — and the
// documents that publish them: the did:web DID document and the JWT VC
// issuer metadata.
//
// The rule here: a private key never appears unsealed in the database, a
// log line or a response.
package identity
