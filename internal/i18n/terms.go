package i18n

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// Term is one word of the product's vocabulary (terms.json): what the
// product calls a thing in each language, what it means, and the words for
// it that no message may use, so that every screen names it the same way.
type Term struct {
	Ko, En     string
	Definition map[string]string // language -> one line
	Avoid      map[string][]string
}

//go:embed terms.json
var termsJSON []byte

var terms = func() []Term {
	var ts []Term
	if err := json.Unmarshal(termsJSON, &ts); err != nil {
		panic(fmt.Sprintf("i18n: terms.json: %v", err))
	}
	return ts
}()

// Terms returns the product's vocabulary in the order of terms.json.
func Terms() []Term { return append([]Term(nil), terms...) }

// Word returns the term in lang.
func (t Term) Word(lang string) string {
	if lang == "en" {
		return t.En
	}
	return t.Ko
}
