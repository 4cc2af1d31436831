package app_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
)

// walletApp is the demo city with an issuer that signs, and beside it on
// the same origin two relying parties and the engagement endpoints.
type walletApp struct {
	*testApp
	clinic, office *fakeRP
	engage         *fakeEngage
}

func newWalletApp(t *testing.T) *walletApp {
	t.Helper()
	d := dbtest.SQLite(t)
	res, err := demo.Generate(context.Background(), d, demo.Options{Citizens: 300})
	if err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, identity.SecretSize)
	rand.Read(secret)
	ta := &testApp{App: app.New(d, app.Options{Demo: true, IssuerSecret: secret}), staff: map[string]string{}, phone: res.SamplePhone}
	wa := &walletApp{testApp: ta, engage: &fakeEngage{},
		clinic: newFakeRP(t, ta.Keys, "test-clinic", map[string]string{"ko": "시험 병원", "en": "Test Clinic"}),
		office: newFakeRP(t, ta.Keys, "test-office", map[string]string{"ko": "시험 구청", "en": "Test District Office"}),
	}
	mux := http.NewServeMux()
	wa.clinic.routes(mux)
	wa.office.routes(mux)
	wa.engage.routes(mux)
	mux.Handle("/", ta)
	ta.srv = httptest.NewServer(mux)
	t.Cleanup(ta.srv.Close)
	wa.clinic.start(ta.srv.URL)
	wa.office.start(ta.srv.URL)
	return wa
}

// offerTo proofs a resident aged 65 or over at the desk and makes a card
// offer for them, as staff do.
func (wa *walletApp) offerTo(t *testing.T) (identity.Resident, identity.Offer) {
	t.Helper()
	ctx := context.Background()
	var staffID, residentID int64
	if err := wa.DB.Read().QueryRowContext(ctx, `SELECT id FROM users WHERE username = 'operator'`).Scan(&staffID); err != nil {
		t.Fatal(err)
	}
	if err := wa.DB.Read().QueryRowContext(ctx, `SELECT id FROM residents WHERE birth_date <= '1955-01-01' ORDER BY id LIMIT 1`).Scan(&residentID); err != nil {
		t.Fatal(err)
	}
	staff := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: staffID, Role: actor.Operator}, Channel: actor.InPerson})
	reg := identity.NewRegistry(wa.DB)
	if _, err := reg.RecordInPerson(staff, residentID, "resident_card"); err != nil {
		t.Fatal(err)
	}
	offer, err := wa.Cards.CreateOffer(staff, residentID, wa.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := reg.Get(ctx, residentID)
	if err != nil {
		t.Fatal(err)
	}
	return res, offer
}

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

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not say %q: %s", what, w, text)
		}
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

// consent opens a request's consent screen and chooses button by keyboard;
// it returns the consent screen's text.
func consent(t *testing.T, b *browsertest.Browser, link, button string) string {
	t.Helper()
	b.Visit(t, link)
	waitFor(t, b, "#w-consent")
	b.Axe(t)
	text := b.Text(t, "#w-consent")
	b.TabTo(t, button, 10)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-result")
	b.Axe(t)
	return text
}

var twoFacts = [][]string{{"age_equal_or_over", "65"}, {"address", "district"}}

