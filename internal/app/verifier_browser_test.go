package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/identity"
)

// TestVerifierDeskInTheBrowser: the hospital's receptionist asks by keyboard,
// the waiting page turns into the verdict by itself when the wallet answers,
// and every state of the desk (waiting, confirmed, not confirmed, declined)
// and the system admin's register pass axe-core, in Korean and English.
func TestVerifierDeskInTheBrowser(t *testing.T) {
	b := browsertest.Start(t)
	ta := newTestApp(t, dbtest.SQLite(t))
	client, wallet := ta.walletOf(t)
	ctx := context.Background()
	base := ta.srv.URL
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
	// verdict waits for the waiting page's script to show the verdict.
	verdict := func(want string) {
		t.Helper()
		waitFor(t, b, ".verdict")
		if got := b.Text(t, ".verdict"); !strings.Contains(got, want) {
			t.Fatalf("verdict %q, want %q", got, want)
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
	ta.signInStaffBrowser(t, b, "hospital")
	ask()
	answer(true)
	verdict("확인되었습니다")

	ask()
	answer(false)
	verdict("보내지 않기로")

	// A suspended card: "not confirmed", and why, in English.
	b.Visit(t, base+"/lang/en?next=/verify")
	res, _ := identity.NewRegistry(ta.DB).ByPhone(ctx, "+82"+strings.TrimPrefix(strings.ReplaceAll(ta.phone, "-", ""), "0"))
	if _, err := ta.Cards.SetStatus(ctx, res.ID, identity.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	ask()
	answer(true)
	verdict("suspended")

	b.Visit(t, base+"/lang/ko")
	ta.signInStaffBrowser(t, b, "admin")
	b.Visit(t, base+"/admin/verifiers")
	b.Visit(t, base+"/admin/verifiers?edit=demo-hospital")
	b.Visit(t, base+"/verify")
}
