package apptest

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/identity"
)

// OpenProgrammes saves the demo programmes, open from today.
func (ta *App) OpenProgrammes(t testing.TB) []funds.Programme {
	t.Helper()
	var out []funds.Programme
	for _, p := range funds.DemoProgrammes(time.Now()) {
		saved, _, err := ta.Programmes.Save(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, saved)
	}
	return out
}

// ResidentWith is the first demo resident with between least and most
// children under 19 whose household is none of skip.
func (ta *App) ResidentWith(t testing.TB, least, most int, skip ...string) identity.Resident {
	t.Helper()
	ctx := context.Background()
	rows, err := ta.DB.Read().QueryContext(ctx, `SELECT id, household_id FROM residents WHERE children_under_19 BETWEEN $1 AND $2 ORDER BY id`, least, most)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var household string
		if err := rows.Scan(&id, &household); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(skip, " "), household) {
			res, err := identity.NewRegistry(ta.DB).Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
	}
	t.Fatalf("no demo resident with %d to %d children", least, most)
	return identity.Resident{}
}

// ProofedCitizen signs a resident in by phone and confirms who they are
// on "my citizen card", as a citizen does.
func (ta *App) ProofedCitizen(t testing.TB, res identity.Resident) *Client {
	t.Helper()
	c := ta.Client(t)
	ta.SignInCitizen(t, c, auth.FormatPhone(res.Phone))
	if st, body := c.Post("/my/card/proof", url.Values{"name": {res.Name}, "birth_date": {res.BirthDate.Format(time.DateOnly)}}); st != 200 ||
		!strings.Contains(body, res.Name) {
		t.Fatalf("proof: %d %s", st, Trim(body))
	}
	return c
}

// MerchantFor registers and approves a merchant through the service, as
// its owner and the funds staff do.
func (ta *App) MerchantFor(t testing.TB, category, name string, n int) (funds.Merchant, int64) {
	t.Helper()
	ctx := context.Background()
	var owner, staff int64
	if err := ta.DB.Read().QueryRowContext(ctx, `SELECT id FROM users WHERE username = 'tutor1'`).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	if err := ta.DB.Read().QueryRowContext(ctx, `SELECT id FROM users WHERE username = 'funds'`).Scan(&staff); err != nil {
		t.Fatal(err)
	}
	var number string
	for check := 0; check < 10 && number == ""; check++ {
		if s, err := funds.ParseBusinessNumber(fmt.Sprintf("%09d%d", 200000000+n, check)); err == nil {
			number = s
		}
	}
	m, err := ta.Funds.RegisterMerchant(ctx, owner, funds.Merchant{BusinessNumber: number, Name: name, Category: category, District: "26350"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.Funds.DecideMerchant(ctx, m.ID, staff, true, ""); err != nil {
		t.Fatal(err)
	}
	return m, owner
}

// Balance is the sum of a resident's points over their accounts.
func (ta *App) Balance(t testing.TB, residentID int64) int64 {
	t.Helper()
	accounts, err := ta.Funds.Accounts(context.Background(), residentID)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, a := range accounts {
		sum += a.Balance
	}
	return sum
}

// RegisterShop signs a new account in as a shop's owner and registers an
// academy by the page; staff approve it by theirs.
func (ta *App) RegisterShop(t *testing.T, phone string) (*Client, funds.Merchant) {
	t.Helper()
	owner := ta.Client(t)
	ta.SignInCitizen(t, owner, phone)
	if st, body := owner.Get("/merchant"); st != 200 || !strings.Contains(body, `id="register-form"`) {
		t.Fatalf("no registration form: %d %s", st, Trim(body))
	}
	form := url.Values{"business_number": {"220-81-62518"}, "name": {"해운대 수학 교실"}, "category": {"education"}, "district": {city.Districts()[8].Code}}
	if st, body := owner.Post("/merchant", form); st != 422 || !strings.Contains(body, "사업자등록번호 10자리를 확인해 주세요") {
		t.Fatalf("a wrong check digit: %d %s", st, Trim(body))
	}
	form.Set("business_number", "220-81-62517")
	if st, body := owner.Post("/merchant", form); st != 200 || !strings.Contains(body, "승인을 기다리고 있습니다") {
		t.Fatalf("register: %d %s", st, Trim(body))
	}
	pending, err := ta.Funds.Merchants(context.Background(), funds.MerchantPending)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %v %v", pending, err)
	}
	m := pending[0]

	staff := ta.Client(t)
	ta.SignInStaff(t, staff, "funds")
	if st, body := staff.Get("/admin/merchants"); st != 200 || !strings.Contains(body, "해운대 수학 교실") || !strings.Contains(body, "220-81-62517") {
		t.Fatalf("staff's list: %d %s", st, Trim(body))
	}
	decide := fmt.Sprintf("/admin/merchants/%d/decision", m.ID)
	if st, _ := staff.Post(decide, url.Values{"decision": {"refuse"}, "note": {""}}); st != 422 {
		t.Fatalf("a refusal without a note: %d", st)
	}
	if st, _ := staff.Post(decide, url.Values{"decision": {"approve"}, "note": {""}}); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	if m, err = ta.Funds.Merchant(context.Background(), m.ID); err != nil || m.Status != funds.MerchantApproved {
		t.Fatalf("%+v %v", m, err)
	}
	return owner, m
}

// Applied is the sample citizen's application to p, answered from their
// wallet and decided.
func (ta *App) Applied(t *testing.T, p funds.Programme) (identity.Resident, funds.Application) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := ta.Programmes.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	client, wallet := ta.WalletOf(t)
	res, err := identity.NewRegistry(ta.DB).ByPhone(ctx, "+82"+strings.TrimPrefix(strings.ReplaceAll(ta.Phone, "-", ""), "0"))
	if err != nil {
		t.Fatal(err)
	}
	a, req, err := ta.Funds.Apply(ctx, res.ID, p.Slug, ta.Server.URL)
	if err != nil {
		t.Fatal(err)
	}
	r, err := client.FetchRequest(ctx, req.WalletLink)
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
	if a, err = ta.Funds.Settle(ctx, a.ID, ta.Server.URL); err != nil {
		t.Fatal(err)
	}
	return res, a
}

// Programme is a programme open today for everyone the rule admits.
func Programme(slug, rule string) funds.Programme {
	day := time.Now().UTC().Truncate(24 * time.Hour)
	return funds.Programme{Slug: slug, NameKo: "심사 시험 " + slug, NameEn: "Review test " + slug, WhoKo: "150세 이상", WhoEn: "Aged 150 or more",
		Budget: 10_000_000, Eligibility: rule, Benefit: "50000", Unit: funds.PerPerson, Mode: funds.OnApplication,
		Categories: []string{"education", "books"}, OpensAt: day.AddDate(0, 0, -1), ClosesAt: day.AddDate(0, 1, 0), PointsExpire: day.AddDate(1, 0, 0)}
}

// Appealed is the sample citizen's application to a programme (of slug)
// they do not qualify for, answered from their wallet and appealed with an
// explanation: it waits in the review queue.
func (ta *App) Appealed(t *testing.T, slug string) (identity.Resident, funds.Application) {
	t.Helper()
	res, a := ta.Applied(t, Programme(slug, "age >= 150"))
	if a.Status != funds.NotEligible {
		t.Fatalf("settled %+v", a)
	}
	a, err := ta.Funds.Appeal(context.Background(), res.ID, a.ID, "제 나이가 잘못 등록된 것 같습니다")
	if err != nil {
		t.Fatal(err)
	}
	return res, a
}
