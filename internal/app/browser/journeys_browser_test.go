package browser_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/practice"
)

// maxTabs is how many Tab presses from the top of a page may reach its
// main action.
const maxTabs = 15

// walk is one person's journey, walked by keyboard from 내 마을, in one
// language and at one screen size. Every page on the way must answer
// without an error (PressNavigate), pass axe-core, show its heading and
// main action on the first screen, and have its main action at most maxTabs
// Tab presses from the top.
type walk struct {
	t     *testing.T
	b     *browsertest.Browser
	ta    *apptest.App
	l     i18n.Localizer
	pages int
	tabs  int // the most Tab presses any page on the way needed
}

// screens are the two ways each journey is walked: in Korean on a phone and
// in English on a desktop, so both languages and both sizes are covered.
var screens = []struct {
	lang          string
	width, height int
}{{"ko", 390, 844}, {"en", 1280, 900}}

// journey runs fn once per screen, each on a fresh browser tab state.
func journey(t *testing.T, ta *apptest.App, b *browsertest.Browser, fn func(w *walk)) {
	for _, s := range screens {
		t.Run(s.lang+"-"+strconv.Itoa(s.width), func(t *testing.T) {
			// A person of their own: no cookies, no wallet from the last walk.
			b.ClearCookies(t)
			b.SetViewport(t, s.width, s.height)
			b.Navigate(t, ta.Server.URL+"/lang/"+s.lang+"?next=/")
			if _, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[bool](`(indexedDB.deleteDatabase('maeul-wallet'), sessionStorage.clear(), true)`)); err != nil {
				t.Fatal(err)
			}
			w := &walk{t: t, b: b, ta: ta, l: i18n.For(s.lang)}
			fn(w)
			t.Logf("%d pages on the way; the farthest main action was %d Tab presses from the top", w.pages, w.tabs)
		})
	}
}

// arrive checks the page the person is on and leaves focus on its main
// action.
func (w *walk) arrive() {
	w.t.Helper()
	w.pages++
	w.b.RequireFirstScreen(w.t)
	w.tabs = max(w.tabs, w.b.TabsToMainAction(w.t, maxTabs))
}

// press presses Enter on the focused control and arrives on the next page.
func (w *walk) press() {
	w.t.Helper()
	w.b.PressNavigate(w.t, "Enter")
	w.arrive()
}

// follow Tabs forward to selector, presses Enter and arrives.
func (w *walk) follow(selector string) {
	w.t.Helper()
	w.b.TabTo(w.t, selector, 60)
	w.press()
}

// menu opens the menu's group holding href and follows it: on a phone
// through the 메뉴 page, on a desktop through the group in the header.
func (w *walk) menu(href string) {
	w.t.Helper()
	if width, _ := chromedp.Run(w.b.Ctx(), chromedp.Evaluate[int](`window.innerWidth`)); width <= browsertest.PhoneWidth {
		w.topOfPage()
		w.b.TabTo(w.t, `a.menu-button`, 5)
		w.b.PressNavigate(w.t, "Enter")
		w.pages++
		w.b.TabTo(w.t, `main .menu-list a[href="`+href+`"]`, 60)
		w.press()
		return
	}
	w.topOfPage()
	w.b.MenuTo(w.t, href, 30)
	w.arrive()
}

// topOfPage puts keyboard focus back at the top, where a person who wants
// the menu starts Tabbing.
func (w *walk) topOfPage() {
	w.t.Helper()
	if _, err := chromedp.Run(w.b.Ctx(), chromedp.Evaluate[bool](`(document.querySelector('.site-name').focus(), true)`)); err != nil {
		w.t.Fatal(err)
	}
}

// signIn signs in from the welcome page by keyboard and lands on 내 마을.
func (w *walk) signIn(phone string) {
	w.t.Helper()
	w.b.Navigate(w.t, w.ta.Server.URL+"/")
	w.arrive() // the welcome page's main action is signing in
	w.press()  // the sign-in page: focus on the phone field
	w.b.Type(w.t, phone)
	w.press() // the code page: focus on the code field
	w.b.Type(w.t, w.ta.LastCode(w.t, "+82"+strings.TrimPrefix(strings.ReplaceAll(phone, "-", ""), "0")))
	w.b.PressNavigate(w.t, "Enter")
	if strings.Contains(w.b.Location(w.t), "/account") {
		// A newcomer gives their name first, then goes on to their home.
		w.arrive()
		w.b.Type(w.t, "새이웃")
		w.b.PressNavigate(w.t, "Enter")
	}
	if got := w.b.Text(w.t, "h1"); got != w.l.T("home.title") {
		w.t.Fatalf("signed in to %q at %s", got, w.b.Location(w.t))
	}
	w.arrive()
}

func (w *walk) says(what string, wants ...string) {
	w.t.Helper()
	apptest.MustContain(w.t, what, w.b.Text(w.t, "main"), wants...)
}

