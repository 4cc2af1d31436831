package practice

import (
	_ "embed"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Word is a loanword kiosks use and what it means.
type Word struct {
	Term string `yaml:"term"`
	Ko   string `yaml:"ko"`
	En   string `yaml:"en"`
}

//go:embed glossary.yaml
var glossaryYAML []byte

// Glossary is the words the emulators' pages explain, read and checked
// once: every word with its meaning in both languages.
func Glossary() ([]Word, error) {
	var ws []Word
	dec := yaml.NewDecoder(strings.NewReader(string(glossaryYAML)))
	dec.KnownFields(true)
	if err := dec.Decode(&ws); err != nil {
		return nil, fmt.Errorf("glossary.yaml: %w", err)
	}
	seen := map[string]bool{}
	for i, w := range ws {
		if w.Term == "" || w.Ko == "" || w.En == "" || seen[w.Term] {
			return nil, fmt.Errorf("glossary.yaml: word %d (%q) needs a term not used before and its meaning in ko and en", i+1, w.Term)
		}
		seen[w.Term] = true
	}
	return ws, nil
}
