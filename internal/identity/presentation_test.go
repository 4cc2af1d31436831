package identity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/holder"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/sdjwt"
	"github.com/maeul/maeul/internal/web"
)

// vpFixture is the platform on a test server with the demo hospital and a
// second party, and a Go wallet holding a batch of the resident's cards.
type vpFixture struct {
	*cardFixture
	rt     *web.Router
	srv    *httptest.Server
	pres   *Presentations
	client *holder.Client
	wallet *holder.Wallet
}

var townOffice = RelyingParty{Slug: "town-office", NameKo: "동 행정복지센터", NameEn: "Community centre",
	PurposeKo: "주소 확인", PurposeEn: "To check your address", Claims: [][]string{{"address", "district"}, {"name"}},
	Asks: [][]string{{"address", "district"}}, Active: true}

func newVPFixture(t *testing.T, d *db.DB) *vpFixture {
	t.Helper()
	f := &vpFixture{cardFixture: newCardFixture(t, d)}
	rt := web.NewRouter(web.NewMetrics())
	f.rt = rt
	f.srv = httptest.NewServer(rt)
	t.Cleanup(f.srv.Close)
	f.pres = NewPresentations(d, f.keys, f.cards)
	f.pres.Now = func() time.Time { return f.now }
	Register(rt, f.keys, f.cards, Issuer{URL: f.srv.URL}, Options{})
	RegisterVerifier(rt, f.keys, f.pres, Issuer{URL: f.srv.URL}, Options{Places: func(string) map[string]string { return map[string]string{"21090": "해운대구"} }})
	ctx := context.Background()
	for _, p := range []RelyingParty{DemoHospital, townOffice} {
		if _, err := f.pres.Parties.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	f.client = &holder.Client{AllowHTTP: true, Now: func() time.Time { return f.now }}
	f.wallet = &holder.Wallet{}
	offer, err := f.cards.CreateOffer(staffCtx(t, d), f.resident.ID, f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	o, err := holder.ParseOffer(offer.Link)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.client.Receive(ctx, f.wallet, o, offer.PIN); err != nil || n != BatchSize {
		t.Fatalf("received %d cards: %v", n, err)
	}
	return f
}

func (f *vpFixture) ask(t *testing.T, slug string, claims ...[]string) (PresentationRequest, *holder.Request) {
	t.Helper()
	req, err := f.pres.Create(context.Background(), slug, claims, f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.client.FetchRequest(context.Background(), req.WalletLink)
	if err != nil {
		t.Fatal(err)
	}
	return req, r
}

func (f *vpFixture) result(t *testing.T, id string) PresentationResult {
	t.Helper()
	res, err := f.pres.Result(context.Background(), id, f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPresentTwoFactsToTheHospital(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newVPFixture(t, d)
		ctx := context.Background()
		req, r := f.ask(t, DemoHospital.Slug, DemoHospital.Asks...)
		if r.Name("en") != DemoHospital.NameEn || r.Purpose("ko") != DemoHospital.PurposeKo || r.ClientID != ClientID(f.srv.URL, DemoHospital.Slug) {
			t.Fatalf("request as the wallet read it: %+v", r)
		}
		choices, err := f.wallet.Choose(r)
		if err != nil || len(choices) != 1 || len(choices[0].Paths) != 2 {
			t.Fatalf("choices %+v: %v", choices, err)
		}
		if err := f.client.Share(ctx, f.wallet, r, choices); err != nil {
			t.Fatal(err)
		}
		res := f.result(t, req.ID)
		if res.Outcome != OutcomeValid {
			t.Fatalf("outcome %q (%s)", res.Outcome, res.Reason)
		}
		// Exactly the two facts, and the card's expiry: nothing else.
		addr, _ := res.Claims["address"].(map[string]any)
		over, _ := res.Claims["age_equal_or_over"].(map[string]any)
		if len(res.Claims) != 3 || res.Claims["exp"] == nil || len(addr) != 1 || addr["district"] != "21090" || len(over) != 1 || over["65"] != true {
			t.Fatalf("disclosed %v", res.Claims)
		}
		if h := f.wallet.History; len(h) != 1 || !h[0].Shared || h[0].Result != "accepted" || len(h[0].Claims) != 2 {
			t.Fatalf("history %+v", h)
		}

		// The same answer again is a replay: refused, the outcome unchanged.
		err = f.client.Share(ctx, f.wallet, r, choices)
		var pe *holder.ProtocolError
		if !asProtocol(err, &pe) || pe.Status != http.StatusConflict {
			t.Fatalf("replay: %v", err)
		}
		if res := f.result(t, req.ID); res.Outcome != OutcomeValid {
			t.Fatalf("a replay changed the outcome to %q", res.Outcome)
		}

		// Another verifier gets another card of the batch; the hospital gets
		// the one it saw before.
		_, r2 := f.ask(t, townOffice.Slug, townOffice.Asks...)
		c2, _ := f.wallet.Choose(r2)
		_, r3 := f.ask(t, DemoHospital.Slug, DemoHospital.Asks...)
		c3, _ := f.wallet.Choose(r3)
		if c2[0].Card == choices[0].Card || c3[0].Card != choices[0].Card {
			t.Fatalf("cards chosen: hospital %d, office %d, hospital again %d", choices[0].Card, c2[0].Card, c3[0].Card)
		}
	})
}

func asProtocol(err error, pe **holder.ProtocolError) bool {
	e, ok := err.(*holder.ProtocolError)
	*pe = e
	return ok
}

// answer posts a hand-made vp_token and returns the recorded reason.
func (f *vpFixture) answer(t *testing.T, req PresentationRequest, form url.Values) (int, PresentationResult) {
	t.Helper()
	resp, err := http.PostForm(f.srv.URL+"/vp/response", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, f.result(t, req.ID)
}

func TestPresentationRefusals(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newVPFixture(t, d)
		ctx := context.Background()
		hospitalAsks := DemoHospital.Asks
		refused := func(name, want string, tamper func(r *holder.Request, ch []holder.Choice)) {
			t.Helper()
			req, r := f.ask(t, DemoHospital.Slug, hospitalAsks...)
			ch, err := f.wallet.Choose(r)
			if err != nil {
				t.Fatal(err)
			}
			tamper(r, ch)
			err = f.client.Share(ctx, f.wallet, r, ch)
			res := f.result(t, req.ID)
			if err == nil || res.Outcome != OutcomeInvalid || res.Reason != want {
				t.Errorf("%s: err %v, outcome %q, reason %q; want %s", name, err, res.Outcome, res.Reason, want)
			}
		}
		refused("wrong audience", "identity.reason_audience", func(r *holder.Request, _ []holder.Choice) {
			r.ClientID = ClientID(f.srv.URL, townOffice.Slug)
		})
		refused("another request's nonce", "identity.reason_nonce", func(r *holder.Request, _ []holder.Choice) {
			_, other := f.ask(t, DemoHospital.Slug, hospitalAsks...)
			r.Nonce = other.Nonce
		})
		refused("a claim that was not asked", "identity.reason_not_allowed", func(_ *holder.Request, ch []holder.Choice) {
			ch[0].Paths = append(ch[0].Paths, []any{"name"})
		})
		refused("a claim missing", "identity.reason_missing", func(_ *holder.Request, ch []holder.Choice) {
			ch[0].Paths = ch[0].Paths[:1]
		})

		// The citizen says no.
		req, r := f.ask(t, DemoHospital.Slug, hospitalAsks...)
		if err := f.client.Decline(ctx, f.wallet, r); err != nil {
			t.Fatal(err)
		}
		if res := f.result(t, req.ID); res.Outcome != OutcomeDeclined || res.Claims != nil {
			t.Fatalf("declined: %+v", res)
		}

		// Garbage, an unknown state, an expired request.
		req, r = f.ask(t, DemoHospital.Slug, hospitalAsks...)
		if st, res := f.answer(t, req, url.Values{"state": {r.State}, "vp_token": {`{"card":["not-an-sd-jwt"]}`}}); st != 400 || res.Reason != "identity.reason_malformed" {
			t.Errorf("malformed: %d %q", st, res.Reason)
		}
		if st, _ := f.answer(t, req, url.Values{"state": {"no-such-request"}, "vp_token": {"{}"}}); st != 404 {
			t.Errorf("unknown state: %d", st)
		}
		req, r = f.ask(t, DemoHospital.Slug, hospitalAsks...)
		f.now = f.now.Add(RequestLifetime + time.Second)
		ch, _ := f.wallet.Choose(r)
		if err := f.client.Share(ctx, f.wallet, r, ch); err == nil || f.result(t, req.ID).Outcome != OutcomePending {
			t.Errorf("expired request answered: %v", err)
		}
		f.now = f.now.Add(-RequestLifetime - time.Second)

		// Suspended, then revoked cards.
		for _, st := range []string{StatusSuspended, StatusRevoked} {
			if _, err := f.cards.SetStatus(ctx, f.resident.ID, st); err != nil {
				t.Fatal(err)
			}
			refused(st, map[string]string{StatusSuspended: "identity.reason_suspended", StatusRevoked: "identity.reason_revoked"}[st],
				func(*holder.Request, []holder.Choice) {})
		}

		// A party cannot ask for what it is not registered for.
		if _, err := f.pres.Create(ctx, townOffice.Slug, [][]string{{"birthdate"}}, f.srv.URL); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("unregistered claim asked: %v", err)
		}
		if _, err := f.pres.Create(ctx, townOffice.Slug, nil, f.srv.URL); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("empty request: %v", err)
		}
	})
}

