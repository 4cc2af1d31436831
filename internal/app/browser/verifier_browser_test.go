package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/identity"
)

// TestBrowserVerifierDesk: the hospital's receptionist asks by keyboard,
// the waiting page turns into the answer by itself when the wallet answers,
// and every state of the desk (waiting, valid, suspended, declined)
// and the system admin's register pass axe-core, in Korean and English.
func TestBrowserVerifierDesk(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	client, wallet := ta.WalletOf(t)
	ctx := context.Background()
	base := ta.Server.URL
	answer := func(share bool) {
		t.Helper()
		id := strings.TrimPrefix(b.Location(t), base+"/verify/")
		res, err := ta.Presentations.Result(ctx, id, base)
		if err != nil {
			t.Fatal(err)
		}
		r, err := client.FetchRequest(ctx, res.WalletLink)
		if err != nil {
			t.Fatal(err)
		}
		if !share {
			if err := client.Decline(ctx, wallet, r); err != nil {
				t.Fatal(err)
			}
			return
		}
		ch, err := wallet.Choose(r)
		if err != nil {
			t.Fatal(err)
		}
		client.Share(ctx, wallet, r, ch)
	}
	// verdict waits for the waiting page's script to show the card's state,
	// then reads it and the answers, each on its own row.
	verdict := func(want string, answers ...string) {
		t.Helper()
		waitFor(t, b, "#card-status")
		if got := b.Text(t, "#card-status"); !strings.Contains(got, want) {
			t.Fatalf("card %q, want %q", got, want)
		}
		got := b.Text(t, "#answers")
		for _, a := range answers {
			if !strings.Contains(got, a) {
				t.Fatalf("answers %q, want %q", got, a)
			}
		}
		b.Axe(t)
	}
	ask := func() {
		t.Helper()
		b.Visit(t, base+"/verify")
		b.TabTo(t, `#verify-form button[type=submit]`, 40)
		b.PressNavigate(t, "Enter")
		if !strings.Contains(b.Location(t), "/verify/") {
			t.Fatalf("no waiting page: %s", b.Text(t, "main"))
		}
	}

	b.Visit(t, base+"/lang/ko")
	ta.SignInStaffBrowser(t, b, "hospital")
	ask()
	answer(true)
	verdict("카드가 유효합니다", "만 65세 이상인지", "사는 구·군")

	ask()
	answer(false)
	verdict("보내지 않기로", "답 없음")

	// A suspended card: its state and why, in English, and no answers.
	b.Visit(t, base+"/lang/en?next=/verify")
	res, _ := identity.NewRegistry(ta.DB).ByPhone(ctx, "+82"+strings.TrimPrefix(strings.ReplaceAll(ta.Phone, "-", ""), "0"))
	if _, err := ta.Cards.SetStatus(ctx, res.ID, identity.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	ask()
	answer(true)
	verdict("The card is suspended", "No answer")

	b.Visit(t, base+"/lang/ko")
	ta.SignInStaffBrowser(t, b, "admin")
	b.Visit(t, base+"/admin/verifiers")
	b.Visit(t, base+"/admin/verifiers?edit=demo-hospital")
	b.Visit(t, base+"/verify")
}
