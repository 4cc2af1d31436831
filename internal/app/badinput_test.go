package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/api"
	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/db"
)

// TestBadInputChangesNothing drives every route the server registers — each
// /api/v1 route with bodies built from its OpenAPI schema and spoilt, each
// form with every field name the pages use and spoilt values — as a
// visitor, a citizen and a system administrator, on both databases. Bad
// input must get a clear 4xx, never a 5xx, and a request that was not
// answered 2xx must not have written a row (triggers on every table note
// each write). Text that is not UTF-8, NUL characters, 60,000-character
// values, page numbers past any integer, trailing data and unknown fields
// in JSON: the probe's findings, each one a request here.
func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	if raceDetector {
		// Thousands of requests that share no state: the race detector
		// finds nothing here and makes them several times slower.
		t.Skip("the bad-input fuzz runs without -race: .ci/run runs it on its own")
	}
	apptest.EachBackend(t, func(t *testing.T, ta *apptest.App) {
		writes := watchWrites(t, ta.DB)
		actors := map[string]*apptest.Client{"visitor": ta.Client(t), "citizen": ta.Client(t), "admin": ta.Client(t)}
		ta.SignInCitizen(t, actors["citizen"], ta.Phone)
		ta.SignInStaff(t, actors["admin"], "admin")
		fields := formFields(t)
		schemas := requestSchemas(t)
		writes() // signing in wrote sessions

		var failures []string
		fail := func(format string, args ...any) {
			if len(failures) < 40 {
				failures = append(failures, fmt.Sprintf(format, args...))
			}
		}
		n := 0
		for _, rt := range ta.Router.Routes() {
			if skipFuzz(rt.Method, rt.Path) {
				continue
			}
			for _, path := range fuzzPaths(rt.Path) {
				for _, req := range fuzzRequests(rt.Method, path, rt.API, fields, schemas[rt.Method+" "+rt.Path]) {
					// Each request as one of the three, in turn: every
					// route meets each of them, at a third of the cost.
					who := []string{"admin", "citizen", "visitor"}[n%3]
					n++
					status, body := actors[who].Raw(req)
					changed := writes()
					what := fmt.Sprintf("%s %s as %s (%s)", req.Method, req.Path, who, req.What)
					if len(what) > 300 {
						what = what[:300] + "…"
					}
					if status >= 500 {
						fail("%s: %d %.200s", what, status, body)
					}
					if (status < 200 || status > 299) && len(changed) > 0 {
						fail("%s: %d but wrote to %v", what, status, changed)
					}
					if req.MustRefuse && status >= 200 && status <= 299 {
						fail("%s: accepted (%d) what it should refuse", what, status)
					}
				}
			}
		}
		t.Logf("%d requests", n)
		if len(failures) > 0 {
			t.Errorf("%d problems (at most 40 shown):\n  %s", len(failures), strings.Join(failures, "\n  "))
		}
	})
}

// skipFuzz leaves out what would end the test's own sessions, and the
// static files and probes, which read no input.
func skipFuzz(method, path string) bool {
	return strings.Contains(path, "logout") || strings.HasPrefix(path, "/static/") ||
		path == "/healthz" || path == "/readyz" || path == "/metrics" ||
		(method == http.MethodPost && (strings.HasPrefix(path, "/acting") || strings.HasPrefix(path, "/api/v1/acting"))) ||
		(method == http.MethodPost && strings.Contains(path, "/sessions") && strings.Contains(path, "revoke"))
}

// writeAllowed are the tables a refused request may still write: the
// record of who tried what, and the counters that slow guessing down.
var writeAllowed = map[string]bool{"audit_log": true, "sessions": true, "rate_events": true, "login_codes": true, "board_rate_events": true}

