package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// MaxProblems bounds a report: past it, the file is probably not what the
// person meant to send, and more lines would not help.
const MaxProblems = 500

// Problem is one thing wrong with a file: its line (the header is line 1;
// 0 for the file as a whole), column, and a catalogue message.
type Problem struct {
	Line   int
	Column string
	Key    string
	Args   []any
}

// Text is the problem's message in lang.
func (p Problem) Text(lang string) string { return i18n.For(lang).T(p.Key, p.Args...) }

// Error is a refused file with every problem found. It converts to an
// *errs.Error (Invalid), so the web layer answers it as 422.
type Error struct {
	Problems []Problem
	Capped   bool
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sheet: %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		fmt.Fprintf(&b, "; line %d %s: %s", p.Line, p.Column, p.Text("en"))
	}
	return b.String()
}

// As lets errors.As see an Error as an *errs.Error.
func (e *Error) As(target any) bool {
	if t, ok := target.(**errs.Error); ok {
		*t = errs.New(errs.Invalid, "sheet.has_problems", len(e.Problems))
		return true
	}
	return false
}

// Problems collects problems up to MaxProblems.
type Problems struct {
	list   []Problem
	capped bool
}

// Add records a problem.
func (ps *Problems) Add(line int, column, key string, args ...any) {
	if len(ps.list) >= MaxProblems {
		ps.capped = true
		return
	}
	ps.list = append(ps.list, Problem{Line: line, Column: column, Key: key, Args: args})
}

// Len is how many problems were recorded.
func (ps *Problems) Len() int { return len(ps.list) }

// Full reports whether no more problems are recorded.
func (ps *Problems) Full() bool { return ps.capped }

// Err returns the problems as an *Error, or nil when there are none.
func (ps *Problems) Err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &Error{Problems: ps.list, Capped: ps.capped}
}

// Row is one data row.
type Row struct {
	Line   int
	fields []string
	cols   map[string]int
}

// Get returns the trimmed value of a column, "" when absent.
func (r Row) Get(column string) string {
	if i, ok := r.cols[column]; ok && i < len(r.fields) {
		return Restore(strings.TrimSpace(r.fields[i]))
	}
	return ""
}

// Table is a read file.
type Table struct {
	Header []string // lower-cased, trimmed
	Rows   []Row
	cols   map[string]int
}

// Has reports whether the header names column.
func (t *Table) Has(column string) bool { _, ok := t.cols[column]; return ok }

// Read reads a whole file, recording what makes it unreadable in ps; it
// returns nil when the file cannot be read at all.
func Read(r io.Reader, ps *Problems) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		ps.Add(1+bytes.Count(data[:firstInvalid(data)], []byte("\n")), "", "sheet.not_utf8")
		return nil, nil
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		ps.Add(0, "", "sheet.empty")
		return nil, nil
	}
	if err != nil {
		ps.Add(errLine(err, 1), "", "sheet.broken")
		return nil, nil
	}
	t := &Table{cols: map[string]int{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		t.Header = append(t.Header, h)
		if h == "" {
			continue
		}
		if _, dup := t.cols[h]; dup {
			ps.Add(1, h, "sheet.column_twice")
			continue
		}
		t.cols[h] = i
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A broken quote derails every later line: stop here.
			ps.Add(errLine(err, 0), "", "sheet.broken")
			break
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue // spreadsheets often end with empty rows
		}
		t.Rows = append(t.Rows, Row{Line: line, fields: rec, cols: t.cols})
	}
	return t, nil
}

// Check records unknown columns and missing required ones.
func (t *Table) Check(allowed, required []string, ps *Problems) {
	known := map[string]bool{}
	for _, c := range allowed {
		known[c] = true
	}
	for _, h := range t.Header {
		if h != "" && !known[h] {
			ps.Add(1, h, "sheet.unknown_column", strings.Join(allowed, ", "))
		}
	}
	for _, c := range required {
		if !t.Has(c) {
			ps.Add(1, c, "sheet.missing_column")
		}
	}
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func errLine(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	return fallback
}
