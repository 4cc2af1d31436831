package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/funds"
)

// TestProgrammeAdminSavesAndSeesTheDryRun: the programme admin defines the
// multi-child points by form and sees at once who would get what; a rule
// that does not compile is refused with CEL's words and stores nothing.
func TestProgrammeAdminSavesAndSeesTheDryRun(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	c := ta.Client(t)
	ta.SignInStaff(t, c, "funds")
	p := funds.DemoProgrammes(time.Now())[0]
	form := url.Values{"slug": {p.Slug}, "name_ko": {p.NameKo}, "name_en": {p.NameEn}, "who_ko": {p.WhoKo}, "who_en": {p.WhoEn}, "budget": {"3,000,000,000"},
		"eligibility": {p.Eligibility}, "benefit": {"children_under_19 >= 3 ? 500000 : '300000'"}, "quota": {"0"}, "co_payment": {"0"},
		"unit": {"household"}, "mode": {"apply"}, "category": {"education", "books"},
		"opens_at": {p.OpensAt.Format(time.DateOnly)}, "closes_at": {p.ClosesAt.Format(time.DateOnly)}, "points_expire_at": {p.PointsExpire.Format(time.DateOnly)}}
	if st, body := c.Post("/admin/programmes", form); st != 422 || !strings.Contains(body, "규칙을 읽을 수 없습니다") && !strings.Contains(body, "값을 내야") {
		t.Fatalf("broken rule: %d", st)
	}
	if ps, _ := ta.Programmes.List(t.Context()); len(ps) != 0 {
		t.Fatal("a refused programme was stored")
	}
	form.Set("benefit", p.Benefit)
	st, body := c.Post("/admin/programmes", form)
	if st != 200 || !strings.Contains(body, `id="dry-run"`) || !strings.Contains(body, "예산 3,000,000,000원 안입니다") {
		t.Fatalf("save: %d %s", st, body)
	}
	if got, err := ta.Programmes.BySlug(t.Context(), p.Slug); err != nil || got.Budget != 3_000_000_000 || got.Unit != funds.PerHousehold {
		t.Fatalf("stored %+v %v", got, err)
	}
	other := ta.Client(t)
	ta.SignInStaff(t, other, "operator")
	if st, _ := other.Get("/admin/programmes"); st != 403 {
		t.Fatalf("an operator reached the programmes: %d", st)
	}
}

// TestProgrammesAPI: the same through /api/v1/programmes, with the dry run
// in the answer and a broken rule refused with its field.
func TestProgrammesAPI(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	c := ta.Client(t)
	ta.SignInStaff(t, c, "funds")
	call := func(method, body string) (int, map[string]any) {
		t.Helper()
		_, me := c.Get("/api/v1/me")
		var m struct{ CSRF string }
		json.Unmarshal([]byte(me), &m)
		req, _ := http.NewRequest(method, c.Base+"/api/v1/programmes", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", m.CSRF)
		resp, err := c.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	body := `{"slug":"youth-culture-pass","name_ko":"청년 문화패스","name_en":"Youth culture pass","who_ko":"만 19~34세","who_en":"Aged 19 to 34","budget":500000000,
		"eligibility":"age >= 19 && age <= 34","benefit":"100000","quota":5000,"co_payment":10000,"unit":"person","mode":"apply",
		"categories":["performance","books"],"opens_at":"2026-12-01","closes_at":"2027-01-01","points_expire_at":"2027-06-01"}`
	st, out := call(http.MethodPost, body)
	run, _ := out["dry_run"].(map[string]any)
	if st != 200 || run["residents"] != float64(300) || run["beneficiaries"] == float64(0) || run["over_budget"] != false {
		t.Fatalf("save: %d %v", st, out)
	}
	st, out = call(http.MethodPost, strings.Replace(body, `"benefit":"100000"`, `"benefit":"'100000'"`, 1))
	e, _ := out["error"].(map[string]any)
	if st != 422 || e["field"] != "benefit" {
		t.Fatalf("broken rule: %d %v", st, out)
	}
	if st, out := call(http.MethodGet, ""); st != 200 || len(out["programmes"].([]any)) != 1 {
		t.Fatalf("list: %d %v", st, out)
	}
}
