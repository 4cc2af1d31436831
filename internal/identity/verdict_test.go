package identity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/i18n"
)

// TestCardStateOfEveryReason: every reason the verifier records names a
// state of the card the desk can say in words; the ones a receptionist
// must act on have their own.
func TestCardStateOfEveryReason(t *testing.T) {
	t.Parallel()
	reasons := map[string]bool{}
	for _, f := range []string{"verify.go", "presentation.go", "presentation_handlers.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`"(identity\.reason_[a-z_]+)"`).FindAllStringSubmatch(string(b), -1) {
			reasons[m[1]] = true
		}
	}
	if len(reasons) < 10 {
		t.Fatalf("found only %v", reasons)
	}
	want := map[string]string{
		"identity.reason_suspended": CardSuspended, "identity.reason_revoked": CardRevoked, "identity.reason_expired": CardExpired,
		"identity.reason_signature": CardUntrusted, "identity.reason_unknown_issuer": CardUntrusted, "identity.reason_altered": CardUntrusted,
		"identity.reason_holder": CardUnchecked, "identity.reason_nonce": CardUnchecked,
	}
	for r := range reasons {
		got := CardState(OutcomeInvalid, r)
		if w, ok := want[r]; ok && got != w {
			t.Errorf("%s: %s, want %s", r, got, w)
		}
		if got == CardValid || got == CardPending || got == CardDeclined {
			t.Errorf("%s reads as %s", r, got)
		}
	}
	if CardState(OutcomeValid, "") != CardValid || CardState(OutcomeDeclined, "") != CardDeclined || CardState(OutcomePending, "") != CardPending {
		t.Error("outcomes without a reason")
	}
	for _, s := range CardStates {
		for _, l := range i18n.Langs {
			if !i18n.Has(l, "identity.card_state."+s) {
				t.Errorf("identity.card_state.%s is missing in %s", s, l)
			}
		}
	}
}

// TestDeskShowsTheCardAndEachAnswerApart: a valid card whose holder is
// not 65 says "the card is valid" on its own line, and "no" with its own
// icon on the question's row — never a green "confirmed" over a no. A card
// that is not valid shows its problem and no answer at all, even if
// something was disclosed.
func TestDeskShowsTheCardAndEachAnswerApart(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	f := newVPFixture(t, d)
	ctx := context.Background()
	var staffID int64
	if err := d.Write().QueryRowContext(ctx, `INSERT INTO users (role, name, username, created_at) VALUES ('verifier', '접수', 'desk', $1) RETURNING id`,
		db.Time(f.now)).Scan(&staffID); err != nil {
		t.Fatal(err)
	}
	if err := f.pres.Parties.AssignStaff(ctx, staffID, DemoHospital.Slug); err != nil {
		t.Fatal(err)
	}
	desk := &actor.Actor{Person: actor.Person{ID: staffID, Role: actor.Verifier}, Channel: actor.InPerson}
	page := func(outcome, reason, claims string) string {
		t.Helper()
		req, err := f.pres.Create(ctx, DemoHospital.Slug, [][]string{{"age_equal_or_over", "65"}, {"address", "district"}, {"disability"}}, f.srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE presentation_requests SET answered_at = $1, outcome = $2, reason = $3, claims = $4 WHERE id = $5`,
			db.Time(f.now), outcome, reason, claims, req.ID); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodGet, "/verify/"+req.ID, nil)
		w := httptest.NewRecorder()
		f.rt.ServeHTTP(w, r.WithContext(actor.With(r.Context(), desk)))
		if w.Code != http.StatusOK {
			t.Fatalf("desk: %d %s", w.Code, w.Body.String())
		}
		return w.Body.String()
	}
	row := func(body, label, answer, words string) {
		t.Helper()
		re := regexp.MustCompile(`<li class="card" data-answer="` + answer + `">\s*<p>` + regexp.QuoteMeta(label) + `</p>\s*<p class="verdict-word">(?:<span aria-hidden="true">[^<]+</span> )?` + regexp.QuoteMeta(words) + `</p>`)
		if !re.MatchString(body) {
			t.Errorf("no row %q → %s %q in\n%s", label, answer, words, body)
		}
	}
	const disclosed = `{"age_equal_or_over":{"65":false},"address":{"district":"21090"},"disability":true}`
	body := page(OutcomeValid, "", disclosed)
	card := regexp.MustCompile(`(?s)<div class="verdict ok" role="status" id="card-status" data-card="valid">\s*<p class="verdict-word"><span aria-hidden="true">✓</span> 카드가 유효합니다</p>\s*</div>`)
	if !card.MatchString(body) || strings.Contains(body, "확인되었습니다") {
		t.Errorf("the card's line:\n%s", body)
	}
	row(body, "만 65세 이상인지", AnswerNo, "아니요")
	row(body, "사는 구·군", AnswerValue, "해운대구")
	row(body, "등록 장애 여부", AnswerYes, "예")
	if strings.Index(body, `id="card-status"`) > strings.Index(body, `id="answers"`) {
		t.Error("the answers come before the card's state")
	}
	if !strings.Contains(body, `<span aria-hidden="true">✗</span> 아니요`) || !strings.Contains(body, `<span aria-hidden="true">✓</span> 예`) {
		t.Error("yes and no without their icons")
	}

	for reason, want := range map[string]string{
		"identity.reason_suspended": "카드가 정지되어 있습니다", "identity.reason_revoked": "카드가 폐지되었습니다",
		"identity.reason_expired": "카드의 유효 기간이 지났습니다", "identity.reason_signature": "카드의 서명을 믿을 수 없습니다",
		"identity.reason_holder": "카드를 확인하지 못했습니다",
	} {
		body := page(OutcomeInvalid, reason, disclosed)
		if !strings.Contains(body, `<div class="verdict err" role="status" id="card-status"`) ||
			!strings.Contains(body, `<span aria-hidden="true">⚠</span> `+want+`</p>`) {
			t.Errorf("%s: the card's line:\n%s", reason, body)
		}
		if strings.Contains(body, `data-answer="yes"`) || strings.Contains(body, `data-answer="no"`) || strings.Contains(body, "해운대구") {
			t.Errorf("%s: an answer shown from a card that is not valid", reason)
		}
		row(body, "만 65세 이상인지", AnswerNone, "답 없음")
	}
	body = page(OutcomeDeclined, "", "")
	if !strings.Contains(body, `data-card="declined"`) || !strings.Contains(body, "시민이 보내지 않기로 했습니다") {
		t.Errorf("declined:\n%s", body)
	}
	row(body, "사는 구·군", AnswerNone, "답 없음")
}
