package sheet

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// A cell a spreadsheet would run is written as text; numbers stay numbers;
// what Maeul reads back is what it wrote.
func TestWriterNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	row := []string{"=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "-3500", "+82", "12,000", "가게", ""}
	want := []string{"'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd", "'\rcmd", "-3500", "+82", "12,000", "가게", ""}
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&b).Read()
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cell %d: %q, want %q", i, got[i], want[i])
		}
		if Restore(got[i]) != row[i] {
			t.Errorf("cell %d does not read back: %q", i, Restore(got[i]))
		}
	}
	if row[0][0] != '=' {
		t.Error("Write changed the caller's row")
	}
	if Restore("'plain") != "'plain" {
		t.Error("Restore took the quote off a cell Neutralise did not write")
	}
}
