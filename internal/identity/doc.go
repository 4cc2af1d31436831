// Package identity is the digital citizen card, from the city's side: the
// resident registry that is the source of its claims, identity proofing,
// the city as an issuer of SD-JWT VCs (sealed, rotating P-256 keys; the
// did:web document and JWT VC issuer metadata; OpenID4VCI with a PIN and
// DPoP; unlinkable batches; Token Status Lists for suspension and
// revocation), and the platform as a verifier for the relying parties it
// registers (OpenID4VP with DCQL, each party its own did:web client, the
// verifier's desk). Other parts verify cards through Verifier and
// Presentations.
//
// An offer's PIN is shown once, to the person it is for, and kept only as a
// keyed hash (codehash, under the same platform secret that seals the keys),
// bound to its offer; the flow's random codes, tokens and nonces are kept as
// their SHA-256, which no one can reverse by trying. Wallets ask for nonces
// and engagements without signing in, so those are limited per client
// address (NoncesPerAddress, EngagementsPerAddress).
//
// The rules here: a private key never appears unsealed in the database, a
// log line or a response; a relying party can ask only for the claims it is
// registered for, and an answer counts once.
package identity
