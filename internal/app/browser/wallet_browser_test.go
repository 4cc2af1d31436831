package browser_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
)

// waitFor waits until the page's script shows selector: the wallet's
// screens change without loading a page.
func waitFor(t *testing.T, b *browsertest.Browser, selector string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible(chromedp.CSS(selector))); err != nil {
		t.Fatalf("%s never shown on %s: %v\n%s", selector, b.Location(t), err, b.Text(t, "main"))
	}
}

func waitHidden(t *testing.T, b *browsertest.Browser, selector string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitNotVisible(chromedp.CSS(selector))); err != nil {
		t.Fatalf("%s still shown on %s: %v", selector, b.Location(t), err)
	}
}

// receive takes the offer into the browser's wallet by keyboard: a wrong
// PIN first, then the right one.
func receive(t *testing.T, b *browsertest.Browser, offer identity.Offer) {
	t.Helper()
	b.Visit(t, offer.WalletLink)
	waitFor(t, b, "#w-pin-form")
	b.Axe(t)
	wrong := "000000"
	if offer.PIN == wrong {
		wrong = "111111"
	}
	b.TabTo(t, "#w-pin", 30)
	b.Type(t, wrong)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-error")
	if el := b.Focused(t); el.Attrs["id"] != "w-error" {
		t.Fatalf("after a wrong PIN focus is on %s, not on the error", el)
	}
	b.Axe(t)
	// The field comes next, emptied for the second try.
	b.TabTo(t, "#w-pin", 1)
	b.Type(t, offer.PIN)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-cards")
	b.Axe(t)
}

// consent opens a request's consent screen and presses button by keyboard;
// it returns what the consent screen said.
func consent(t *testing.T, b *browsertest.Browser, link, button string) string {
	t.Helper()
	b.Visit(t, link)
	waitFor(t, b, "#w-consent")
	b.Axe(t)
	return choose(t, b, button)
}

func choose(t *testing.T, b *browsertest.Browser, button string) string {
	t.Helper()
	text := b.Text(t, "#w-consent")
	b.TabTo(t, button, 10)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-result")
	b.Axe(t)
	return text
}

// heldCards is what the wallet's IndexedDB holds, read by the page itself.
type heldCard struct {
	ShownTo     []string `json:"shownTo"`
	Uses        int      `json:"uses"`
	Extractable bool     `json:"extractable"`
}

