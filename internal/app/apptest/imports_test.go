package apptest_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOnlyTestsImportApptest: the harness is test code; no package of the
// module but its tests may import it.
func TestOnlyTestsImportApptest(t *testing.T) {
	t.Parallel()
	const path = "github.com/maeul/maeul/internal/app/apptest"
	root := filepath.Join("..", "..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, im := range f.Imports {
			if v, _ := strconv.Unquote(im.Path.Value); v == path && f.Name.Name != "apptest" {
				t.Errorf("%s imports %s: only tests may", p, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
