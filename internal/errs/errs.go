package errs

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for callers and for the HTTP status.
type Code string

const (
	Invalid          Code = "invalid"            // 400/422: the input is wrong
	NotFound         Code = "not_found"          // 404
	Conflict         Code = "conflict"           // 409: the state does not allow it
	Unauthorized     Code = "unauthorized"       // 401: sign in first
	Forbidden        Code = "forbidden"          // 403: signed in, but not allowed
	TooMany          Code = "too_many"           // 429: rate limited
	MethodNotAllowed Code = "method_not_allowed" // 405
	TooLarge         Code = "too_large"          // 413: the request body is over its limit
	Internal         Code = "internal"           // 500
)

// Error is an error safe to show: Key names a catalogue message.
type Error struct {
	Code  Code
	Key   string
	Args  []any
	Field string // the form field at fault, if any
	// NeedsHref and NeedsLabel name the page that gives what is missing
	// (a citizen card, an identity check) and its button's catalogue key;
	// see Needs.
	NeedsHref, NeedsLabel string
	// RetryAfter, on a TooMany refusal, is how long to wait before trying
	// again: the answer's Retry-After header; see After.
	RetryAfter time.Duration
}

// After says, on a TooMany refusal, how long to wait before trying again.
func (e *Error) After(d time.Duration) *Error {
	e.RetryAfter = d
	return e
}

// Needs marks a refusal as "do this first" and names where: pages answer it
// with the explanation and a button to that place rather than an error,
// the API with the place as "next".
func (e *Error) Needs(href, labelKey string) *Error {
	e.NeedsHref, e.NeedsLabel = href, labelKey
	return e
}

func (e *Error) Error() string {
	if len(e.Args) == 0 {
		return string(e.Code) + ": " + e.Key
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Key, e.Args)
}

// New returns an *Error.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Field returns an Invalid error about one form field.
func Field(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Key: key, Args: args, Field: field}
}

// CodeOf returns the code of err, Internal if it is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
