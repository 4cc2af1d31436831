package db_test

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// files reads the migrations of dir that keep accepts (all when nil).
func files(t *testing.T, dir fs.FS, keep func(version int) bool) fstest.MapFS {
	t.Helper()
	names, err := fs.Glob(dir, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, name := range names {
		v, err := strconv.Atoi(name[:4])
		if err != nil {
			t.Fatal(err)
		}
		if keep != nil && !keep(v) {
			continue
		}
		b, err := fs.ReadFile(dir, name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = &fstest.MapFile{Data: b}
	}
	return out
}

// schema lists the database's tables, each with its columns, and its indexes.
func schema(t *testing.T, d *db.DB) (tables map[string][]string, indexes []string) {
	t.Helper()
	ctx := context.Background()
	cols := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	idx := `SELECT name FROM sqlite_master WHERE type = 'index'`
	if d.Dialect == db.Postgres {
		// pg_catalog: information_schema is slow.
		cols = `SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
			WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`
		idx = `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('i', 'I')`
	}
	rows, err := d.Read().QueryContext(ctx, cols)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	tables = map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			t.Fatal(err)
		}
		tables[table] = append(tables[table], column)
	}
	for _, c := range tables {
		slices.Sort(c)
	}
	rows, err = d.Read().QueryContext(ctx, idx)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		indexes = append(indexes, name)
	}
	slices.Sort(indexes)
	return tables, indexes
}

// freshSchema is the schema today's migrations make on a database of d's
// kind, made once per kind.
func freshSchema(t *testing.T, d *db.DB) (tables map[string][]string, indexes []string) {
	t.Helper()
	fresh.Lock()
	defer fresh.Unlock()
	s, ok := fresh.schemas[d.Dialect]
	if !ok {
		f := dbtest.SQLite(t)
		if d.Dialect == db.Postgres {
			f = dbtest.Postgres(t)
		}
		s.tables, s.indexes = schema(t, f)
		fresh.schemas[d.Dialect] = s
	}
	return s.tables, s.indexes
}

var fresh = struct {
	sync.Mutex
	schemas map[db.Dialect]struct {
		tables  map[string][]string
		indexes []string
	}
}{schemas: map[db.Dialect]struct {
	tables  map[string][]string
	indexes []string
}{}}

// sameTables reports every table and column that got and want do not share.
func sameTables(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for _, table := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[table]; !ok {
			t.Errorf("table %s is missing", table)
		} else if !slices.Equal(got[table], want[table]) {
			t.Errorf("table %s has columns\n\t%v, want\n\t%v", table, got[table], want[table])
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			t.Errorf("table %s is left over", table)
		}
	}
}

// checksumsAre checks what schema_migrations records: each file's checksum,
// or none for the versions in unknown.
func checksumsAre(t *testing.T, d *db.DB, unknown ...int) {
	t.Helper()
	ms, err := db.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	got := checksums(t, d)
	if len(got) != len(ms) {
		t.Errorf("%d migrations recorded, want %d", len(got), len(ms))
	}
	for _, m := range ms {
		want := m.Checksum
		if slices.Contains(unknown, m.Version) {
			want = ""
		}
		if s := got[m.Version]; s.String != want || s.Valid != (want != "") {
			t.Errorf("%s: checksum %v recorded, want %q", m.File, s, want)
		}
	}
}

func migrate(t *testing.T, d *db.DB, want int) {
	t.Helper()
	n, err := d.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("applied %d migrations, want %d", n, want)
	}
}