// TestBrowserJourneys walks the five journeys of a citizen's first weeks with
// Maeul, by keyboard, from 내 마을.
//
// Each journey runs in parallel with the others, in a tab of its own over a
// city of its own: no journey can meet another's citizen.
func TestBrowserJourneys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// city gives a journey its tab and its copy of the demo city.
	city := func(t *testing.T) (*browsertest.Browser, *apptest.App, string) {
		t.Parallel()
		b := browsertest.Start(t)
		ta := apptest.SQLite(t)
		ta.WithBooking(t)
		return b, ta, ta.Server.URL
	}

	t.Run("register for a class", func(t *testing.T) {
		b, ta, base := city(t)
		n := 0
		journey(t, ta, b, func(w *walk) {
			n++
			w.signIn("010-7100-00" + strconv.Itoa(10+n))
			// A newcomer has no class: the first block's button finds one.
			w.says("home", w.l.T("home.next_class_none"))
			w.press() // the catalogue, focus on its search box
			w.b.Type(w.t, "키오스크")
			w.press()
			w.follow(`.cards a[href^="/sessions/"]`)
			w.press() // register: the ticket
			if !strings.Contains(w.b.Location(w.t), "/my/registrations/") {
				w.t.Fatalf("registration ended on %s", w.b.Location(w.t))
			}
			// Back home, the class is the next one.
			w.b.Navigate(w.t, base+"/")
			w.arrive()
			w.says("home after registering", w.l.T("home.show_ticket"))
		})
	})

	t.Run("get the card and show it at the hospital", func(t *testing.T) {
		b, ta, base := city(t)
		var used []string
		journey(t, ta, b, func(w *walk) {
			res := ta.ResidentWith(t, 0, 9, used...)
			used = append(used, res.HouseholdID)
			w.signIn(auth.FormatPhone(res.Phone))
			w.says("home", w.l.T("home.card_state.none"))
			w.follow(`main a.button[href="/my/card"]`) // the card block's button: focus on the name
			w.b.Type(w.t, res.Name)
			w.b.TabTo(w.t, "#f-birth_date", 5)
			w.b.Type(w.t, res.BirthDate.Format(time.DateOnly))
			w.press() // checked: the button that makes the card is the main action
			w.press() // the QR code and PIN; the main action opens this phone's wallet
			pin := w.b.Text(w.t, ".ticket strong")
			w.press() // the wallet asks for the PIN
			waitFor(w.t, w.b, "#w-pin-form")
			w.arrive()
			w.b.Type(w.t, pin)
			w.b.Press(w.t, "Enter")
			waitFor(w.t, w.b, "#w-cards")
			w.b.Axe(w.t)
			// At the hospital: show the card; the receptionist types its code.
			w.b.Navigate(w.t, base+"/")
			w.arrive()
			w.says("home with a card", w.l.T("home.card_state.issued"))
			w.follow(`main a.button[href="/wallet"]`)
			waitFor(w.t, w.b, "#w-show-start")
			w.b.RequireFirstScreen(w.t)
			w.b.TabsToMainAction(w.t, maxTabs)
			w.b.Press(w.t, "Enter")
			waitFor(w.t, w.b, "#w-show-box svg")
			code := w.b.Text(w.t, "#w-show-code")
			party, err := ta.Presentations.Parties.BySlug(ctx, "demo-hospital")
			if err != nil {
				w.t.Fatal(err)
			}
			desk, err := ta.Presentations.CreateFor(ctx, code, party, twoFacts, base)
			if err != nil {
				w.t.Fatal(err)
			}
			waitFor(w.t, w.b, "#w-consent")
			w.b.Axe(w.t)
			w.b.RequireFirstScreen(w.t)
			choose(w.t, w.b, "#w-share")
			got, err := ta.Presentations.Result(ctx, desk.ID, base)
			if err != nil || got.Outcome != identity.OutcomeValid {
				w.t.Fatalf("the hospital's desk: %v %v", got.Outcome, err)
			}
		})
	})

	t.Run("apply for a benefit and pay at a shop", func(t *testing.T) {
		b, ta, base := city(t)
		ta.OpenProgrammes(t)
		var skip []string
		journey(t, ta, b, func(w *walk) {
			parent := ta.ResidentWith(t, 2, 20, skip...)
			skip = append(skip, parent.HouseholdID)
			// The card is already in this phone's wallet.
			staff := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: 1, Role: actor.Operator}, Channel: actor.InPerson})
			if _, err := identity.NewRegistry(ta.DB).RecordInPerson(staff, parent.ID, "resident_card"); err != nil {
				w.t.Fatal(err)
			}
			offer, err := ta.Cards.CreateOffer(staff, parent.ID, base)
			if err != nil {
				w.t.Fatal(err)
			}
			w.signIn(auth.FormatPhone(parent.Phone))
			// They confirmed who they are when they got the card.
			u, err := auth.NewUsers(ta.DB).ByPhone(ctx, parent.Phone)
			if err != nil {
				w.t.Fatal(err)
			}
			self := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: u.ID, Role: actor.Citizen, Phone: u.Phone}, Channel: actor.Online})
			if _, err := identity.NewRegistry(ta.DB).ProofBySignIn(self, parent.Name, parent.BirthDate); err != nil {
				w.t.Fatal(err)
			}
			w.b.Navigate(w.t, offer.WalletLink)
			waitFor(w.t, w.b, "#w-pin-form")
			w.b.TabTo(w.t, "#w-pin", 30)
			w.b.Type(w.t, offer.PIN)
			w.b.Press(w.t, "Enter")
			waitFor(w.t, w.b, "#w-cards")
			w.b.Navigate(w.t, base+"/")
			w.arrive()
			w.menu("/benefits")
			w.b.TabTo(w.t, `form[action="/benefits/multi-child-education/apply"] button`, maxTabs)
			w.press() // the application asks the wallet
			w.b.TabTo(w.t, "#open-wallet", 30)
			w.b.PressNavigate(w.t, "Enter")
			waitFor(w.t, w.b, "#w-consent")
			w.b.RequireFirstScreen(w.t)
			choose(w.t, w.b, "#w-share")
			waitFor(w.t, w.b, "#w-continue")
			w.b.TabTo(w.t, "#w-continue", 20)
			w.press()
			w.says("the decision", w.l.T("funds.citizen.approved"))
			// At the shop: its QR code is a link the wallet opens.
			academy, owner := ta.MerchantFor(t, "education", "journey academy "+w.l.Lang, len(skip))
			req, err := ta.Funds.RequestPayment(ctx, owner, academy.ID, 20_000)
			if err != nil {
				w.t.Fatal(err)
			}
			w.b.Navigate(w.t, base+"/pay/"+req.ID)
			w.says("the shop's payment", academy.Name, w.l.T("funds.citizen.won", "20,000"))
			w.arrive()
			w.press()
			w.says("the payment", w.l.T("funds.citizen.paid", "20,000", academy.Name))
		})
	})

	t.Run("find the nearest senior centre and book its room", func(t *testing.T) {
		b, ta, base := city(t)
		phones := ta.CitizenPhones(t, len(screens))
		journey(t, ta, b, func(w *walk) {
			w.signIn(phones[0])
			phones = phones[1:]
			w.menu("/places")
			w.b.Type(w.t, "해운대구 우1동")
			w.b.TabTo(w.t, "#f-category", 5)
			w.b.Press(w.t, "ArrowDown") // senior welfare centres
			w.b.TabTo(w.t, `form[action="/places"] button[type=submit]`, 5)
			w.press()
			w.follow(`.places-results li:first-child h3 a`)
			w.follow(`a.button[href^="/book/facilities/"]`)
			w.follow(`a[href^="/book/resources/"]`)
			w.follow(`a.button:not(.secondary)[href*="/slot?at="]`)
			w.press() // book: the ticket
			if loc := w.b.Location(w.t); !strings.Contains(loc, "/my/bookings/") {
				w.t.Fatalf("booking ended on %s", loc)
			}
			w.b.Navigate(w.t, base+"/")
			w.arrive()
			w.says("home after booking", w.l.T("home.all_bookings"))
		})
	})

	t.Run("practise a kiosk, switching to large text midway", func(t *testing.T) {
		b, ta, _ := city(t)
		all, err := practice.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		s := all[0]
		journey(t, ta, b, func(w *walk) {
			w.signIn(ta.Phone)
			w.menu("/practice")
			w.follow(`main a[href="/practice/` + s.ID + `"]`)
			w.press() // step by step
			steps := s.Tasks[0].Steps
			for i := range steps {
				if i == len(steps)/2 {
					// Large text midway: the same screen, still step by step.
					before := w.b.Text(w.t, "#screen-title")
					w.topOfPage()
					w.b.TabToToggle(w.t, "text", 10)
					w.b.Press(w.t, "Enter")
					waitFor(w.t, w.b, `html.large-text`)
					if after := w.b.Text(w.t, "#screen-title"); after != before {
						w.t.Fatalf("large text moved the emulator from %q to %q", before, after)
					}
				}
				w.b.TabTo(w.t, `.machine-buttons button.next`, 40)
				w.b.PressNavigate(w.t, "Enter")
				w.pages++
			}
			if got := w.b.Text(w.t, "h1"); got != w.l.T("practice.done_title") {
				w.t.Fatalf("finished on %q", got)
			}
			w.topOfPage()
			w.b.TabToToggle(w.t, "text", 10)
			w.b.Press(w.t, "Enter")
			waitFor(w.t, w.b, `button[name=toggle][value=text][aria-pressed=false]`)
		})
	})
}
