// Package sdjwt owns the SD-JWT format (RFC 9901, Selective Disclosure for
// JSON Web Tokens) used for Maeul's digital citizen card (an SD-JWT VC,
// typ "dc+sd-jwt"): issuance with selectively disclosable claims, the
// holder's choice of disclosures and key binding, and verification.
//
// The rule this package keeps: a verifier gets back only what was disclosed
// and verified. [Verify] returns the processed payload of RFC 9901 section
// 7.3 (disclosed values in place, undisclosed ones absent, "_sd", "_sd_alg"
// and "..." removed) and nothing at all when any check fails; every failure
// matches one of the Err* sentinels with [errors.Is].
//
// Both the compact serialization and the JSON serializations of RFC 9901
// section 8 are read; the issuer writes the compact one.
package sdjwt
