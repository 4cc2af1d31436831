package practice

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/maeul/maeul/internal/sheet"
)

// FileError is a scenario file refused, with every problem by line.
type FileError struct {
	File     string
	Problems *sheet.Error
}

func (e *FileError) Error() string { return e.File + ": " + e.Problems.Error() }

// Unwrap lets errors.As find the problems.
func (e *FileError) Unwrap() error { return e.Problems }

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,47}$`)

// MaxFileBytes bounds a scenario file; a machine of a hundred screens fits
// in a tenth of it.
const MaxFileBytes = 512 << 10

// Parse reads and checks one scenario file; name is only for the error.
func Parse(name string, data []byte) (*Scenario, error) {
	var ps sheet.Problems
	refuse := func() (*Scenario, error) {
		err := ps.Err()
		var se *sheet.Error
		errors.As(err, &se)
		return nil, &FileError{File: name, Problems: se}
	}
	if len(data) > MaxFileBytes {
		ps.Add(0, "", "practice.file_too_big", MaxFileBytes>>10)
		return refuse()
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		ps.Add(yamlLine(err), "", "practice.yaml_broken", yamlReason(err))
		return refuse()
	}
	if len(root.Content) == 0 {
		ps.Add(0, "", "practice.file_empty")
		return refuse()
	}
	var s Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		ps.Add(yamlLine(err), "", "practice.yaml_broken", yamlReason(err))
		return refuse()
	}
	check(&s, lines(root.Content[0]), &ps)
	if ps.Len() > 0 {
		return refuse()
	}
	return &s, nil
}

// lines maps a field's path (screens[2].buttons[0]) to its line.
func lines(n *yaml.Node) map[string]int {
	out := map[string]int{}
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		out[prefix] = n.Line
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key := n.Content[i].Value
				if prefix != "" {
					key = prefix + "." + key
				}
				out[key] = n.Content[i].Line
				walk(key, n.Content[i+1])
				out[key] = n.Content[i].Line
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(fmt.Sprintf("%s[%d]", prefix, i), c)
			}
		}
	}
	walk("", n)
	return out
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	m := yamlLineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n := 0
	fmt.Sscanf(m[1], "%d", &n)
	return n
}

// yamlReason is the parser's message without its "yaml: line N:" prefix,
// which the problem's line already says.
func yamlReason(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = yamlLineRe.ReplaceAllString(s, "")
	return strings.Trim(strings.TrimPrefix(strings.TrimSpace(s), "unmarshal errors:"), " :\n")
}

// check finds everything wrong with a scenario, by the line of the field.
func check(s *Scenario, at map[string]int, ps *sheet.Problems) {
	add := func(field, key string, args ...any) {
		line := at[field]
		for f := field; line == 0 && f != ""; {
			if i := strings.LastIndexAny(f, ".["); i > 0 {
				f = f[:i]
			} else {
				f = ""
			}
			line = at[f]
		}
		ps.Add(line, field, key, args...)
	}
	text := func(field string, t Text) {
		if strings.TrimSpace(t.Ko) == "" || strings.TrimSpace(t.En) == "" {
			add(field, "practice.text_both_languages")
		}
	}
	if !idPattern.MatchString(s.ID) {
		add("id", "practice.id_invalid", s.ID)
	}
	if !slices.Contains(Machines, s.Machine) {
		add("machine", "practice.machine_unknown", s.Machine, strings.Join(Machines, ", "))
	}
	text("title", s.Title)
	text("summary", s.Summary)
	if len(s.Screens) == 0 {
		add("screens", "practice.no_screens")
		return
	}
	seen := map[string]int{}
	for i, sc := range s.Screens {
		f := fmt.Sprintf("screens[%d]", i)
		if !idPattern.MatchString(sc.ID) {
			add(f+".id", "practice.id_invalid", sc.ID)
		} else if first, dup := seen[sc.ID]; dup {
			add(f+".id", "practice.duplicate_id", sc.ID, at[fmt.Sprintf("screens[%d]", first)])
		}
		seen[sc.ID] = i
		text(f+".title", sc.Title)
		text(f+".say", sc.Say)
		for j, t := range sc.Show {
			text(fmt.Sprintf("%s.show[%d]", f, j), t)
		}
		buttons := map[string]bool{}
		for j, b := range sc.Buttons {
			bf := fmt.Sprintf("%s.buttons[%d]", f, j)
			if !idPattern.MatchString(b.ID) {
				add(bf+".id", "practice.id_invalid", b.ID)
			} else if buttons[b.ID] {
				add(bf+".id", "practice.duplicate_id", b.ID, at[f])
			}
			buttons[b.ID] = true
			text(bf+".label", b.Label)
			if b.Hint != (Text{}) {
				text(bf+".hint", b.Hint)
			}
		}
	}
	for i, sc := range s.Screens {
		for j, b := range sc.Buttons {
			if _, ok := s.Screen(b.Go); !ok {
				add(fmt.Sprintf("screens[%d].buttons[%d].go", i, j), "practice.no_such_screen", b.Go)
			}
		}
	}
	if _, ok := s.Screen(s.Start); !ok {
		add("start", "practice.no_such_screen", s.Start)
		return
	}
	reached := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if reached[id] {
			return
		}
		reached[id] = true
		sc, _ := s.Screen(id)
		for _, b := range sc.Buttons {
			if _, ok := s.Screen(b.Go); ok {
				visit(b.Go)
			}
		}
	}
	visit(s.Start)
	for i, sc := range s.Screens {
		if !reached[sc.ID] {
			add(fmt.Sprintf("screens[%d]", i), "practice.unreachable", sc.ID, s.Start)
		}
		// Every screen needs a way on or back: a screen without buttons
		// would leave a learner with nothing to press.
		if len(sc.Buttons) == 0 {
			add(fmt.Sprintf("screens[%d].buttons", i), "practice.no_buttons", sc.ID)
		}
	}
	if len(s.Tasks) == 0 {
		add("tasks", "practice.no_tasks")
	}
	tasks := map[string]bool{}
	for i, t := range s.Tasks {
		f := fmt.Sprintf("tasks[%d]", i)
		if !idPattern.MatchString(t.ID) || tasks[t.ID] {
			add(f+".id", "practice.id_invalid", t.ID)
		}
		tasks[t.ID] = true
		text(f+".title", t.Title)
		if len(t.Steps) == 0 {
			add(f+".steps", "practice.no_steps")
			continue
		}
		if t.Steps[0].Screen != s.Start {
			add(f+".steps[0].screen", "practice.task_not_at_start", s.Start)
		}
		for j, st := range t.Steps {
			sf := fmt.Sprintf("%s.steps[%d]", f, j)
			text(sf+".say", st.Say)
			sc, ok := s.Screen(st.Screen)
			if !ok {
				add(sf+".screen", "practice.no_such_screen", st.Screen)
				continue
			}
			b, ok := sc.Button(st.Button)
			if !ok {
				add(sf+".button", "practice.no_such_button", st.Button, st.Screen)
				continue
			}
			if j+1 < len(t.Steps) && b.Go != t.Steps[j+1].Screen {
				add(sf+".button", "practice.step_leads_elsewhere", st.Button, b.Go, t.Steps[j+1].Screen)
			}
		}
	}
}

// LoadDir reads and checks every *.yaml scenario in dir of fsys. Every
// broken file is reported; ids must be unique across files.
func LoadDir(fsys fs.FS, dir string) ([]*Scenario, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	names = slices.DeleteFunc(names, func(n string) bool { return path.Base(n) == SetsFile })
	var out []*Scenario
	var errs []error
	ids := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		s, err := Parse(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := ids[s.ID]; dup {
			errs = append(errs, duplicate(name, s.ID, other))
			continue
		}
		ids[s.ID] = name
		s.File = name
		out = append(out, s)
	}
	return out, errors.Join(errs...)
}

// duplicate is the refusal of a file whose id another file has.
func duplicate(file, id, other string) error {
	var ps sheet.Problems
	ps.Add(1, "id", "practice.duplicate_scenario", id, other)
	var se *sheet.Error
	errors.As(ps.Err(), &se)
	return &FileError{File: file, Problems: se}
}
