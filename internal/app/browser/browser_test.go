package browser_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/identity"
)

// TestBrowserKeyboardOnlyRegistration signs a citizen in, finds a class and
// registers using the keyboard alone, running axe-core on every page.
func TestBrowserKeyboardOnlyRegistration(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	base := ta.Server.URL

	b.Visit(t, base+"/lang/ko?next=/login")
	b.TabTo(t, "#f-phone", 30)
	b.Type(t, ta.Phone)
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "main"), "인증번호") {
		t.Fatalf("no code page: %s", b.Text(t, "main"))
	}
	e164 := "+82" + strings.TrimPrefix(strings.ReplaceAll(ta.Phone, "-", ""), "0")
	b.TabTo(t, "#f-code", 30)
	b.Type(t, ta.LastCode(t, e164))
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "[role=status]"), "로그인했습니다") {
		t.Fatalf("not signed in: %s", b.Text(t, "main"))
	}

	// The menu's group 배우기 opens with Enter and lists the catalogue.
	b.MenuTo(t, "/courses", 40)
	b.TabTo(t, "#f-q", 30)
	b.Type(t, "키오스크")
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Location(t), "q=") {
		t.Fatalf("search did not run: %s", b.Location(t))
	}
	b.TabTo(t, `.cards a[href^="/sessions/"]`, 60)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, `form[action$="/register"] button`, 60)
	b.PressNavigate(t, "Enter")
	got := b.Text(t, "main")
	if !strings.Contains(got, "확정") && !strings.Contains(got, "대기") {
		t.Fatalf("registration not shown on the ticket page: %s", got)
	}
	if !strings.Contains(b.Location(t), "/my/registrations/") {
		t.Fatalf("ended on %s", b.Location(t))
	}

	// The citizen card: confirm who they are against the registry, then get
	// the QR code and PIN for the wallet.
	res, err := identity.NewRegistry(ta.DB).ByPhone(context.Background(), e164)
	if err != nil {
		t.Fatal(err)
	}
	b.Visit(t, base+"/my/card")
	b.TabTo(t, "#f-name", 40)
	b.Type(t, res.Name)
	b.TabTo(t, "#f-birth_date", 5)
	b.Type(t, res.BirthDate.Format(time.DateOnly))
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "main"), res.Name) {
		t.Fatalf("not proofed: %s", b.Text(t, "main"))
	}
	b.TabTo(t, `form[action="/my/card/offer"] button`, 40)
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "main"), "PIN") {
		t.Fatalf("no offer: %s", b.Text(t, "main"))
	}

	// Cards issued and suspended are on the ledger: the page lists them and
	// checks each receipt in the browser (signature, inclusion proof, and
	// the opening that shows the entry is the citizen's).
	ctx := context.Background()
	holderKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if _, err := ta.Cards.Issue(ctx, res.ID, base, []crypto.PublicKey{holderKey.Public()}); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Cards.SetStatus(ctx, res.ID, identity.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	b.Visit(t, base+"/my/card")
	if got := b.Text(t, "#card-events"); !strings.Contains(got, "시민카드 발급") || !strings.Contains(got, "시민카드 정지") {
		t.Fatalf("card events: %s", got)
	}
	b.TabTo(t, "#card-events button.receipt-check", 40)
	b.Press(t, "Enter")
	waitFor(t, b, `#card-events .receipt-status:not(:empty)`)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(b.Text(t, "#card-events .receipt-status"), "확인됨"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("receipt not checked: %s", b.Text(t, "#card-events .receipt-status"))
		}
	}
	if got := b.Text(t, "#card-events .receipt-status"); !strings.Contains(got, "본인의 것임도 확인했습니다") {
		t.Fatalf("the receipt's opening not checked: %s", got)
	}
	b.Axe(t)

	// The rest of the citizen's pages, in both languages and both display modes.
	for _, p := range []string{"/", "/venues", "/venues/hub-sodambang", "/my/registrations", "/account", "/account/notifications", "/accessibility", "/sessions/1"} {
		b.Visit(t, base+p)
	}
	b.Visit(t, base+"/lang/en?next=/courses")
	// The toggles change the page in place: the search stays as it was.
	b.TabToToggle(t, "text", 20)
	b.Press(t, "Enter")
	waitFor(t, b, `html.large-text`)
	b.TabTo(t, `button[value="contrast"]`, 3)
	b.Press(t, "Enter")
	waitFor(t, b, `html.high-contrast`)
	if !strings.Contains(b.Text(t, "h1"), "Find a class") {
		t.Fatalf("English catalogue expected, got %q", b.Text(t, "h1"))
	}
	b.SetViewport(t, 390, 844)
	b.Visit(t, base+"/courses?theme=ai")
	b.Visit(t, base+"/my/registrations")
	t.Logf("axe-core checked %d pages", len(b.Checked()))
}

// TestBrowserStaffPagesAreAccessible signs staff in with the keyboard and runs
// axe-core on their pages.
func TestBrowserStaffPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	base := ta.Server.URL
	b.Visit(t, base+"/lang/ko")
	signIn := func(user string) { ta.SignInStaffBrowser(t, b, user) }
	signIn("operator")
	for _, p := range []string{"/acting", "/acting?phone=010-4444-0002", "/admin/outbox", "/admin/cards"} {
		b.Visit(t, base+p)
	}
	// The citizen-card desk: find a resident, record the check, make an offer.
	b.Visit(t, base+"/admin/cards?q="+ta.Phone)
	b.TabTo(t, `form[action$="/proof"] button`, 40)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, `form[action$="/offer"] button`, 40)
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "main"), "PIN") {
		t.Fatalf("no offer shown: %s", b.Text(t, "main"))
	}
	signIn("admin")
	for _, p := range []string{"/admin/users", "/account/totp", "/admin/audit", "/admin/programmes"} {
		b.Visit(t, base+p)
	}
	// A programme saved again by keyboard shows its dry run.
	if _, _, err := ta.Programmes.Save(context.Background(), funds.DemoProgrammes(time.Now())[1]); err != nil {
		t.Fatal(err)
	}
	b.Visit(t, base+"/admin/programmes?edit=youth-culture-pass")
	b.TabTo(t, `form[action="/admin/programmes"] button[type=submit]`, 80)
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "#dry-run"), "원") {
		t.Fatalf("no dry run: %s", b.Text(t, "main"))
	}
	signIn("centre")
	for _, p := range []string{"/admin/stats", "/admin/stats?theme=ai", "/admin/import", "/admin/mobile-classes",
		"/staff/sessions", "/staff/checkin", "/admin/sessions/200", "/staff/sessions/200", "/staff/sessions/3/feedback",
		"/mobile-classes/request"} {
		b.Visit(t, base+p)
	}
	signIn("tutor1")
	b.Visit(t, base+"/staff/sessions")
}
