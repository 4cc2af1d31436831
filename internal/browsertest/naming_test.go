package browsertest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// CI runs the tests named TestBrowser… without the race detector and all
// others with it (.ci/run): a test that starts a browser under another name
// would run its browser under -race, several times slower, and a TestBrowser…
// that starts none would lose the race detector for nothing.
func TestTestsStartingABrowserAreNamedSo(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "Test") {
				continue
			}
			starts := false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Start" {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == "browsertest" {
						starts = true
					}
				}
				return !starts
			})
			browserName := strings.HasPrefix(fn.Name.Name, "TestBrowser")
			switch {
			case starts && !browserName:
				t.Errorf("%s: %s starts a browser: name it TestBrowser…", path, fn.Name.Name)
			case browserName && !starts:
				t.Errorf("%s: %s starts no browser: only browser tests are named TestBrowser…", path, fn.Name.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
