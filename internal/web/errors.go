package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/sheet"
)

var statusOf = map[errs.Code]int{
	errs.Invalid:          http.StatusUnprocessableEntity,
	errs.NotFound:         http.StatusNotFound,
	errs.Conflict:         http.StatusConflict,
	errs.Unauthorized:     http.StatusUnauthorized,
	errs.Forbidden:        http.StatusForbidden,
	errs.TooMany:          http.StatusTooManyRequests,
	errs.MethodNotAllowed: http.StatusMethodNotAllowed,
	errs.TooLarge:         http.StatusRequestEntityTooLarge,
	errs.Internal:         http.StatusInternalServerError,
}

//go:embed pages/templates/*.html
var pagesFS embed.FS

// errorViews renders the shared pages of the layout itself (the error page).
var errorViews = MustViews(mustSub(pagesFS, "pages"))

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Status is the HTTP status that answers err.
func Status(err error) int { return statusOf[errs.CodeOf(err)] }

// IsAPI reports whether a request wants JSON: the API paths, or an explicit Accept.
func IsAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.Header.Get("Accept") == "application/json"
}

// Message returns the localized text of err for the request's language.
func Message(r *http.Request, err error) string {
	l := i18n.For(PrefsFrom(r.Context()).Lang)
	if e, ok := errs.As(err); ok {
		return l.T(e.Key, e.Args...)
	}
	return l.T("error.internal")
}

// Error answers err: a safe localized message in JSON for the API, or in
// the page layout otherwise. Internal errors are logged and not shown.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	err = asTooLarge(err)
	code := errs.CodeOf(err)
	status := statusOf[code]
	if code == errs.Internal {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", r.Pattern, "err", err)
	}
	RetryAfter(w, err)
	if code == errs.Unauthorized && !IsAPI(r) && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	msg := Message(r, err)
	e, _ := errs.As(err)
	if IsAPI(r) {
		ErrorWith(w, r, err, nil)
		return
	}
	// A page that needs something first is not an error to the person:
	// it says what and links to the place that gives it.
	if e != nil && e.NeedsHref != "" && r.Method == http.MethodGet {
		if rerr := errorViews.Render(w, r, http.StatusOK, "needs", map[string]any{"Message": msg, "Href": SafeNext(e.NeedsHref), "Label": e.NeedsLabel}); rerr == nil {
			return
		}
	}
	if rerr := errorViews.Render(w, r, status, "error", map[string]any{"Message": msg, "Status": status}); rerr != nil {
		slog.ErrorContext(r.Context(), "render error page", "err", rerr)
		http.Error(w, msg, status)
	}
}

// ErrorWith answers err in JSON with more members beside "error" (the
// close names offered with a refused place, for example), so a client gets
// in one answer what the page shows around its error message.
func ErrorWith(w http.ResponseWriter, r *http.Request, err error, more map[string]any) {
	err = asTooLarge(err)
	code := errs.CodeOf(err)
	RetryAfter(w, err)
	detail := map[string]any{"code": code, "message": Message(r, err)}
	if e, ok := errs.As(err); ok {
		if e.Field != "" {
			detail["field"] = e.Field
		}
		if e.NeedsHref != "" {
			detail["next"] = e.NeedsHref
		}
	}
	body := map[string]any{"error": detail}
	for k, v := range more {
		if k != "error" {
			body[k] = v
		}
	}
	JSON(w, statusOf[code], body)
}

// RetryAfter sets the Retry-After header, in whole seconds, of a refusal
// that says when to try again (errs.Error.After). Error does it; a handler
// that shows a refusal on its own form calls it before rendering.
func RetryAfter(w http.ResponseWriter, err error) {
	if e, ok := errs.As(err); ok && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(max(1, math.Ceil(e.RetryAfter.Seconds())))))
	}
}

// NotFound answers 404 for an unknown path.
func NotFound(w http.ResponseWriter, r *http.Request) {
	Error(w, r, errs.New(errs.NotFound, "error.page_not_found"))
}

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// JSONList is each of xs as conv writes it, for a list in a JSON answer:
// an empty list is [], never null.
func JSONList[T, J any](xs []T, conv func(T) J) []J {
	out := make([]J, len(xs))
	for i, x := range xs {
		out[i] = conv(x)
	}
	return out
}

