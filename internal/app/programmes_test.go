package app_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/funds"
)

// TestProgrammeAdminSavesAndSeesTheDryRun: the programme admin defines the
// multi-child points by form and sees at once who would get what; a rule
// that does not compile is refused with CEL's words and stores nothing.
func TestProgrammeAdminSavesAndSeesTheDryRun(t *testing.T) {
	ta := newTestApp(t, dbtest.SQLite(t))
	c := ta.client(t)
	ta.signInStaff(t, c, "funds")
	p := funds.DemoProgrammes(time.Now())[0]
	form := url.Values{"slug": {p.Slug}, "name_ko": {p.NameKo}, "name_en": {p.NameEn}, "budget": {"3,000,000,000"},
		"eligibility": {p.Eligibility}, "benefit": {"children_under_19 >= 3 ? 500000 : '300000'"}, "quota": {"0"}, "co_payment": {"0"},
		"unit": {"household"}, "mode": {"apply"}, "category": {"education", "books"},
		"opens_at": {p.OpensAt.Format(time.DateOnly)}, "closes_at": {p.ClosesAt.Format(time.DateOnly)}, "points_expire_at": {p.PointsExpire.Format(time.DateOnly)}}
	if st, body := c.post("/admin/programmes", form); st != 422 || !strings.Contains(body, "규칙을 읽을 수 없습니다") && !strings.Contains(body, "값을 내야") {
		t.Fatalf("broken rule: %d", st)
	}
	if ps, _ := ta.Programmes.List(t.Context()); len(ps) != 0 {
		t.Fatal("a refused programme was stored")
	}
	form.Set("benefit", p.Benefit)
	st, body := c.post("/admin/programmes", form)
	if st != 200 || !strings.Contains(body, `id="dry-run"`) || !strings.Contains(body, "예산 3,000,000,000원 안입니다") {
		t.Fatalf("save: %d %s", st, body)
	}
	if got, err := ta.Programmes.BySlug(t.Context(), p.Slug); err != nil || got.Budget != 3_000_000_000 || got.Unit != funds.PerHousehold {
		t.Fatalf("stored %+v %v", got, err)
	}
	other := ta.client(t)
	ta.signInStaff(t, other, "operator")
	if st, _ := other.get("/admin/programmes"); st != 403 {
		t.Fatalf("an operator reached the programmes: %d", st)
	}
}
