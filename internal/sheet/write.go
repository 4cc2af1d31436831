package sheet

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Writer writes CSV that is safe to open in a spreadsheet: a cell that a
// spreadsheet would run as a formula — one starting with = + - @, a tab or
// a carriage return (OWASP's CSV injection list) — is written with a ' in
// front, which spreadsheets show as text. Numbers, negative ones too, are
// written as they are. Every file Maeul lets staff download goes through it.
type Writer struct {
	w *csv.Writer
	// UseCRLF ends lines with \r\n, as spreadsheets on Windows expect.
	UseCRLF bool
}

// NewWriter writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one row.
func (w *Writer) Write(row []string) error {
	w.w.UseCRLF = w.UseCRLF
	safe := row
	for i, cell := range row {
		if n := Neutralise(cell); n != cell {
			if &safe[0] == &row[0] {
				safe = append([]string(nil), row...)
			}
			safe[i] = n
		}
	}
	return w.w.Write(safe)
}

// WriteAll writes rows and flushes.
func (w *Writer) WriteAll(rows [][]string) error {
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return w.Flush()
}

// Flush writes what is buffered and reports the first error of any Write.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}

// Error is the first error of any Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }

// Neutralise is a cell as Writer writes it.
func Neutralise(cell string) string {
	if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return cell
	}
	if _, err := strconv.ParseFloat(cell, 64); err == nil && cell[0] != '\t' && cell[0] != '\r' {
		return cell
	}
	return "'" + cell
}

// Restore undoes Neutralise, for a file Maeul wrote and reads back.
func Restore(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && Neutralise(cell[1:]) == cell {
		return cell[1:]
	}
	return cell
}