// TestUpgradeFrom2bb40e8: a database made by the migrations as they stood
// at commit 2bb40e8 (0001–0021: byte for byte today's, which
// TestMigrationsAreSealed holds to their checksums, so not copied), by the
// migrator before sealing, is brought to today's schema: the same tables,
// columns and indexes as a fresh database. Its checksums are recorded on
// the way, except for the migrations edited after they landed.
func TestUpgradeFrom2bb40e8(t *testing.T) {
	unmigrated(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.MigrateUnsealed(ctx, at2bb40e8(t, nil)); err != nil {
			t.Fatal(err)
		}
		ms, err := db.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		migrate(t, d, len(ms)-21)
		gotTables, gotIndexes := schema(t, d)
		wantTables, wantIndexes := freshSchema(t, d)
		sameTables(t, gotTables, wantTables)
		if !slices.Equal(gotIndexes, wantIndexes) {
			t.Errorf("indexes\n\t%v, want\n\t%v", gotIndexes, wantIndexes)
		}
		checksumsAre(t, d, 9, 13, 18, 21)
		migrate(t, d, 0)
	})
}

// TestUpgradeFromMigrationsAsLanded: a database that applied 0013, 0018,
// 0021 and 0023 as they first landed, before they were edited, lacks what
// the edits added; migration 0025 adds it. Those files stay sealed all the
// same: an edit now is refused even though their rows keep no checksum.
func TestUpgradeFromMigrationsAsLanded(t *testing.T) {
	unmigrated(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		old := at2bb40e8(t, nil)
		maps.Copy(old, files(t, db.MigrationFiles(), func(v int) bool { return v > 21 && v <= 24 }))
		maps.Copy(old, files(t, os.DirFS("testdata/as-landed"), func(v int) bool { return v != 9 }))
		if err := d.MigrateUnsealed(ctx, old); err != nil {
			t.Fatal(err)
		}
		wantTables, _ := freshSchema(t, d)
		gotTables, _ := schema(t, d)
		for _, missing := range []string{"booking_resources.draw_days", "booking_resources.draw_hour",
			"guide_checkins", "ledger_pending.owner", "ledger_pending.salt"} {
			table, column, _ := strings.Cut(missing, ".")
			if column == "" && gotTables[table] == nil || column != "" && !slices.Contains(gotTables[table], column) {
				continue
			}
			t.Errorf("the migrations as they landed made %s already", missing)
		}

		migrate(t, d, 1)
		gotTables, gotIndexes := schema(t, d)
		sameTables(t, gotTables, wantTables)
		if !slices.Contains(gotIndexes, "guide_checkins_hotspot") {
			t.Error("no index guide_checkins_hotspot")
		}
		checksumsAre(t, d, 9, 13, 18, 21, 23)
		migrate(t, d, 0)

		defer db.UseMigrationFiles(editedFiles(t, "0021_guides.sql"))()
		_, err := d.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), "migration 0021_guides.sql was changed after it was sealed") {
			t.Fatalf("err = %v, want a refusal naming 0021_guides.sql", err)
		}
	})
}

// TestEarlyLedgerIsRefused: 0009 as it stood before 799bc61 kept a ledger
// that no migration converts; a start says so, naming the file, before 0023
// would fail on it, and leaves the database as it was.
func TestEarlyLedgerIsRefused(t *testing.T) {
	unmigrated(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		old := at2bb40e8(t, func(v int) bool { return v < 9 })
		maps.Copy(old, files(t, os.DirFS("testdata/as-landed"), func(v int) bool { return v == 9 }))
		if err := d.MigrateUnsealed(ctx, old); err != nil {
			t.Fatal(err)
		}
		_, err := d.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), "this database applied an early version of migration 0009_ledger.sql") {
			t.Fatalf("err = %v, want a refusal naming 0009_ledger.sql", err)
		}
		t.Log(err)
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != 9 {
			t.Errorf("%d migrations recorded (%v), want 9", n, err)
		}
		if _, err := d.Read().QueryContext(ctx, `SELECT checksum FROM schema_migrations`); err == nil {
			t.Error("the refusal left a checksum column behind")
		}
	})
}

// at2bb40e8 are the migrations as they stood at commit 2bb40e8 (those of
// them keep says): 0001–0021, unchanged since, as the golden checksums hold.
func at2bb40e8(t *testing.T, keep func(int) bool) fstest.MapFS {
	t.Helper()
	return files(t, db.MigrationFiles(), func(v int) bool { return v <= 21 && (keep == nil || keep(v)) })
}
