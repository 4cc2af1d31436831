package practice

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/maeul/maeul/internal/sheet"
)

// Set is a group of challenges that, done in challenge mode, count toward
// a learning-centre course: the practice a class's tutor asks for.
type Set struct {
	ID    string `yaml:"id"`
	Title Text   `yaml:"title"`
	// Course is the code of the learning-centre course the set counts
	// toward (one session's worth); empty for a set that counts for none.
	Course string   `yaml:"course"`
	Tasks  []string `yaml:"tasks"` // "scenario/task"
}

// Has reports whether the set asks for the task of the scenario.
func (st Set) Has(scenario, task string) bool {
	for _, t := range st.Tasks {
		if t == scenario+"/"+task {
			return true
		}
	}
	return false
}

//go:embed sets.yaml
var setsYAML []byte

// BuiltinSets reads and checks the sets that come with the platform
// against the scenarios.
func BuiltinSets(scenarios []*Scenario) ([]Set, error) {
	return ParseSets("sets.yaml", setsYAML, scenarios)
}

// ParseSets reads and checks a sets file: every task it names must be a
// task of one of the scenarios. Problems come by line, like a scenario's.
func ParseSets(name string, data []byte, scenarios []*Scenario) ([]Set, error) {
	var ps sheet.Problems
	refuse := func() ([]Set, error) {
		var se *sheet.Error
		errors.As(ps.Err(), &se)
		return nil, &FileError{File: name, Problems: se}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		ps.Add(yamlLine(err), "", "practice.yaml_broken", yamlReason(err))
		return refuse()
	}
	var sets []Set
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&sets); err != nil {
		ps.Add(yamlLine(err), "", "practice.yaml_broken", yamlReason(err))
		return refuse()
	}
	at := lines(root.Content[0])
	add := func(field, key string, args ...any) { ps.Add(at[field], field, key, args...) }
	tasks := map[string]bool{}
	for _, s := range scenarios {
		for _, t := range s.Tasks {
			tasks[s.ID+"/"+t.ID] = true
		}
	}
	seen := map[string]bool{}
	for i, st := range sets {
		f := fmt.Sprintf("[%d]", i)
		if !idPattern.MatchString(st.ID) || seen[st.ID] {
			add(f+".id", "practice.id_invalid", st.ID)
		}
		seen[st.ID] = true
		if strings.TrimSpace(st.Title.Ko) == "" || strings.TrimSpace(st.Title.En) == "" {
			add(f+".title", "practice.text_both_languages")
		}
		if len(st.Tasks) == 0 {
			add(f+".tasks", "practice.no_tasks")
		}
		for j, t := range st.Tasks {
			if !tasks[t] {
				add(fmt.Sprintf("%s.tasks[%d]", f, j), "practice.no_such_task", t)
			}
		}
	}
	if ps.Len() > 0 {
		return refuse()
	}
	return sets, nil
}
