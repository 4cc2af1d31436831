// Package statuslist owns the Token Status List mechanism
// (draft-ietf-oauth-status-list) for Maeul's digital citizen card: the packed
// and compressed status array, the signed Status List Token (JWT form only),
// the "status" claim a Referenced Token carries, and a verifier-side fetcher
// that caches verified Status List Tokens.
//
// CWT Status List Tokens and Status List Aggregation are deliberately out of
// scope: the citizen card is an SD-JWT VC, so only the JWT form is exchanged.
package statuslist