// TestConcurrentAnswersCountOnce sends one valid answer twenty times at once:
// exactly one is accepted.
func TestConcurrentAnswersCountOnce(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newVPFixture(t, d)
		req, r := f.ask(t, DemoHospital.Slug, DemoHospital.Asks...)
		ch, _ := f.wallet.Choose(r)
		var ok atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			w := &holder.Wallet{Cards: append([]holder.Card{}, f.wallet.Cards...)}
			wg.Go(func() {
				if f.client.Share(context.Background(), w, r, ch) == nil {
					ok.Add(1)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || f.result(t, req.ID).Outcome != OutcomeValid {
			t.Fatalf("%d answers accepted", ok.Load())
		}
	})
}

func TestEngagementRoutesARequestToTheWallet(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newVPFixture(t, d)
		ctx := context.Background()
		e, err := f.pres.Engage(ctx, f.srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		if link, err := f.pres.Poll(ctx, e.Secret, f.srv.URL); err != nil || link != "" {
			t.Fatalf("before staff asked: %q %v", link, err)
		}
		hospital, _ := f.pres.Parties.BySlug(ctx, DemoHospital.Slug)
		typed := strings.ToLower(e.Code[:4] + " " + e.Code[4:])
		req, err := f.pres.CreateFor(ctx, typed, hospital, DemoHospital.Asks, f.srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		link, err := f.pres.Poll(ctx, e.Secret, f.srv.URL)
		if err != nil || link != req.WalletLink {
			t.Fatalf("poll: %q %v", link, err)
		}
		// A code routes one request only, and an unknown code none.
		if _, err := f.pres.CreateFor(ctx, e.Code, hospital, DemoHospital.Asks, f.srv.URL); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("second request on one code: %v", err)
		}
		if _, err := f.pres.CreateFor(ctx, "ZZZZZZZZ", hospital, DemoHospital.Asks, f.srv.URL); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("unknown code: %v", err)
		}
		e2, _ := f.pres.Engage(ctx, f.srv.URL)
		f.now = f.now.Add(EngagementLifetime)
		if _, err := f.pres.Poll(ctx, e2.Secret, f.srv.URL); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("expired engagement: %v", err)
		}
		if _, err := f.pres.CreateFor(ctx, e2.Code, hospital, DemoHospital.Asks, f.srv.URL); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("expired code: %v", err)
		}
	})
}

