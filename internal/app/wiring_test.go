package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db/dbtest"
)

// optionalConfig are the fields of parts' options that may be zero in a
// running app: the operator's configuration, which app.Options passes
// through as given, not something a part needs from another. Every other
// field is wiring and must be set.
var optionalConfig = map[string]bool{
	// An optional tile server behind the maps (serve --tile-url,
	// --tile-attribution); without one the maps draw the zones only.
	"places.Options.TileURL":         true,
	"places.Options.TileAttribution": true,
	"guides.Options.TileURL":         true,
	"guides.Options.TileAttribution": true,
}

// notWiring are the packages whose Options are not what a part needs from
// the rest, and so are not in parts.
var notWiring = map[string]string{
	"app":   "the app's own configuration, which wire turns into the parts' options",
	"demo":  "how the demo city is generated",
	"chart": "how one chart is drawn, given by its caller per chart",
}

// TestEveryPartIsWired: app.New gives every part every field of its
// options (what New passed is kept as App.wired), so no feature can be
// tested in its part and left off in the running app, as the board's "my
// zone" once was.
func TestEveryPartIsWired(t *testing.T) {
	t.Parallel()
	a, err := New(dbtest.SQLite(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(a.wired)
	for i := range v.NumField() {
		part := v.Field(i)
		for j := range part.NumField() {
			name := optionName(part.Type(), j)
			if part.Field(j).IsZero() && !optionalConfig[name] {
				t.Errorf("%s is never set by app.New: wire it in wire (internal/app/wiring.go)", name)
			}
		}
	}

	// The optional configuration is passed through when it is given.
	a, err = New(dbtest.SQLite(t), Options{TileURL: "https://tiles.example/{z}/{x}/{y}.png", TileAttribution: "© example"})
	if err != nil {
		t.Fatal(err)
	}
	v = reflect.ValueOf(a.wired)
	for i := range v.NumField() {
		part := v.Field(i)
		for j := range part.NumField() {
			if name := optionName(part.Type(), j); optionalConfig[name] && part.Field(j).IsZero() {
				t.Errorf("%s is not passed on from app.Options", name)
			}
		}
	}
	for name := range optionalConfig {
		if !hasOption(v.Type(), name) {
			t.Errorf("optionalConfig names %s, which no part has", name)
		}
	}
}

// TestEveryPartsOptionsAreInParts: each package's Options (or Deps) struct
// is a field of parts, so the test above sees it; a new part's options
// cannot be passed by hand beside them.
func TestEveryPartsOptionsAreInParts(t *testing.T) {
	t.Parallel()
	have := map[string]bool{}
	pt := reflect.TypeOf(parts{})
	for i := range pt.NumField() {
		f := pt.Field(i).Type
		have[filepath.Base(f.PkgPath())+"."+f.Name()] = true
	}
	dirs, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, dir := range dirs {
		if !dir.IsDir() || notWiring[dir.Name()] != "" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join("..", dir.Name(), "*.go"))
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					if _, isStruct := ts.Type.(*ast.StructType); isStruct && (ts.Name.Name == "Options" || ts.Name.Name == "Deps") {
						found = append(found, dir.Name()+"."+ts.Name.Name)
					}
				}
			}
		}
	}
	sort.Strings(found)
	if len(found) < 8 {
		t.Fatalf("found only %v: is the test reading internal/?", found)
	}
	for _, name := range found {
		if !have[name] {
			t.Errorf("%s is not a field of app's parts: app.New must pass it from wire, where the wiring test sees it", name)
		}
	}
}

func optionName(part reflect.Type, field int) string {
	return filepath.Base(part.PkgPath()) + "." + part.Name() + "." + part.Field(field).Name
}

func hasOption(pt reflect.Type, name string) bool {
	for i := range pt.NumField() {
		part := pt.Field(i).Type
		for j := range part.NumField() {
			if optionName(part, j) == name {
				return true
			}
		}
	}
	return false
}
