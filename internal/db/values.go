package db

import (
	"strconv"
	"strings"
)

// RowsPerInsert is how many rows a multi-row INSERT carries: enough that
// one statement does the work of many, few enough that SQLite, which looks
// $N placeholders up by name, does not spend more on finding them.
const RowsPerInsert = 16

// Values is the VALUES list of a multi-row insert of rows rows of cols
// columns: ($1, $2), ($3, $4), …
func Values(rows, cols int) string {
	var b strings.Builder
	n := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			n++
		}
		b.WriteByte(')')
	}
	return b.String()
}
