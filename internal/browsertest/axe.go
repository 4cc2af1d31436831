package browsertest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The axe files are refreshed only by tools/fetch-axe.sh, so the version that
// tests enforce changes in one reviewed commit, never at test time.
var (
	//go:embed axe/axe.min.js
	axeSource string

	//go:embed axe/VERSION
	axeVersionFile string
)

// AxeVersion is the version of the embedded axe-core.
var AxeVersion = strings.TrimSpace(axeVersionFile)

// axeTags is the conformance target: WCAG 2.2 AA means every A and AA rule
// of 2.0, 2.1 and 2.2 (axe 4.14 tags no rule wcag22a, so that tag is absent).
// best-practice is included because its rules (landmarks, one h1, etc.) catch
// most of what makes a page hard to navigate with a screen reader.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// axeRunJS flattens axe's result into just what a failure report needs, so
// the JSON crossing the protocol stays small on large pages.
const axeRunJS = `async (tags) => {
	const r = await axe.run(document, {
		runOnly: {type: "tag", values: tags},
		resultTypes: ["violations"],
	});
	return r.violations.map((v) => ({
		id: v.id,
		impact: v.impact || "",
		help: v.help,
		helpUrl: v.helpUrl,
		nodes: v.nodes.map((n) => ({
			target: n.target.map((s) => Array.isArray(s) ? s.join(" >>> ") : String(s)),
			html: n.html,
			summary: n.failureSummary || "",
		})),
	}));
}`

// violation is one failed axe rule with every element that fails it.
type violation struct {
	ID      string          `json:"id"`
	Impact  string          `json:"impact"`
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []violationNode `json:"nodes"`
}

type violationNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

// Axe runs axe-core on the current page and fails the test, listing every
// violation, if there are any. The page's URL is recorded in Checked either
// way, since it was checked.
func (b *Browser) Axe(t testing.TB) {
	t.Helper()
	url := b.Location(t)
	vs, err := b.violations()
	if err != nil {
		t.Fatalf("browsertest: running axe-core on %s: %v", url, err)
	}
	if len(vs) > 0 {
		t.Error(formatViolations(url, vs))
	}
	// A Go formatting error ("%!d(string=…)", "%!(EXTRA …)") is a message
	// given the wrong arguments: text nobody can read.
	if text := b.Text(t, "body"); strings.Contains(text, "%!") {
		i := strings.Index(text, "%!")
		t.Errorf("browsertest: %s shows a formatting error: …%s…", url, text[max(0, i-60):min(len(text), i+60)])
	}
}

// violations injects axe if the page does not have it yet and returns what
// it finds. It reports instead of failing so the harness's own tests can
// assert on pages that are broken on purpose.
func (b *Browser) violations() ([]violation, error) {
	ctx, cancel := b.actionCtx()
	defer cancel()

	// Re-injecting 650 kB per call would dominate the run time of tests that
	// check a page more than once (e.g. after opening a dialog).
	have, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		fmt.Sprintf(`typeof window.axe === "object" && window.axe.version === %q`, AxeVersion)))
	if err != nil {
		return nil, fmt.Errorf("probing for axe: %w", err)
	}
	if !have {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			return nil, fmt.Errorf("injecting axe-core %s: %w", AxeVersion, err)
		}
	}

	tags, err := json.Marshal(axeTags)
	if err != nil {
		return nil, err
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](
		"("+axeRunJS+")("+string(tags)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}

	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return nil, fmt.Errorf("reading location: %w", err)
	}
	b.mu.Lock()
	b.checked = append(b.checked, loc)
	b.mu.Unlock()
	return vs, nil
}

// formatViolations writes one block per rule, so a failing CI log alone is
// enough to find and fix each element.
func formatViolations(url string, vs []violation) string {
	var sb strings.Builder
	n := 0
	for _, v := range vs {
		n += len(v.Nodes)
	}
	fmt.Fprintf(&sb, "axe-core %s: %d violation(s) on %d element(s) at %s", AxeVersion, len(vs), n, url)
	for _, v := range vs {
		fmt.Fprintf(&sb, "\n\n  %s [%s] %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, nd := range v.Nodes {
			fmt.Fprintf(&sb, "\n    - %s\n      %s", strings.Join(nd.Target, ", "), nd.HTML)
			if nd.Summary != "" {
				fmt.Fprintf(&sb, "\n      %s", strings.ReplaceAll(nd.Summary, "\n", "\n      "))
			}
		}
	}
	return sb.String()
}
