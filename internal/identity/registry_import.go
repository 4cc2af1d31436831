package identity

import (
	"context"
	"database/sql"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/sheet"
)

// RegistryColumns are the columns of a registry export, required first.
var RegistryColumns = []string{"registry_id", "name", "birth_date", "district", "zone", "household_id", "children_under_19", "disability", "phone"}

var registryRequired = RegistryColumns[:8]

// IsRegistrySheet reports whether a header row is a registry export, so
// `maeul import` can tell it from the learning centre's sheets.
func IsRegistrySheet(header []string) bool {
	for _, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), "registry_id") {
			return true
		}
	}
	return false
}

// ParseRegistry reads a registry export and checks every row; districts is
// the set of valid district codes. It returns a *sheet.Error listing every
// problem with its line, or the residents ready for Import.
func ParseRegistry(r io.Reader, districts map[string]bool, now time.Time) ([]Resident, error) {
	var ps sheet.Problems
	t, err := sheet.Read(r, &ps)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, ps.Err()
	}
	t.Check(RegistryColumns, registryRequired, &ps)
	if ps.Len() > 0 {
		return nil, ps.Err()
	}
	seen := map[string]int{}
	var out []Resident
	for _, row := range t.Rows {
		res, ok := parseResident(row, &ps, districts, now)
		if first, dup := seen[res.RegistryID]; dup && res.RegistryID != "" {
			ps.Add(row.Line, "registry_id", "sheet.duplicate", first)
			ok = false
		} else {
			seen[res.RegistryID] = row.Line
		}
		if ok {
			out = append(out, res)
		}
		if ps.Full() {
			break
		}
	}
	if ps.Len() == 0 && len(out) == 0 {
		ps.Add(0, "", "sheet.no_rows")
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func parseResident(row sheet.Row, ps *sheet.Problems, districts map[string]bool, now time.Time) (Resident, bool) {
	n := ps.Len()
	r := Resident{RegistryID: row.Get("registry_id"), Name: row.Get("name"), District: row.Get("district"), Zone: row.Get("zone"),
		HouseholdID: row.Get("household_id"), ChildrenUnder19: -1}
	if b, err := time.Parse(time.DateOnly, row.Get("birth_date")); err == nil {
		r.BirthDate = b
	}
	if c, err := strconv.Atoi(row.Get("children_under_19")); err == nil {
		r.ChildrenUnder19 = c
	}
	switch strings.ToLower(row.Get("disability")) {
	case "yes", "y", "true", "1", "예", "있음":
		r.Disability = true
	case "no", "n", "false", "0", "아니오", "없음":
	default:
		ps.Add(row.Line, "disability", "identity.disability_invalid")
	}
	if p := row.Get("phone"); p != "" {
		e164, err := auth.NormalizePhone(p)
		if err != nil {
			ps.Add(row.Line, "phone", "auth.phone_invalid")
		}
		r.Phone = e164
	}
	for _, e := range r.problems(now) {
		ps.Add(row.Line, e.Field, e.Key, e.Args...)
	}
	if len(r.District) == 5 && !districts[r.District] {
		ps.Add(row.Line, "district", "identity.district_invalid")
	}
	return r, ps.Len() == n
}

// Import writes checked residents in one transaction: all or none.
func (g *Registry) Import(ctx context.Context, rs []Resident) error {
	return g.db.Tx(ctx, func(tx *sql.Tx) error { return g.SaveTx(ctx, tx, rs) })
}
