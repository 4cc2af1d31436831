package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/errs"
)

// MaxValueBytes is the most one query or form value may hold: far more than
// any name, search or message a person types (a board post is at most a few
// thousand characters), far less than what makes a database's text search
// give up (SQLite refuses LIKE patterns of 50,000 bytes).
const MaxValueBytes = 16 << 10

// CleanInput refuses, before any handler runs, what no person types and
// some databases cannot store: text that is not UTF-8, NUL characters (which
// PostgreSQL refuses in text), and values over MaxValueBytes, in the path,
// the query and the form's fields (not its files). The answer is a 422 in
// the person's language; nothing is changed.
func CleanInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkText(r.URL.Path); err != nil {
			Error(w, r, err)
			return
		}
		q, perr := parseQuery(r.URL.RawQuery)
		if perr != nil {
			Error(w, r, perr)
			return
		}
		if err := checkValues(q); err != nil {
			Error(w, r, err)
			return
		}
		// The form's fields (not its files), read as LimitBodies read them,
		// within their route's limit.
		if err := parseForm(r); err != nil {
			if tl, ok := overLimit(err); ok {
				Error(w, r, tl)
			} else {
				Error(w, r, errs.New(errs.Invalid, "error.bad_form"))
			}
			return
		}
		if err := checkValues(r.PostForm); err != nil {
			Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// parseQuery is url.ParseQuery, refusing a query it cannot read rather
// than dropping the parts it cannot (as r.URL.Query does).
func parseQuery(raw string) (map[string][]string, error) {
	out := map[string][]string{}
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, errs.New(errs.Invalid, "error.bad_text")
		}
		out[k] = append(out[k], v)
	}
	return out, nil
}

func checkValues(vs map[string][]string) error {
	for k, list := range vs {
		if err := checkText(k); err != nil {
			return err
		}
		for _, v := range list {
			if err := checkText(v); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkText(s string) error {
	if len(s) > MaxValueBytes {
		return errs.New(errs.Invalid, "error.too_long", MaxValueBytes/3)
	}
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return errs.New(errs.Invalid, "error.bad_text")
	}
	return nil
}

// DecodeJSON reads a JSON request body into v: one JSON value and nothing
// after it, no field v does not have, UTF-8 without NUL characters, at most
// 1 MiB. Anything else is refused with a 422 that names the problem.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if tl, ok := overLimit(err); ok {
		return tl
	}
	if err != nil {
		return errs.New(errs.Invalid, "error.bad_json")
	}
	if !utf8.Valid(raw) || bytes.Contains(raw, []byte(`\u0000`)) {
		return errs.New(errs.Invalid, "error.bad_text")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errs.New(errs.Invalid, "error.bad_json")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errs.New(errs.Invalid, "error.bad_json")
	}
	return nil
}

// NoBody is DecodeJSON for an action that takes nothing (cancel, end,
// draw): an empty body or {} is accepted, anything else refused, so a
// request meant for another route does not do this one's work.
func NoBody(w http.ResponseWriter, r *http.Request) error {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<10))
	if err != nil {
		return errs.New(errs.Invalid, "error.bad_json")
	}
	if s := strings.TrimSpace(string(raw)); s != "" && s != "{}" {
		return errs.New(errs.Invalid, "error.bad_json")
	}
	return nil
}

// MaxPage is the last page number any list answers; a link asking for a
// later one gets this one (usually empty), not an overflow.
const MaxPage = 100000

// PageNumber reads a "page" value: a number from 1 to MaxPage; anything
// else (missing, not a number, past any integer) is the nearest of those.
func PageNumber(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	switch {
	case err != nil && n > 0, n > MaxPage:
		return MaxPage
	case n < 1:
		return 1
	}
	return n
}
