package browser_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
)

// TestBrowserCitizenFunds: a demo parent signs in by keyboard, takes
// the citizen card into the web wallet, applies for the multi-child
// points, shares exactly the asked facts on the wallet's consent screen,
// comes back by the wallet's "continue" link to "approved", pays an
// academy's payment request, and sees each receipt verified on the points
// page, with axe-core on every page; the points page also in English on a
// phone's width.
func TestBrowserCitizenFunds(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	ctx := context.Background()
	base := ta.Server.URL
	ko, en := i18n.For("ko"), i18n.For("en")
	progs := ta.OpenProgrammes(t)
	parent := ta.ResidentWith(t, 2, 20)
	want := "300,000"
	if parent.ChildrenUnder19 >= 3 {
		want = "500,000"
	}

	// Sign in and confirm who they are, by keyboard.
	phone := auth.FormatPhone(parent.Phone)
	b.Visit(t, base+"/lang/ko?next=/login")
	b.TabTo(t, "#f-phone", 30)
	b.Type(t, phone)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, "#f-code", 30)
	b.Type(t, ta.LastCode(t, parent.Phone))
	b.PressNavigate(t, "Enter")
	b.MenuTo(t, "/benefits", 40)
	apptest.MustContain(t, "benefits before the card", b.Text(t, "main"), ko.T("funds.citizen.card_first"), progs[0].NameKo)
	b.TabTo(t, `#card-first a[href="/my/card"]`, 40)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, "#f-name", 40)
	b.Type(t, parent.Name)
	b.TabTo(t, "#f-birth_date", 5)
	b.Type(t, parent.BirthDate.Format(time.DateOnly))
	b.PressNavigate(t, "Enter")

	// The card into the web wallet.
	staff := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: 1, Role: actor.Operator}, Channel: actor.InPerson})
	if _, err := identity.NewRegistry(ta.DB).RecordInPerson(staff, parent.ID, "resident_card"); err != nil {
		t.Fatal(err)
	}
	offer, err := ta.Cards.CreateOffer(staff, parent.ID, base)
	if err != nil {
		t.Fatal(err)
	}
	receive(t, b, offer)

	// Apply, open the wallet, share, and come back.
	b.Visit(t, base+"/benefits")
	apptest.MustContain(t, "the benefits", b.Text(t, "main"), ko.T("funds.citizen.estimate_yes", want), progs[0].WhoKo)
	b.TabTo(t, `form[action="/benefits/multi-child-education/apply"] button`, 60)
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Location(t), "/benefits/applications/") {
		t.Fatalf("no application page: %s", b.Text(t, "main"))
	}
	application := b.Location(t)
	asked := []string{ko.T("identity.claim.children_under_19"), ko.T("identity.claim.household_id")}
	apptest.MustContain(t, "the waiting page", b.Text(t, "#pending"), asked...)
	b.TabTo(t, "#open-wallet", 30)
	b.PressNavigate(t, "Enter")
	waitFor(t, b, "#w-consent")
	b.Axe(t)
	text := choose(t, b, "#w-share")
	apptest.MustContain(t, "the consent screen", text, asked...)
	for _, other := range []string{"name", "birthdate", "address.district", "disability", "age_bracket"} {
		if label := ko.T("identity.claim." + other); strings.Contains(text, label) {
			t.Errorf("the consent screen also lists %q: %s", label, text)
		}
	}
	waitFor(t, b, "#w-continue")
	b.TabTo(t, "#w-continue", 20)
	b.PressNavigate(t, "Enter")
	if b.Location(t) != application {
		t.Fatalf("continue led to %s, not %s", b.Location(t), application)
	}
	apptest.MustContain(t, "the decision", b.Text(t, "#decision"), ko.T("funds.citizen.approved"), want)

	// Pay an academy.
	academy, owner := ta.MerchantFor(t, "education", "해운대 수학학원", 1)
	req, err := ta.Funds.RequestPayment(ctx, owner, academy.ID, 50_000)
	if err != nil {
		t.Fatal(err)
	}
	// The shop's QR code holds its /pay/ link; the wallet's scanner (here
	// its field for a link) opens the page that confirms the payment.
	b.Visit(t, base+"/wallet")
	waitFor(t, b, "#w-cards")
	b.TabTo(t, "#w-link", 60)
	b.Type(t, base+"/pay/"+req.ID)
	b.Press(t, "Enter")
	waitFor(t, b, "#pay")
	apptest.MustContain(t, "the pay page", b.Text(t, "main"), "해운대 수학학원", "50,000원", progs[0].NameKo)
	b.TabTo(t, "#pay", 40)
	b.PressNavigate(t, "Enter")
	apptest.MustContain(t, "the payment", b.Text(t, "#paid"), ko.T("funds.citizen.paid", "50,000", "해운대 수학학원"))

	// Every receipt on the points page is checked in the page: in the
	// signed ledger, and the citizen's (its opening opens the entry).
	b.Visit(t, base+"/points")
	for _, row := range []string{"1", "2"} {
		button := "#point-movements tbody tr:nth-child(" + row + ") button.receipt-check"
		status := "#point-movements tbody tr:nth-child(" + row + ") .receipt-status"
		b.TabTo(t, button, 40)
		b.Press(t, "Enter")
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(b.Text(t, status), "확인됨"); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("receipt %s not verified: %q", row, b.Text(t, status))
			}
		}
		apptest.MustContain(t, "receipt "+row, b.Text(t, status), ko.T("ledger.receipt_mine"))
	}
	b.Axe(t)

	// In English, on a phone.
	b.Visit(t, base+"/lang/en?next=/points")
	b.SetViewport(t, 390, 844)
	b.Visit(t, base+"/points")
	apptest.MustContain(t, "the English points", b.Text(t, "main"), en.T("nav.my_points"), en.T("funds.citizen.valid_until", en.Date(progs[0].PointsExpire.Add(-time.Second))))
	b.Visit(t, base+"/benefits")
	b.Visit(t, application)
	t.Logf("axe-core checked %d pages", len(b.Checked()))
}