// watchWrites puts a trigger on every table that notes each row written,
// and returns a function giving the tables written since it was last
// called (those in writeAllowed left out).
func watchWrites(t *testing.T, d *db.DB) func() []string {
	t.Helper()
	ctx := context.Background()
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'`
	if d.Dialect == db.Postgres {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
	}
	rows, err := d.Write().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	exec := func(q string) {
		if _, err := d.Write().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE zz_writes (tbl TEXT NOT NULL)`)
	if d.Dialect == db.Postgres {
		exec(`CREATE FUNCTION zz_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO zz_writes VALUES (TG_TABLE_NAME); RETURN NULL; END $$`)
	}
	for _, tb := range tables {
		if d.Dialect == db.Postgres {
			exec(fmt.Sprintf(`CREATE TRIGGER zz_w AFTER INSERT OR UPDATE OR DELETE ON %q FOR EACH ROW EXECUTE FUNCTION zz_note()`, tb))
			continue
		}
		for _, ev := range []string{"INSERT", "UPDATE", "DELETE"} {
			// FTS shadow tables refuse triggers; their own table is watched.
			d.Write().ExecContext(ctx, fmt.Sprintf(`CREATE TRIGGER "zz_%s_%s" AFTER %s ON %q BEGIN INSERT INTO zz_writes VALUES ('%s'); END`, tb, ev, ev, tb, tb))
		}
	}
	return func() []string {
		rows, err := d.Write().QueryContext(ctx, `DELETE FROM zz_writes RETURNING tbl`)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		var out []string
		for rows.Next() {
			var name string
			rows.Scan(&name)
			if !writeAllowed[name] && !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
		rows.Close()
		sort.Strings(out)
		return out
	}
}

var wildcard = regexp.MustCompile(`\{[^}]+\}`)

// fuzzPaths are the route's path with its wildcards filled: a plausible id,
// and values no id can be.
func fuzzPaths(pattern string) []string {
	pattern = strings.TrimSuffix(pattern, "{$}")
	if !wildcard.MatchString(pattern) {
		return []string{pattern}
	}
	var out []string
	for _, v := range []string{"1", "99999999999999999999", "%FF%FE"} {
		out = append(out, wildcard.ReplaceAllString(pattern, v))
	}
	return out
}

// spoilt are values no person types, and the way each is named.
var spoilt = []struct{ what, v string }{
	{"NUL", "a\x00b"},
	{"not UTF-8", "\xff\xfe"},
	{"60,000 characters", strings.Repeat("가", 60000)},
	{"a huge number", "99999999999999999999999"},
}

func fuzzRequests(method, path string, isAPI bool, fields []string, schema map[string]any) []apptest.FuzzReq {
	var out []apptest.FuzzReq
	if method == http.MethodGet || method == http.MethodHead {
		// Text no person types is refused for every route at once
		// (web.CleanInput); numbers past any integer reach the handlers.
		for _, s := range []struct{ what, v string }{spoilt[0], spoilt[3]} {
			q := url.Values{}
			for _, f := range []string{"page", "q", "near", "to", "week", "at", "id", "lang", "next", "district", "category"} {
				q.Set(f, s.v)
			}
			out = append(out, apptest.FuzzReq{Method: method, Path: path + "?" + q.Encode(), What: "query " + s.what})
		}
		return out
	}
	if isAPI {
		out = append(out,
			apptest.FuzzReq{Method: method, Path: path, ContentType: "application/json", Body: `{"zz_unknown": 1}`, What: "an unknown field", MustRefuse: true},
			apptest.FuzzReq{Method: method, Path: path, ContentType: "application/json", Body: `{} {"x": 1}`, What: "trailing data", MustRefuse: true},
			apptest.FuzzReq{Method: method, Path: path, ContentType: "application/json", Body: `[`, What: "broken JSON", MustRefuse: true},
			apptest.FuzzReq{Method: method, Path: path, ContentType: "application/json", Body: `null`, What: "null"},
		)
		for _, s := range spoilt {
			body := map[string]any{}
			props, _ := schema["properties"].(map[string]any)
			for name, p := range props {
				typ, _ := p.(map[string]any)["type"].(string)
				switch typ {
				case "integer", "number":
					body[name] = json.RawMessage("1e400")
				case "boolean":
					body[name] = true
				case "array":
					body[name] = []string{s.v}
				default:
					body[name] = s.v
				}
			}
			if len(body) == 0 {
				body["name"] = s.v
			}
			raw, _ := json.Marshal(body)
			if s.what == "not UTF-8" {
				raw = []byte(strings.ReplaceAll(string(raw), `\ufffd\ufffd`, "\xff\xfe"))
			}
			out = append(out, apptest.FuzzReq{Method: method, Path: path, ContentType: "application/json", Body: string(raw), What: "JSON " + s.what})
		}
		return out
	}
	for _, s := range spoilt {
		form := url.Values{}
		for _, f := range fields {
			form.Set(f, s.v)
		}
		if len(s.v) > 1000 {
			// One long field a form at a time is enough, and keeps the
			// body far under the limit on what a form may send.
			form = url.Values{}
			for _, f := range fields {
				form.Set(f, "1")
			}
			for _, f := range []string{"q", "name", "title", "body", "comment", "note", "reason", "near"} {
				form.Set(f, s.v)
			}
		}
		out = append(out, apptest.FuzzReq{Method: method, Path: path, ContentType: "application/x-www-form-urlencoded", Body: form.Encode(), What: "form " + s.what})
	}
	return out
}

var nameAttr = regexp.MustCompile(`name="([a-z_][a-z0-9_\[\].-]*)"`)

// formFields are the names of every form field on every page.
func formFields(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../*/templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	more, _ := filepath.Glob("../web/*/templates/*.html")
	seen := map[string]bool{}
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range nameAttr.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "csrf" {
				seen[m[1]] = true
			}
		}
	}
	var out []string
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// requestSchemas are the JSON request bodies' schemas of the OpenAPI
// document, by "METHOD /path", with references resolved one level.
func requestSchemas(t *testing.T) map[string]map[string]any {
	t.Helper()
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.Document, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			var op struct {
				RequestBody struct {
					Content map[string]struct {
						Schema map[string]any `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue
			}
			s := op.RequestBody.Content["application/json"].Schema
			if ref, ok := s["$ref"].(string); ok {
				s = doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
			}
			if s != nil {
				out[strings.ToUpper(method)+" "+path] = s
			}
		}
	}
	return out
}
