package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/errs"
)

// DefaultMaxBody is the most a request body may hold on a route not
// registered with Upload: forms and JSON are a few kilobytes.
const DefaultMaxBody = 1 << 20

// FormEnvelope is what a multipart form adds around an uploaded file: its
// boundaries, headers and the other fields.
const FormEnvelope = 64 << 10

// UploadTimeout is how long an Upload route's request may take to arrive,
// and its answer to leave: a large file on a slow line.
const UploadTimeout = 10 * time.Minute

// LimitBodies bounds every request body by its route's limit
// (DefaultMaxBody, or what Upload gave). A body declared larger is refused
// at once with 413; a form is read here and refused the same way when it
// grows larger; any other body fails its handler's read, which DecodeJSON
// and Error answer with 413 too. It must come before anything that reads
// the body (CSRF). Upload routes get UploadTimeout to arrive and be answered,
// in place of the server's read and write timeouts.
func (rt *Router) LimitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(DefaultMaxBody)
		_, pattern := rt.mux.Handler(r)
		upload, ok := rt.uploads[pattern]
		if ok {
			limit = upload
		}
		if r.ContentLength > limit {
			// Not read: the server closes the connection after the answer.
			Error(w, r, tooLarge(limit))
			return
		}
		if ok {
			rc := http.NewResponseController(w)
			deadline := time.Now().Add(UploadTimeout)
			// Unsupported only by test recorders, which have no deadlines.
			_ = rc.SetReadDeadline(deadline)
			_ = rc.SetWriteDeadline(deadline)
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		// A form is read here, so that one over the limit is refused as
		// such on every route, rather than reaching its handler (or the
		// CSRF check) as a form with fields missing.
		if err := parseForm(r); err != nil {
			if tl, ok := overLimit(err); ok {
				Error(w, r, tl)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// formMemory is how much of a multipart form is kept in memory; the rest
// of a file waits in a temporary file.
const formMemory = 32 << 20

// parseForm reads a form body (URL-encoded or multipart) into r.Form and
// r.PostForm; other bodies are left to their handler.
func parseForm(r *http.Request) error {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return nil
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		return r.ParseForm()
	case strings.HasPrefix(ct, "multipart/form-data"):
		return r.ParseMultipartForm(formMemory)
	}
	return nil
}

// tooLarge is the refusal of a body over limit bytes, which the message
// gives in megabytes.
func tooLarge(limit int64) *errs.Error {
	return errs.New(errs.TooLarge, "error.too_large", max(1, limit>>20))
}

// overLimit reports whether err is a read that hit its body's limit (and
// not already a refusal), with the refusal that says so.
func overLimit(err error) (*errs.Error, bool) {
	var mbe *http.MaxBytesError
	if _, ok := errs.As(err); !ok && errors.As(err, &mbe) {
		return tooLarge(mbe.Limit), true
	}
	return nil, false
}

// asTooLarge is err, or the refusal that says its body was over the limit.
func asTooLarge(err error) error {
	if tl, ok := overLimit(err); ok {
		return tl
	}
	return err
}
