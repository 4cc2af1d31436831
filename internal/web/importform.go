package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/maeul/maeul/internal/errs"
)

// ImportForm answers the POST of a staff import page, the same for every
// part: it takes the form's file (field "file", at most max bytes, else
// the form says "import.too_large"), gives it to read, and calls show with
// the status and either what read made of it or, for a refused file, what
// the page says (ImportRefusal: every problem by line, or the one refusal).
// What the page cannot show (sign in, not allowed) and internal errors are
// returned, for the error page. The route is registered with
// Upload(max+FormEnvelope).
func ImportForm[T any](w http.ResponseWriter, r *http.Request, max int64, read func(io.Reader) (T, error),
	show func(status int, res *T, out ImportOutcome) error) error {
	res, err := readImport(w, r, max, read)
	if err != nil {
		out, status, err := ImportRefusal(r, err)
		if err != nil {
			return err
		}
		return show(status, nil, out)
	}
	return show(http.StatusOK, &res, ImportOutcome{})
}

func readImport[T any](w http.ResponseWriter, r *http.Request, max int64, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	tooLarge := errs.Field("file", "import.too_large", max>>20)
	if r.ContentLength > max+FormEnvelope {
		return zero, tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, max+FormEnvelope)
	file, fh, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return zero, tooLarge
		}
		return zero, errs.Field("file", "import.file_required")
	}
	defer file.Close()
	if fh.Size > max {
		return zero, tooLarge
	}
	return read(io.LimitReader(file, max))
}
