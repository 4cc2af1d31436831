package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPracticeValidate checks a tutor's files as the start would: a good
// scenario passes, the broken one in testdata is refused at its lines, a
// sets file naming a task that does not exist is refused at its line, and
// a directory is checked whole.
func TestPracticeValidate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	good, _ := filepath.Abs("../../internal/practice/scenarios/food-kiosk.yaml")
	broken, _ := filepath.Abs("../../internal/practice/testdata/broken.yaml")
	var out bytes.Buffer
	if err := runPractice(ctx, []string{"validate", good}, &out); err != nil || !strings.Contains(out.String(), "ok — food-kiosk") {
		t.Fatalf("a good file: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := runPractice(ctx, []string{"validate", "--lang", "en", broken}, &out); err == nil || !strings.Contains(out.String(), "broken.yaml:15:") {
		t.Fatalf("the broken file: %v\n%s", err, out.String())
	}

	dir := t.TempDir()
	mine, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	mine = bytes.Replace(mine, []byte("id: food-kiosk"), []byte("id: my-kiosk"), 1)
	if err := os.WriteFile(filepath.Join(dir, "my-kiosk.yaml"), mine, 0o644); err != nil {
		t.Fatal(err)
	}
	sets := "- id: mine\n  title: {ko: \"내 묶음\", en: \"Mine\"}\n  tasks:\n    - my-kiosk/bulgogi-set-cola\n    - my-kiosk/no-such-task\n"
	if err := os.WriteFile(filepath.Join(dir, "sets.yaml"), []byte(sets), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = runPractice(ctx, []string{"validate", "--lang", "en", dir}, &out)
	if err == nil || !strings.Contains(out.String(), "sets.yaml:5: There is no task “my-kiosk/no-such-task”") {
		t.Fatalf("a directory with a broken sets file: %v\n%s", err, out.String())
	}
	if err := os.WriteFile(filepath.Join(dir, "sets.yaml"), []byte(strings.Replace(sets, "    - my-kiosk/no-such-task\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runPractice(ctx, []string{"validate", dir}, &out); err != nil || !strings.Contains(out.String(), "ok — 10 emulators") {
		t.Fatalf("a good directory: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := runPractice(ctx, []string{"validate", filepath.Join(dir, "my-kiosk.yaml"), filepath.Join(dir, "sets.yaml")}, &out); err != nil ||
		!strings.Contains(out.String(), "sets.yaml: ok — 1 sets") {
		t.Fatalf("a scenario with its sets file: %v\n%s", err, out.String())
	}
}
