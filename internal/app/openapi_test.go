package app_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/api"
	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/db/dbtest"
)

var refRe = regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([^"]+)"`)

// TestOpenAPIMatchesRoutes checks the hand-written OpenAPI document against
// the routes the server really registers: every API route is described,
// and nothing is described that does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.Document, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi version %q, want 3.1.x", doc.OpenAPI)
	}
	described := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			described[strings.ToUpper(method)+" "+path] = true
		}
	}
	a, err := app.New(dbtest.SQLite(t), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	for _, r := range a.Router.Routes() {
		if r.API {
			registered[r.Method+" "+r.Path] = true
		}
	}
	var missing, extra []string
	for k := range registered {
		if !described[k] {
			missing = append(missing, k)
		}
	}
	for k := range described {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	// Every reference must lead to a schema the document defines.
	var whole struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	json.Unmarshal(api.Document, &whole)
	for _, m := range refRe.FindAllStringSubmatch(string(api.Document), -1) {
		if _, ok := whole.Components.Schemas[m[1]]; !ok {
			t.Errorf("$ref to undefined schema %q", m[1])
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("API routes missing from openapi.json:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("openapi.json describes routes that do not exist:\n  %s", strings.Join(extra, "\n  "))
	}
}