func TestPartyValidation(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	parties := NewParties(d)
	for name, p := range map[string]RelyingParty{
		"slug":    {Slug: "Bad Slug", NameKo: "a", NameEn: "a", PurposeKo: "a", PurposeEn: "a", Claims: [][]string{{"name"}}},
		"name":    {Slug: "ok", NameKo: "", NameEn: "a", PurposeKo: "a", PurposeEn: "a", Claims: [][]string{{"name"}}},
		"purpose": {Slug: "ok", NameKo: "a", NameEn: "a", PurposeKo: "a", Claims: [][]string{{"name"}}},
		"claims":  {Slug: "ok", NameKo: "a", NameEn: "a", PurposeKo: "a", PurposeEn: "a", Claims: [][]string{{"password"}}},
		"asks":    {Slug: "ok", NameKo: "a", NameEn: "a", PurposeKo: "a", PurposeEn: "a", Claims: [][]string{{"name"}}, Asks: [][]string{{"birthdate"}}},
	} {
		if _, err := parties.Save(context.Background(), p); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	if ps, _ := parties.List(context.Background()); len(ps) != 0 {
		t.Fatalf("invalid parties saved: %v", ps)
	}
}

// Every fact a party can ask for is on the card and has a label.
func TestClaimPathsAreOnTheCard(t *testing.T) {
	t.Parallel()
	claims := CardClaims(Resident{BirthDate: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)}, time.Now())
	for _, p := range ClaimPaths {
		var v any = claims
		for _, k := range p {
			if d, ok := v.(sdjwt.Disclosable); ok {
				v = d.Value
			}
			m, _ := v.(map[string]any)
			v = m[k]
		}
		if v == nil {
			t.Errorf("%s is not a claim of the card", ClaimKey(p))
		}
		for _, lang := range i18n.Langs {
			if !i18n.Has(lang, "identity.claim."+ClaimKey(p)) {
				t.Errorf("%s has no label in %s", ClaimKey(p), lang)
			}
		}
	}
}
