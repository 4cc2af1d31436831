package practice

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/maeul/maeul/internal/sheet"
)

// TestEveryScenarioIsValid is the check a tutor's new file must pass.
func TestEveryScenarioIsValid(t *testing.T) {
	t.Parallel()
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no scenarios")
	}
	for _, s := range all {
		// Playing each task's steps from the start reaches its end.
		for _, task := range s.Tasks {
			at := s.Start
			for _, st := range task.Steps {
				if st.Screen != at {
					t.Fatalf("%s/%s: step on %s while the machine shows %s", s.ID, task.ID, st.Screen, at)
				}
				sc, _ := s.Screen(at)
				b, _ := sc.Button(st.Button)
				at = b.Go
			}
		}
	}
}

func problemsOf(t *testing.T, err error) (*FileError, []sheet.Problem) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a file refused with its problems, got %v", err)
	}
	return fe, fe.Problems.Problems
}

func TestBrokenScenarioRefusedWithItsLine(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/broken.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("testdata/broken.yaml", data)
	fe, ps := problemsOf(t, err)
	if fe.File != "testdata/broken.yaml" {
		t.Errorf("file %q", fe.File)
	}
	want := map[string]int{"practice.no_such_screen": 15, "practice.no_such_button": 20}
	for _, p := range ps {
		if line, ok := want[p.Key]; ok && p.Line == line {
			delete(want, p.Key)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing %v in %+v", want, ps)
	}
	if got := ps[0].Text("ko"); !strings.Contains(got, "menuu") {
		t.Errorf("message %q should name the missing screen", got)
	}
}

func TestScenarioRefusals(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile("scenarios/food-kiosk.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, to, key string
	}{
		{"an unknown field", "    say: {ko: \"어서 오세요. 드시고", "    sayy: {ko: \"어서 오세요. 드시고", "practice.yaml_broken"},
		{"broken YAML", "title: {ko: \"햄버거 가게 주문기\"", "title: {ko: \"햄버거 가게 주문기", "practice.yaml_broken"},
		{"English missing", `label: {ko: "콜라", en: "Cola"}`, `label: {ko: "콜라"}`, "practice.text_both_languages"},
		{"unknown machine", "machine: food-kiosk", "machine: toaster", "practice.machine_unknown"},
		{"a duplicate screen", "  - id: drink\n", "  - id: cart\n", "practice.duplicate_id"},
		{"a step that goes elsewhere", "{screen: set-or-single, button: set,", "{screen: set-or-single, button: single,", "practice.step_leads_elsewhere"},
		{"a bad start", "start: welcome", "start: lobby", "practice.no_such_screen"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			edited := strings.Replace(string(good), c.from, c.to, 1)
			if edited == string(good) {
				t.Fatalf("the edit %q did not apply", c.from)
			}
			_, err := Parse("food-kiosk.yaml", []byte(edited))
			_, ps := problemsOf(t, err)
			for _, p := range ps {
				if p.Key == c.key {
					if p.Line == 0 {
						t.Errorf("%s without a line", c.key)
					}
					return
				}
			}
			t.Errorf("no %s in %+v", c.key, ps)
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"scenarios/food-kiosk.yaml", "testdata/broken.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || len(fe.Problems.Problems) == 0 {
				t.Fatalf("an error without problems: %v", err)
			}
			return
		}
		if _, ok := s.Screen(s.Start); !ok || len(s.Tasks) == 0 {
			t.Fatal("accepted a scenario without its start screen or a task")
		}
	})
}

// TestLoadTutorsDirectory: a tutor's directory adds its emulators and
// sets to those that come with the platform; one reusing a built-in id is
// refused, naming both files.
func TestLoadTutorsDirectory(t *testing.T) {
	t.Parallel()
	food, err := Embedded.ReadFile("scenarios/food-kiosk.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mine := strings.Replace(string(food), "id: food-kiosk", "id: my-kiosk", 1)
	dir := fstest.MapFS{
		"my-kiosk.yaml": {Data: []byte(mine)},
		"sets.yaml":     {Data: []byte("- id: mine\n  title: {ko: \"내 묶음\", en: \"Mine\"}\n  tasks: [my-kiosk/bulgogi-set-cola]\n")},
	}
	all, sets, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	builtin, _ := Builtin()
	if len(all) != len(builtin)+1 || sets[len(sets)-1].ID != "mine" || all[1].ID != "my-kiosk" {
		t.Fatalf("loaded %d scenarios (%s second), last set %s", len(all), all[1].ID, sets[len(sets)-1].ID)
	}
	dir["my-kiosk.yaml"] = &fstest.MapFile{Data: food}
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "my-kiosk.yaml") || !strings.Contains(err.Error(), "scenarios/food-kiosk.yaml") {
		t.Fatalf("a built-in id reused: %v", err)
	}
}
