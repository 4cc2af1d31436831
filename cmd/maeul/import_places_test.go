package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/streets"
)

func TestImportPlacesAndStreets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "m.db")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.csv", "ref,category,name_ko,lon,lat\na,senior,가,129.12,35.17\nb,bank,나,129.12,35.17\n")
	var out bytes.Buffer
	if err := runImport(ctx, []string{"--db", dsn, "--lang", "en", bad}, &out); err == nil || !strings.Contains(out.String(), "line 3, category:") {
		t.Fatalf("bad file: %v\n%s", err, out.String())
	}
	good := write("good.csv", "ref,category,name_ko,lon,lat\na,senior,가,129.12,35.17\nb,library,나,129.13,35.17\n")
	out.Reset()
	if err := runImport(ctx, []string{"--db", dsn, good}, &out); err != nil || !strings.Contains(out.String(), "2 facilities: 2 created") {
		t.Fatalf("good file: %v\n%s", err, out.String())
	}

	var pbf bytes.Buffer
	if _, err := streets.Synthesize(&pbf, streets.SynthOptions{Seed: 2, Nodes: 3000, West: 129.10, South: 35.15, East: 129.15, North: 35.19}); err != nil {
		t.Fatal(err)
	}
	extract := write("city.osm.pbf", pbf.String())
	out.Reset()
	if err := runImport(ctx, []string{"osm", "--db", dsn, extract}, &out); err != nil || !strings.Contains(out.String(), "walkable ways") {
		t.Fatalf("import osm: %v\n%s", err, out.String())
	}
	if err := runImport(ctx, []string{"osm", "--db", dsn, good}, &out); err == nil {
		t.Fatal("a CSV file accepted as a street extract")
	}
	d, err := openDB(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ex, ok, err := places.New(d).Streets(ctx)
	if err != nil || !ok || ex.Name != "city.osm.pbf" {
		t.Fatalf("streets after import: %+v %v %v", ex, ok, err)
	}
}

// TestImportHotspots: the guides' hotspots are told by their header; a bad
// row refuses the file at its line and writes nothing, a good file goes in.
func TestImportHotspots(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "m.db")
	hours := strings.Repeat(",0", 9) + ",120" + strings.Repeat(",0", 14)
	header := "ref,days,name_ko,kind,lat,lon,name_en,zone"
	for i := range 24 {
		header += fmt.Sprintf(",h%02d", i)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(header+"\n"+body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.csv", "stn,all,서면역,station,35.1578,129.0599,,"+hours+"\nmk,all,부전시장,castle,35.16,129.06,,"+hours+"\n")
	var out bytes.Buffer
	if err := runImport(ctx, []string{"--db", dsn, "--lang", "en", bad}, &out); err == nil || !strings.Contains(out.String(), "line 3, kind:") {
		t.Fatalf("a bad hotspot file: %v\n%s", err, out.String())
	}
	good := write("good.csv", "stn,all,서면역,station,35.1578,129.0599,,"+hours+"\nmk,mon-sat,부전시장,market,35.1621,129.0614,,"+hours+"\n")
	out.Reset()
	if err := runImport(ctx, []string{"--db", dsn, good}, &out); err != nil || !strings.Contains(out.String(), "2 hotspot(s): 2 created") {
		t.Fatalf("a good hotspot file: %v\n%s", err, out.String())
	}
}