func heldCards(t *testing.T, b *browsertest.Browser) []heldCard {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), 20*time.Second)
	defer cancel()
	cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]heldCard](`new Promise((resolve, reject) => {
		const open = indexedDB.open('maeul-wallet');
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const all = open.result.transaction('cards').objectStore('cards').getAll();
			all.onsuccess = () => resolve(all.result.map((c) => ({shownTo: c.shownTo, uses: c.uses, extractable: c.keys.privateKey.extractable})));
		};
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return cards
}

var twoFacts = [][]string{{"age_equal_or_over", "65"}, {"address", "district"}}

// TestBrowserWalletReceivesAndPresents: the web wallet receives a card through
// the credential offer and presents two facts to the demo hospital, whose
// verifier accepts them, by keyboard alone and with axe-core on every
// screen; "don't share", another verifier, the history, showing the card to
// staff, English on a phone, and removing the cards.
func TestBrowserWalletReceivesAndPresents(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	ctx := context.Background()
	base := ta.Server.URL
	ko, en := i18n.For("ko"), i18n.For("en")
	office, err := ta.Presentations.Parties.Save(ctx, identity.RelyingParty{Slug: "test-office", NameKo: "시험 구청", NameEn: "Test District Office",
		PurposeKo: "주소를 확인합니다.", PurposeEn: "To check your address.", Claims: twoFacts, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(slug string, claims ...[]string) identity.PresentationRequest {
		t.Helper()
		req, err := ta.Presentations.Create(ctx, slug, claims, base)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	result := func(req identity.PresentationRequest) identity.PresentationResult {
		t.Helper()
		res, err := ta.Presentations.Result(ctx, req.ID, base)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	b.Visit(t, base+"/lang/ko?next=/wallet")
	waitFor(t, b, "#w-empty")
	b.Axe(t)
	res, offer := ta.OfferTo(t)
	receive(t, b, offer)
	district, _ := city.DistrictByCode(res.District)
	apptest.MustContain(t, "the card", b.Text(t, "#w-cards"), res.Name, district.Name("ko"))
	// How many unlinkable copies the phone holds is for experts, behind a disclosure.
	b.TabTo(t, "#w-cards summary", 40)
	b.Press(t, "Enter")
	apptest.MustContain(t, "the card's copies", b.Text(t, "#w-cards"), "5장")
	var bound int
	if err := ta.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM issuance_tokens WHERE jkt <> '' AND used_at IS NOT NULL`).Scan(&bound); err != nil || bound != 1 {
		t.Errorf("the wallet's access token was not DPoP-bound: %d %v", bound, err)
	}
	held := heldCards(t, b)
	if len(held) != identity.BatchSize {
		t.Fatalf("the wallet holds %d cards, want a batch of %d", len(held), identity.BatchSize)
	}
	for _, c := range held {
		if c.Extractable {
			t.Fatal("a holder key is extractable")
		}
	}

	// Two facts to the demo hospital.
	hospital := ask("demo-hospital", twoFacts...)
	text := consent(t, b, hospital.WalletLink, "#w-share")
	apptest.MustContain(t, "the consent screen", text, identity.DemoHospital.NameKo, identity.DemoHospital.PurposeKo,
		ko.T("identity.claim.age_equal_or_over.65"), ko.T("identity.yes"), ko.T("identity.claim.address.district"), district.Name("ko"))
	apptest.MustContain(t, "the confirmation", b.Text(t, "#w-result"), ko.T("wallet.js.accepted"))
	got := result(hospital)
	if got.Outcome != identity.OutcomeValid {
		t.Fatalf("the hospital's verifier says %s: %s %s", got.Outcome, got.Reason, got.Detail)
	}
	over, _ := got.Claims["age_equal_or_over"].(map[string]any)
	addr, _ := got.Claims["address"].(map[string]any)
	if over["65"] != true || addr["district"] != res.District || len(over) != 1 || len(addr) != 1 {
		t.Fatalf("disclosed %v", got.Claims)
	}
	for _, hidden := range []string{"name", "birthdate", "household_id", "age_bracket", "disability", "children_under_19"} {
		if _, ok := got.Claims[hidden]; ok {
			t.Errorf("%s was disclosed", hidden)
		}
	}

	// Another verifier gets another card of the batch; the hospital, asking
	// again, the card it saw before.
	officeReq := ask(office.Slug, []string{"address", "district"})
	consent(t, b, officeReq.WalletLink, "#w-share")
	again := ask("demo-hospital", twoFacts...)
	consent(t, b, again.WalletLink, "#w-share")
	if o, a := result(officeReq), result(again); o.Outcome != identity.OutcomeValid || a.Outcome != identity.OutcomeValid {
		t.Fatalf("later presentations: %s %s / %s %s", o.Outcome, o.Reason, a.Outcome, a.Reason)
	}
	shown := map[string][]int{}
	for _, c := range heldCards(t, b) {
		for _, to := range c.ShownTo {
			shown[to] = append(shown[to], c.Uses)
		}
	}
	if h, o := shown[hospital.ClientID], shown[officeReq.ClientID]; len(h) != 1 || h[0] != 2 || len(o) != 1 || o[0] != 1 {
		t.Errorf("cards shown: %v", shown)
	}

	// "Don't share" tells the verifier no.
	declined := ask(office.Slug, twoFacts...)
	consent(t, b, declined.WalletLink, "#w-decline")
	apptest.MustContain(t, "the confirmation", b.Text(t, "#w-result"), ko.T("wallet.js.declined"))
	if got := result(declined); got.Outcome != identity.OutcomeDeclined || got.Claims != nil {
		t.Errorf("after don't share the verifier has %s %v", got.Outcome, got.Claims)
	}
	// An answered request cannot be answered twice.
	b.Visit(t, declined.WalletLink)
	waitFor(t, b, "#w-error")
	b.Axe(t)

	b.Visit(t, base+"/wallet/history")
	waitFor(t, b, "#w-history-wrap")
	b.Axe(t)
	history := b.Text(t, "#w-history")
	apptest.MustContain(t, "the history", history, identity.DemoHospital.NameKo, "시험 구청", ko.T("identity.claim.address.district"),
		ko.T("wallet.js.outcome_accepted"), ko.T("wallet.js.outcome_declined"))
	if n := strings.Count(history, identity.DemoHospital.NameKo) + strings.Count(history, "시험 구청"); n != 4 {
		t.Errorf("history of 4 requests has %d: %s", n, history)
	}
	if strings.Index(history, "시험 구청") > strings.Index(history, identity.DemoHospital.NameKo) {
		t.Errorf("history is not newest first: %s", history)
	}

	// Show my card to staff: a QR code and a code to read out; the staff's
	// request opens the consent screen by itself.
	b.Visit(t, base+"/wallet")
	waitFor(t, b, "#w-cards")
	b.TabTo(t, "#w-show-start", 40)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-show-box svg")
	waitHidden(t, b, "#w-show-start")
	b.Axe(t)
	code := b.Text(t, "#w-show-code")
	if len(strings.Fields(code)) != 2 {
		t.Fatalf("the code is not in two groups: %q", code)
	}
	party, err := ta.Presentations.Parties.BySlug(ctx, "demo-hospital")
	if err != nil {
		t.Fatal(err)
	}
	desk, err := ta.Presentations.CreateFor(ctx, code, party, twoFacts, base)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, "#w-consent")
	b.Axe(t)
	choose(t, b, "#w-share")
	if got := result(desk); got.Outcome != identity.OutcomeValid {
		t.Errorf("presented through the engagement: %s %s", got.Outcome, got.Reason)
	}

	// In English, on a phone's width.
	b.Visit(t, base+"/lang/en?next=/wallet")
	b.SetViewport(t, 390, 844)
	waitFor(t, b, "#w-cards")
	b.Axe(t)
	apptest.MustContain(t, "the English card", b.Text(t, "#w-cards"), res.Name, district.Name("en"), en.T("wallet.card_valid_until"))
	// The openid4vp:// link pasted into the wallet opens the same screen.
	b.TabTo(t, "#w-link", 60)
	b.Type(t, ask("demo-hospital", twoFacts...).OpenIDLink)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-consent")
	b.Axe(t)
	text = choose(t, b, "#w-share")
	apptest.MustContain(t, "the English consent screen", text, identity.DemoHospital.NameEn, identity.DemoHospital.PurposeEn,
		en.T("identity.claim.age_equal_or_over.65"), en.T("identity.yes"), district.Name("en"))

	// A suspended card: the verifier refuses it, and the wallet says so
	// with the verifier's reason.
	if _, err := ta.Cards.SetStatus(ctx, res.ID, identity.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	consent(t, b, ask("demo-hospital", twoFacts...).WalletLink, "#w-share")
	apptest.MustContain(t, "a refusal", b.Text(t, "#w-result"), en.T("wallet.js.refused"), "suspended")

	// Removing the cards from the phone, with a second thought first.
	b.Visit(t, base+"/wallet")
	waitFor(t, b, "#w-cards")
	b.TabTo(t, "#w-remove-ask", 60)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-remove-confirm")
	b.Axe(t)
	b.TabTo(t, "#w-remove-yes", 3)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-removed")
	waitFor(t, b, "#w-empty")
	b.Axe(t)

	// With no card, the wallet says it cannot answer and can tell them no.
	nothing := ask("demo-hospital", twoFacts...)
	b.Visit(t, nothing.WalletLink)
	waitFor(t, b, "#w-cannot")
	b.Axe(t)
	b.TabTo(t, "#w-tell-no", 10)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-result")
	b.Axe(t)
	if got := result(nothing); got.Outcome != identity.OutcomeDeclined {
		t.Errorf("told no, the verifier has %s", got.Outcome)
	}

	// A card from another issuer is not for this web wallet.
	b.Visit(t, base+"/wallet/receive?credential_offer="+url.QueryEscape(`{"credential_issuer":"https://wallet.example","credential_configuration_ids":["citizen_card"],`+
		`"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"x"}}}`))
	waitFor(t, b, "#w-error")
	b.Axe(t)
	apptest.MustContain(t, "a foreign offer", b.Text(t, "#w-error"), "https://wallet.example")
	waitHidden(t, b, "#w-pin-form")
	t.Logf("axe-core checked %d screens", len(b.Checked()))
}
