package interoptest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// Run sends in as JSON to `node script cmd` in tools/interop and decodes the
// answer into out, numbers as json.Number. pkg is a package the script needs,
// checked before Node is started.
func Run(t testing.TB, pkg, script, cmd string, in, out any) {
	t.Helper()
	node, dir := Require(t, pkg)
	body, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, node, script, cmd)
	c.Dir = dir
	c.Stdin = bytes.NewReader(body)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		t.Fatalf("node %s %s: %v\n%s", script, cmd, err, stderr.String())
	}
	dec := json.NewDecoder(&stdout)
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		t.Fatalf("node %s %s: bad output: %v", script, cmd, err)
	}
}

// Require returns node and tools/interop when pkg is installed there, and
// otherwise skips t (fails it when CI=true). Tests call it first, so that a
// skip costs nothing.
func Require(t testing.TB, pkg string) (node, dir string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir = filepath.Join(filepath.Dir(file), "..", "..", "tools", "interop")
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("interop: "+format+" (CI=true: run bash tools/interop/install.sh first)", args...)
		}
		t.Skipf("interop: "+format+"; run bash tools/interop/install.sh to enable", args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not on PATH")
	}
	if _, err = os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
		missing("%s is not installed", filepath.Join(dir, "node_modules", pkg))
	}
	return node, dir
}
