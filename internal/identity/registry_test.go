package identity

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/sheet"
)

var testDistricts = map[string]bool{"21090": true, "21050": true}

const goodRegistry = "\ufeffregistry_id,name,birth_date,district,zone,household_id,children_under_19,disability,phone\n" +
	"R-1,김영희,1950-03-04,21090,HAE-2,H-1,0,예,010-1234-5678\n" +
	"\n" +
	"R-2,박철수,1985-11-30,21050,JIN-1,H-2,2,no,\n"

func TestImportRegistry(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		g := NewRegistry(d)
		rs, err := ParseRegistry(strings.NewReader(goodRegistry), testDistricts, now)
		if err != nil || len(rs) != 2 {
			t.Fatalf("parse: %d %v", len(rs), err)
		}
		if !rs[0].Disability || rs[0].Phone != "+821012345678" || rs[1].ChildrenUnder19 != 2 {
			t.Fatalf("rows: %+v", rs)
		}
		if err := g.Import(ctx, rs); err != nil {
			t.Fatal(err)
		}
		r, err := g.ByPhone(ctx, "+821012345678")
		if err != nil || r.Name != "김영희" || r.BirthDate.Format(time.DateOnly) != "1950-03-04" {
			t.Fatalf("stored: %+v %v", r, err)
		}
		// A second import of the same ids updates, it does not duplicate.
		if err := g.Import(ctx, rs); err != nil {
			t.Fatal(err)
		}
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM residents`).Scan(&n)
		if n != 2 {
			t.Fatalf("%d residents after a re-import", n)
		}
	})
}

func TestRegistryProblemsHaveLineNumbers(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	bad := "registry_id,name,birth_date,district,zone,household_id,children_under_19,disability\n" +
		"R-1,김영희,1950-03-04,21090,HAE-2,H-1,0,예\n" +
		"R-2,,1950-02-30,99999,HAE-2,H-1,x,maybe\n" +
		"R-1,이름,2030-01-01,21090,HAE-2,H-3,0,no\n"
	_, err := ParseRegistry(strings.NewReader(bad), testDistricts, now)
	var se *sheet.Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v", err)
	}
	got := map[string]bool{}
	for _, p := range se.Problems {
		got[strings.Join([]string{itoa(p.Line), p.Column, p.Key}, " ")] = true
	}
	for _, want := range []string{
		"3 name identity.name_invalid", "3 birth_date identity.birth_date_invalid", "3 district identity.district_invalid",
		"3 children_under_19 identity.children_invalid", "3 disability identity.disability_invalid",
		"4 registry_id sheet.duplicate", "4 birth_date identity.birth_date_invalid",
	} {
		if !got[want] {
			t.Errorf("missing problem %q in %v", want, got)
		}
	}
	for _, c := range []struct{ name, file, key string }{
		{"missing column", "registry_id,name\nR-1,x\n", "sheet.missing_column"},
		{"not UTF-8", "registry_id,name\n\xff\xfe\n", "sheet.not_utf8"},
		{"empty", "", "sheet.empty"},
		{"header only", "registry_id,name,birth_date,district,zone,household_id,children_under_19,disability\n", "sheet.no_rows"},
		{"unknown column", "registry_id,name,birth_date,district,zone,household_id,children_under_19,disability,shoe_size\n", "sheet.unknown_column"},
	} {
		_, err := ParseRegistry(strings.NewReader(c.file), testDistricts, now)
		if !errors.As(err, &se) || se.Problems[0].Key != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
	}
}

func FuzzParseRegistry(f *testing.F) {
	f.Add(goodRegistry)
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		rs, err := ParseRegistry(strings.NewReader(s), testDistricts, now)
		if err == nil {
			for _, r := range rs {
				if err := r.Validate(now); err != nil || !testDistricts[r.District] {
					t.Fatalf("accepted an invalid resident %+v: %v", r, err)
				}
			}
		}
	})
}