// TestWalletReceivesAndPresents: the web wallet receives a card through
// the credential offer and presents two facts, which the Go verifier
// accepts, by keyboard alone and with axe-core on every screen.
func TestWalletReceivesAndPresents(t *testing.T) {
	b := browsertest.Start(t)
	wa := newWalletApp(t)
	base := wa.srv.URL
	ko, en := i18n.For("ko"), i18n.For("en")
	b.Visit(t, base+"/lang/ko?next=/wallet")
	waitFor(t, b, "#w-empty")
	b.Axe(t)

	res, offer := wa.offerTo(t)
	receive(t, b, offer)
	district, _ := city.DistrictByCode(res.District)
	mustContain(t, "the card", b.Text(t, "#w-cards"), res.Name, district.Name("ko"), "5장")

	id, link := wa.clinic.ask(twoFacts...)
	text := consent(t, b, link, "#w-share")
	mustContain(t, "the consent screen", text, "시험 병원", "진료비 감면", ko.T("identity.claim.age_equal_or_over.65"), ko.T("identity.yes"),
		ko.T("identity.claim.address.district"), district.Name("ko"))
	mustContain(t, "the confirmation", b.Text(t, "#w-result"), ko.T("wallet.js.accepted"))
	first := wa.clinic.result(id)
	if first.outcome != "valid" {
		t.Fatalf("the verifier said %s: %s", first.outcome, first.reason)
	}
	over, _ := first.claims["age_equal_or_over"].(map[string]any)
	addr, _ := first.claims["address"].(map[string]any)
	if over["65"] != true || addr["district"] != res.District || len(over) != 1 || len(addr) != 1 {
		t.Fatalf("disclosed %v", first.claims)
	}
	for _, hidden := range []string{"name", "birthdate", "household_id", "age_bracket", "disability", "children_under_19"} {
		if _, ok := first.claims[hidden]; ok {
			t.Errorf("%s was disclosed", hidden)
		}
	}

	// Unlinkability: another verifier gets another card of the batch; the
	// same verifier gets the card it saw before.
	id2, link := wa.office.ask([]string{"address", "district"})
	consent(t, b, link, "#w-share")
	id3, link := wa.clinic.ask(twoFacts...)
	consent(t, b, link, "#w-share")
	office, again := wa.office.result(id2), wa.clinic.result(id3)
	if office.outcome != "valid" || again.outcome != "valid" {
		t.Fatalf("later presentations: %s %s / %s %s", office.outcome, office.reason, again.outcome, again.reason)
	}
	if holderKey(first) == holderKey(office) || holderKey(first) != holderKey(again) {
		t.Errorf("holder keys: clinic %s, office %s, clinic again %s", holderKey(first), holderKey(office), holderKey(again))
	}

	// "Don't share" tells the verifier no.
	id4, link := wa.office.ask(twoFacts...)
	consent(t, b, link, "#w-decline")
	mustContain(t, "the confirmation", b.Text(t, "#w-result"), ko.T("wallet.js.declined"))
	if got := wa.office.result(id4); got.outcome != "declined" || got.claims != nil {
		t.Errorf("after don't share the verifier has %s %v", got.outcome, got.claims)
	}

	b.Visit(t, base+"/wallet/history")
	waitFor(t, b, "#w-history-wrap")
	b.Axe(t)
	history := b.Text(t, "#w-history")
	mustContain(t, "the history", history, "시험 병원", "시험 구청", ko.T("identity.claim.address.district"),
		ko.T("wallet.js.outcome_accepted"), ko.T("wallet.js.outcome_declined"))
	if rows := strings.Count(history, "시험 "); rows != 4 {
		t.Errorf("history of 4 requests: %s", history)
	}
	if strings.Index(history, "시험 구청") > strings.Index(history, "시험 병원") {
		t.Errorf("history is not newest first: %s", history)
	}

	// Show my card to staff: a QR code and a code to read out, until the
	// staff's verifier page asks.
	b.Visit(t, base+"/wallet")
	waitFor(t, b, "#w-cards")
	b.TabTo(t, "#w-show-start", 40)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-show-box svg")
	waitHidden(t, b, "#w-show-start")
	b.Axe(t)
	mustContain(t, "the code", b.Text(t, "#w-show-code"), "ABCD", "EFGH")
	id5, link := wa.clinic.ask(twoFacts...)
	wa.engage.request(link)
	waitFor(t, b, "#w-consent")
	b.Axe(t)
	b.TabTo(t, "#w-share", 10)
	b.Press(t, "Enter")
	waitFor(t, b, "#w-result")
	if got := wa.clinic.result(id5); got.outcome != "valid" {
		t.Errorf("presented through the engagement: %s %s", got.outcome, got.reason)
	}

	// In English, and on a phone's width.
	b.Visit(t, base+"/lang/en?next=/wallet")
	b.SetViewport(t, 390, 844)
	waitFor(t, b, "#w-cards")
	b.Axe(t)
	mustContain(t, "the English card", b.Text(t, "#w-cards"), res.Name, district.Name("en"), en.T("wallet.card_valid_until"))
	_, link = wa.office.ask(twoFacts...)
	text = consent(t, b, link, "#w-share")
	mustContain(t, "the English consent screen", text, "Test District Office", en.T("identity.claim.age_equal_or_over.65"), "Yes",
		district.Name("en"))

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
	t.Logf("axe-core checked %d screens", len(b.Checked()))
}

// holderKey is the key a presentation was bound to, which differs between
// the cards of a batch.
func holderKey(r fakeRequest) string {
	cnf, _ := r.claims["cnf"].(map[string]any)
	jwk, _ := cnf["jwk"].(map[string]any)
	x, _ := jwk["x"].(string)
	return x
}
