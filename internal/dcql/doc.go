// Package dcql owns the Digital Credentials Query Language of OpenID for
// Verifiable Presentations 1.0 (section 6): parsing and validating a
// "dcql_query", and matching it against candidate credentials to decide which
// Credential Queries and Credential Set Queries are satisfied and which claim
// paths each match must disclose.
//
// Where the specification leaves room, matching follows the behaviour of the
// "dcql" npm package (3.x); each such choice is noted where it is made.
// Matching understands the dc+sd-jwt and mso_mdoc formats, which are the ones
// Maeul's citizen card uses; queries for other formats parse and validate
// but are never satisfied, so an unsupported format fails closed.
//
// Where we deliberately differ from the npm package (interop_test.go runs
// both and lists these): a missing meta, or meta without vct_values, is an
// invalid query; a null path step over an empty array selects nothing and so
// does not satisfy the claim; a null step over an element that is not an
// object aborts the claim (OpenID4VP section 7); an mso_mdoc path must have
// exactly two elements.
package dcql
