package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/identity"
)

var requestID = regexp.MustCompile(`data-status="/verify/([A-Za-z0-9_-]+)/status"`)

// TestVerifierDesk: the demo hospital's receptionist asks for two facts, a
// wallet answers, and the page says that the card is valid, then each fact
// in words on its own row; the same for a wallet that shows its code
// instead of scanning.
func TestVerifierDesk(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	ctx := context.Background()
	client, wallet := ta.WalletOf(t)
	desk := ta.Client(t)
	ta.SignInStaff(t, desk, "hospital")

	st, body := desk.Get("/verify")
	if st != 200 || !strings.Contains(body, "부산 시민병원") || strings.Count(body, `name="claim"`) != len(identity.DemoHospital.Claims) {
		t.Fatalf("desk: %d %s", st, body)
	}
	if st, body := desk.Post("/verify", url.Values{"party": {"demo-hospital"}}); st != 422 || !strings.Contains(body, "하나 이상") {
		t.Fatalf("nothing asked: %d", st)
	}
	st, body = desk.Post("/verify", url.Values{"claim": {"age_equal_or_over.65", "address.district"}})
	m := requestID.FindStringSubmatch(body)
	if st != 200 || m == nil {
		t.Fatalf("request page: %d %s", st, body)
	}
	link := regexp.MustCompile(`href="(http[^"]+/wallet/present\?[^"]+)"`).FindStringSubmatch(body)
	if link == nil || !strings.Contains(body, "<svg") {
		t.Fatalf("no QR code or wallet link: %s", body)
	}
	if _, body := desk.Get("/verify/" + m[1] + "/status"); !strings.Contains(body, `"answered":false`) {
		t.Fatalf("status before the answer: %s", body)
	}
	reads := func() (n int) {
		ta.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'presentation.read'`).Scan(&n)
		return n
	}
	r, err := client.FetchRequest(ctx, strings.ReplaceAll(link[1], "&amp;", "&"))
	if err != nil {
		t.Fatal(err)
	}
	choices, err := wallet.Choose(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Share(ctx, wallet, r, choices); err != nil {
		t.Fatal(err)
	}
	// Polling reads nothing personal, so it is not audited; reading the
	// answer is.
	desk.Get("/verify/" + m[1] + "/status")
	if n := reads(); n != 0 {
		t.Fatalf("%d audited reads before anyone read the answer", n)
	}
	_, body = desk.Get("/verify/" + m[1])
	if n := reads(); n != 1 {
		t.Fatalf("%d audited reads after reading the answer once", n)
	}
	// The card's state on its own line, then each answer on its own row in
	// words: yes or no with its icon, and the district's name, not its code.
	if !strings.Contains(body, `data-card="valid"`) || !strings.Contains(body, "카드가 유효합니다") || strings.Contains(body, "확인되었습니다") {
		t.Fatalf("the card's state: %s", body)
	}
	answers := regexp.MustCompile(`(?s)data-answer="(yes|no)">\s*<p>만 65세 이상인지</p>\s*<p class="verdict-word"><span aria-hidden="true">[✓✗]</span> (예|아니요)</p>.*` +
		`data-answer="value">\s*<p>사는 구·군</p>\s*<p class="verdict-word">[^<0-9]+</p>`)
	if !answers.MatchString(body) {
		t.Fatalf("answers: %s", body)
	}

	// The wallet shows a code; the receptionist types it.
	var e struct{ Code, Poll string }
	if st := postJSON(t, ta.Server.URL+"/vp/engage", &e); st != 200 || len(e.Code) != 8 {
		t.Fatalf("engage: %d %+v", st, e)
	}
	st, body = desk.Post("/verify", url.Values{"claim": {"address.district"}, "code": {strings.ToLower(e.Code[:4]) + "-" + e.Code[4:]}})
	if st != 200 || requestID.FindStringSubmatch(body) == nil {
		t.Fatalf("request by code: %d %s", st, body)
	}
	var poll struct{ Status, Link string }
	getJSON(t, ta.Server.URL+e.Poll, &poll)
	if poll.Status != "request" || !strings.Contains(poll.Link, "/wallet/present?") {
		t.Fatalf("poll: %+v", poll)
	}
	r, err = client.FetchRequest(ctx, poll.Link)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Decline(ctx, wallet, r); err != nil {
		t.Fatal(err)
	}
	if _, body := desk.Get("/verify/" + requestID.FindStringSubmatch(body)[1]); !strings.Contains(body, "보내지 않기로") ||
		!strings.Contains(body, `data-card="declined"`) || strings.Contains(body, `data-answer="value"`) {
		t.Fatalf("declined: %s", body)
	}

	// Another organisation's staff cannot read the hospital's answers, and
	// citizens cannot reach the desk at all.
	other := ta.Client(t)
	ta.SignInStaff(t, other, "operator")
	if st, _ := other.Get("/verify/" + m[1]); st != 403 {
		t.Fatalf("an operator read a verification: %d", st)
	}
}

// TestRelyingPartyRegister: the system admin registers an office, links a
// verifier account to it, and bad input changes nothing.
func TestRelyingPartyRegister(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	admin := ta.Client(t)
	ta.SignInStaff(t, admin, "admin")
	if st, body := admin.Get("/admin/verifiers"); st != 200 || !strings.Contains(body, "demo-hospital") {
		t.Fatalf("register: %d", st)
	}
	office := url.Values{"slug": {"haeundae-office"}, "name_ko": {"해운대구청"}, "name_en": {"Haeundae district office"},
		"purpose_ko": {"주소 확인"}, "purpose_en": {"To check your address"}, "claim": {"address.district", "name"}, "ask": {"address.district"}, "active": {"on"}}
	bad := url.Values{}
	for k, v := range office {
		bad[k] = v
	}
	bad["ask"] = []string{"birthdate"}
	if st, body := admin.Post("/admin/verifiers", bad); st != 422 || !strings.Contains(body, "기본으로 요청하는 내용") {
		t.Fatalf("asks beyond claims: %d", st)
	}
	if _, err := ta.Presentations.Parties.BySlug(context.Background(), "haeundae-office"); err == nil {
		t.Fatal("an invalid party was saved")
	}
	if st, body := admin.Post("/admin/verifiers", office); st != 200 || !strings.Contains(body, "해운대구청") {
		t.Fatalf("save: %d", st)
	}
	if st, _ := admin.Post("/admin/verifiers/staff", url.Values{"username": {"operator"}, "party": {"haeundae-office"}}); st != 422 {
		t.Fatalf("an operator was linked as verifier: %d", st)
	}
	if st, body := admin.Post("/admin/verifiers/staff", url.Values{"username": {"hospital"}, "party": {"haeundae-office"}}); st != 200 || !strings.Contains(body, "연결했습니다") {
		t.Fatalf("link: %d", st)
	}
	desk := ta.Client(t)
	ta.SignInStaff(t, desk, "hospital")
	if _, body := desk.Get("/verify"); !strings.Contains(body, "해운대구청") {
		t.Fatal("the relinked receptionist does not verify for the office")
	}
}

func postJSON(t *testing.T, target string, out any) int {
	t.Helper()
	resp, err := http.Post(target, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(out)
	return resp.StatusCode
}

func getJSON(t *testing.T, target string, out any) {
	t.Helper()
	resp, err := http.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}
