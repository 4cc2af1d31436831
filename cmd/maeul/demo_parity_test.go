package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/demo"
)

// TestDemoThenServeIsTheSameCity: `maeul demo` followed by `serve --demo`
// gives the city a fresh `serve --demo` gives — every table holds as many
// rows — because both build it with buildDemo. (They once differed: the
// places, rooms, programmes, guides and shops were made only on serve's
// first start, so after `maeul demo` there were none.)
func TestDemoThenServeIsTheSameCity(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a demo city four times")
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	key := base64.StdEncoding.EncodeToString(secret)
	backends := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "demo.db") },
		"postgres": func(t *testing.T) string { return dbtest.PostgresDSN(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			twoSteps, fresh := backends[name](t), backends[name](t)
			if out, err := exec.Command(buildMaeul(t), "demo", "--db", twoSteps, "--issuer-secret", key, "--citizens", "300").CombinedOutput(); err != nil {
				t.Fatalf("maeul demo: %v\n%s", err, out)
			}
			again := serveDemoOnce(t, "--db", twoSteps, "--issuer-secret", key, "--demo-citizens", "300")
			if !strings.Contains(again, "Demo city already present; nothing added.") {
				t.Errorf("serve --demo after maeul demo:\n%s", again)
			}
			first := serveDemoOnce(t, "--db", fresh, "--issuer-secret", key, "--demo-citizens", "300")
			if !strings.Contains(first, "Demo booking:") {
				t.Fatalf("serve --demo on an empty database:\n%s", first)
			}
			a, b := rowCounts(t, twoSteps), rowCounts(t, fresh)
			for _, table := range tableNames(a, b) {
				if a[table] != b[table] {
					t.Errorf("%s: %d rows after demo then serve --demo, %d after serve --demo", table, a[table], b[table])
				}
			}
			for _, table := range []string{"facilities", "booking_resources", "programmes", "guide_hotspots", "merchants", "credentials"} {
				if _, ok := b[table]; !ok {
					t.Errorf("no table %s", table)
				} else if b[table] == 0 {
					t.Errorf("the demo city has no %s", table)
				}
			}
		})
	}
}

// TestServeDemoCompletesAHalfBuiltCity: a database `maeul demo` made before
// it built the whole city (people and courses, no places) is completed by
// `serve --demo`.
func TestServeDemoCompletesAHalfBuiltCity(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a demo city")
	}
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	ctx := context.Background()
	d, err := openDB(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, d, demo.Options{Citizens: 300}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	out := serveDemoOnce(t, "--db", dsn, "--demo-citizens", "300")
	if !strings.Contains(out, "completing it") || !strings.Contains(out, "Demo booking:") {
		t.Fatalf("serve --demo on a half-built demo city:\n%s", out)
	}
	if n := rowCounts(t, dsn)["booking_resources"]; n == 0 {
		t.Fatal("no bookable rooms after completing")
	}
}

// serveDemoOnce runs the maeul binary's `serve --demo`, without background
// jobs, until it serves, then stops it, and returns what it printed.
func serveDemoOnce(t *testing.T, args ...string) string {
	t.Helper()
	args = append([]string{"serve", "--demo", "--jobs=false", "--notify-file", filepath.Join(t.TempDir(), "messages.jsonl")}, args...)
	cmd, _, out := startMaeul(t, buildMaeul(t), "Maeul is serving", args...)
	cmd.Process.Kill()
	cmd.Wait()
	return out
}

// rowCounts counts the rows of every table of the database at dsn.
func rowCounts(t *testing.T, dsn string) map[string]int {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if d.Dialect == db.Postgres {
		q = `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')`
	}
	rows, err := d.Read().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 50 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := d.QueryRow(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM %q`, table)).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func tableNames(ms ...map[string]int) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
