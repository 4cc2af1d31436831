// Package web is the shared HTTP plumbing: the router with per-route metrics,
// the accessible page layout every part renders into, the one place where an
// error becomes an HTML or JSON response, the visitor's display preferences
// (language, large text, high contrast), CSRF protection, the client's
// address (read from forwarding headers only when the TCP peer is a trusted
// proxy), SafeNext, the one check of every "next" and return address, the
// site's public address, and the guards on what comes in: LimitBodies (each
// route's bound on its body, 413 over it), CleanInput (no text that is not
// UTF-8, no NUL, no value over 16 KiB), DecodeJSON (one value, known fields,
// nothing after it), NoBody and PageNumber. The breadcrumbs above a page
// come from the menu (View.Crumbs).
//
// Absolute addresses come from BaseURL and AbsURL only, and cookies are set
// with SetCookie only: the Host header is the client's to choose and never
// names the site once a public address is configured.
//
// Parts import web; web imports no part. Handlers return errors rather than
// writing error responses themselves.
package web
