package audit_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/i18n"
)

// Actions and subject types built at run time, by what they are built from
// and every value it takes. A new one fails the test below until it is
// listed here.
var (
	dynamicActions = map[string][]string{
		`"card." + status`:               {"valid", "suspended", "revoked"},
		`"presentation." + outcome`:      {"valid", "invalid", "declined"},
		`"board." + kind + "." + action`: {"post.keep", "post.hide", "post.delete", "comment.keep", "comment.hide", "comment.delete"},
		`"merchant." + status`:           {"approved", "refused"},
		`"application." + d.status`:      {"approved", "awaiting_pay", "full", "not_eligible", "rejected"},
		`"booking." + status`:            {"confirmed", "refused"},
		`"import." + f.Kind`:             {"courses", "sessions"},
		`action`:                         nil, // a variable set from literals (action := "…"), collected below
	}
	dynamicSubjects = map[string][]string{
		`"board_" + kind`: {"board_post", "board_comment"},
		`f.Kind`:          {"courses", "sessions"},
		`subjectType`:     nil, // booking's entries(…, action, subjectType, …), collected below
		`q.Get`:           nil, // the audit page's own filter
	}
)

var (
	actionLit   = regexp.MustCompile(`Action: *"([a-z0-9_.]+)"(?: *\+ *([^,}]+))?`)
	actionExpr  = regexp.MustCompile(`Action: *([a-zA-Z][a-zA-Z0-9_.]*)[,}]`)
	actionVar   = regexp.MustCompile(`\baction :?= *"([a-z0-9_.]+)"`)
	passedOn    = regexp.MustCompile(`entries\([^,]+, *[^,]+, *"([a-z0-9_.]+)", *"([a-z0-9_]+)"`)
	subjectLit  = regexp.MustCompile(`SubjectType: *"([a-z0-9_]+)"(?: *\+ *([^,}]+))?`)
	subjectExpr = regexp.MustCompile(`SubjectType: *([a-zA-Z][a-zA-Z0-9_.]*)[,}(]`)
)

// TestEveryAuditCodeHasALabel: the audit page names every action, kind of
// record and channel in words, in Korean and English. The codes are
// collected from the code that writes the log.
func TestEveryAuditCodeHasALabel(t *testing.T) {
	t.Parallel()
	actions, subjects := map[string]bool{}, map[string]bool{}
	for _, dir := range []string{"../../internal", "../../cmd"} {
		err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			src := string(b)
			if !strings.Contains(src, "audit.") {
				return nil
			}
			for _, m := range actionLit.FindAllStringSubmatch(src, -1) {
				if m[2] == "" {
					actions[m[1]] = true
					continue
				}
				expr := `"` + m[1] + `" + ` + strings.TrimSpace(m[2])
				values, ok := dynamicActions[expr]
				if !ok {
					t.Errorf("%s: action %s is built at run time: list its values in dynamicActions", path, expr)
				}
				for _, v := range values {
					actions[m[1]+v] = true
				}
			}
			for _, m := range actionExpr.FindAllStringSubmatch(src, -1) {
				if _, ok := dynamicActions[m[1]]; !ok {
					t.Errorf("%s: action %s: list its values in dynamicActions", path, m[1])
				}
			}
			for _, m := range actionVar.FindAllStringSubmatch(src, -1) {
				actions[m[1]] = true
			}
			for _, m := range passedOn.FindAllStringSubmatch(src, -1) {
				actions[m[1]], subjects[m[2]] = true, true
			}
			for _, m := range subjectLit.FindAllStringSubmatch(src, -1) {
				if m[2] == "" {
					subjects[m[1]] = true
					continue
				}
				expr := `"` + m[1] + `" + ` + strings.TrimSpace(m[2])
				values, ok := dynamicSubjects[expr]
				if !ok {
					t.Errorf("%s: subject type %s is built at run time: list its values in dynamicSubjects", path, expr)
				}
				for _, v := range values {
					subjects[v] = true
				}
			}
			for _, m := range subjectExpr.FindAllStringSubmatch(src, -1) {
				values, ok := dynamicSubjects[m[1]]
				if !ok {
					t.Errorf("%s: subject type %s: list its values in dynamicSubjects", path, m[1])
				}
				for _, v := range values {
					subjects[v] = true
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(actions) < 60 || len(subjects) < 15 {
		t.Fatalf("found only %d actions and %d subject types: has the code changed shape?", len(actions), len(subjects))
	}
	check := func(prefix string, codes map[string]bool) {
		for c := range codes {
			for _, l := range i18n.Langs {
				if !i18n.Has(l, prefix+c) {
					t.Errorf("%s%s is missing from the %s catalogue", prefix, c, l)
				}
			}
		}
	}
	check("audit.action.", actions)
	check("audit.subject.", subjects)
	check("channel.", map[string]bool{actor.Online: true, actor.Phone: true, actor.InPerson: true})
}
