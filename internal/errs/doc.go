// Package errs is Maeul's one error type. An *Error carries a code that maps
// to an HTTP status, a message key that the i18n catalogue translates for the
// user, and optional arguments for that message. Anything that is not an
// *Error is internal: it is logged and never shown.
package errs
