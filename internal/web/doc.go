// Package web is the shared HTTP plumbing: the router with per-route metrics,
// the accessible page layout every part renders into, the one place where an
// error becomes an HTML or JSON response, the visitor's display preferences
// (language, large text, high contrast), CSRF protection, the client's
// address (read from forwarding headers only when the TCP peer is a trusted
// proxy) and SafeNext, the one check of every "next" and return address.
//
// Parts import web; web imports no part. Handlers return errors rather than
// writing error responses themselves.
package web