// FormFailure puts a refusal on a form page: its message and the field at
// fault, and the status to answer with. An error that is not a refusal is
// returned, for the error page.
func FormFailure(r *http.Request, failure error, msg, field *string) (int, error) {
	if failure == nil {
		return http.StatusOK, nil
	}
	e, ok := errs.As(failure)
	if !ok {
		return 0, failure
	}
	*msg, *field = Message(r, e), e.Field
	return Status(e), nil
}

// FormState is what a page with a form gets back after a refusal: the
// message, the field at fault and what the person typed.
type FormState struct {
	Error  string
	Field  string
	Values map[string]string
}

// Checkbox is a checkbox in a FormState's Values: "1", what every form's
// checkboxes send, when it is ticked, and "" when not.
func Checkbox(ticked bool) string {
	if ticked {
		return "1"
	}
	return ""
}

// Refused turns a refusal into the form's state and status. What a form
// cannot fix (sign in, not allowed) and internal errors are returned, for
// the error page. A thing the form names that does not exist (a ticket
// number, a registration) is said on the form; a page whose own subject
// is gone fails when the handler reloads it to render the form.
func Refused(r *http.Request, err error, values map[string]string) (FormState, int, error) {
	if c := errs.CodeOf(err); c == errs.Unauthorized || c == errs.Forbidden {
		return FormState{}, 0, err
	}
	f := FormState{Values: values}
	status, err := FormFailure(r, err, &f.Error, &f.Field)
	return f, status, err
}

// Redraw answers a form's refusal by drawing the form again: err becomes
// the form's state and status as Refused makes them, with the values the
// person sent, and draw renders the page with them. What a form cannot fix
// (sign in, not allowed, internal errors) is returned, for the error page.
func Redraw(r *http.Request, err error, values map[string]string, draw func(status int, form FormState) error) error {
	form, status, err := Refused(r, err, values)
	if err != nil {
		return err
	}
	return draw(status, form)
}

// PathID is the positive integer id in the route's wildcard name; any
// other text is a page that does not exist.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.New(errs.NotFound, "error.page_not_found")
	}
	return id, nil
}

// ForPathID calls f with the request's context and the id in the route's
// wildcard name, read as PathID reads it: the one way a handler loads (or
// acts on) what its path names.
func ForPathID[T any](r *http.Request, name string, f func(context.Context, int64) (T, error)) (T, error) {
	id, err := PathID(r, name)
	if err != nil {
		var zero T
		return zero, err
	}
	return f(r.Context(), id)
}

// ImportOutcome is what an import page shows of a refused file; the
// import_outcome partial draws it.
type ImportOutcome struct {
	Error    string
	Problems []ImportProblem
	Capped   bool // more problems than were kept
}

// ImportProblem is one problem of a refused file, in the reader's language.
type ImportProblem struct {
	Line    int
	Column  string
	Message string
}

// ImportRefusal turns a refused import into what its page shows and the
// status to answer with: every problem of a spreadsheet by line, or the one
// refusal that stopped it. What the page cannot show (sign in, not allowed)
// and internal errors are returned, for the error page.
func ImportRefusal(r *http.Request, err error) (ImportOutcome, int, error) {
	var se *sheet.Error
	if errors.As(err, &se) {
		out := ImportOutcome{Error: Message(r, err), Capped: se.Capped}
		for _, p := range se.Problems {
			out.Problems = append(out.Problems, ImportProblem{Line: p.Line, Column: p.Column, Message: p.Text(PrefsFrom(r.Context()).Lang)})
		}
		return out, http.StatusUnprocessableEntity, nil
	}
	e, ok := errs.As(err)
	if !ok || e.Code == errs.Forbidden || e.Code == errs.Unauthorized {
		return ImportOutcome{}, 0, err
	}
	return ImportOutcome{Error: Message(r, e)}, Status(e), nil
}
