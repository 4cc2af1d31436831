// Package web is the shared HTTP plumbing: the router with per-route metrics,
// the accessible page layout every part renders into, the one place where an
// error becomes an HTML or JSON response, the visitor's display preferences
// (language, large text, high contrast) and CSRF protection.
//
// Parts import web; web imports no part. Handlers return errors rather than
// writing error responses themselves.
package web
