package funds

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

// grievanceCase is a parent with an approved application who paid an
// academy, and another academy and another citizen who have nothing to do
// with either.
type grievanceCase struct {
	f                    *fixture
	parent, stranger     Side
	academy, otherShop   Side
	staff                Side
	application, payment int64
}

func newGrievanceCase(t *testing.T, d *db.DB) grievanceCase {
	t.Helper()
	f := newFixture(t, d)
	ctx := context.Background()
	multi := f.programme(t, DemoProgrammes(today)[0])
	academy, owner := f.shop(t, "education", 1)
	other, otherOwner := f.shop(t, "education", 2)
	parent := f.resident(t, "H-1", parentBirth, 2, true)
	stranger := f.resident(t, "H-2", parentBirth, 2, true)
	a, req, err := f.s.Apply(ctx, parent.ID, multi.Slug, testBase)
	if err != nil {
		t.Fatal(err)
	}
	f.answer(t, f.card(t, parent.ID), req.WalletLink)
	if a, err = f.s.Settle(ctx, a.ID, testBase); err != nil || a.Status != Approved {
		t.Fatalf("%+v %v", a, err)
	}
	pr, _ := f.s.RequestPayment(ctx, owner, academy.ID, 50_000)
	p, err := f.s.Pay(ctx, parent.ID, pr.ID, NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return grievanceCase{f: f, parent: AsCitizen(0, parent.ID), stranger: AsCitizen(0, stranger.ID),
		academy: AsMerchant(owner, academy.ID), otherShop: AsMerchant(otherOwner, other.ID), staff: AsStaff(1),
		application: a.ID, payment: p.ID}
}

func wantCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
}

// Who may see what: a grievance about a payment is the citizen's, the
// merchant's and staff's; one about a decision the citizen's and staff's;
// anyone else is told it does not exist. Nobody files about what is not
// theirs.
func TestGrievanceVisibility(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		c := newGrievanceCase(t, d)
		ctx := context.Background()
		s := c.f.s
		aboutPay, err := s.FileGrievance(ctx, c.parent, 0, c.payment, "  수업료가 두 번 나갔어요  ")
		if err != nil || aboutPay.MerchantID == 0 || aboutPay.Amount != 50_000 || aboutPay.Merchant == "" {
			t.Fatalf("%+v %v", aboutPay, err)
		}
		if len(aboutPay.Messages) != 1 || aboutPay.Messages[0].Body != "수업료가 두 번 나갔어요" || aboutPay.Messages[0].Side != SideCitizen {
			t.Fatalf("first message %+v", aboutPay.Messages)
		}
		aboutDecision, err := s.FileGrievance(ctx, c.parent, c.application, 0, "금액이 맞나요?")
		if err != nil || aboutDecision.ProgrammeKo == "" {
			t.Fatalf("%+v %v", aboutDecision, err)
		}
		byShop, err := s.FileGrievance(ctx, c.academy, 0, c.payment, "환불 요청을 받았습니다")
		if err != nil || byShop.FiledBy != SideMerchant {
			t.Fatalf("%+v %v", byShop, err)
		}
		for _, tc := range []struct {
			who  string
			as   Side
			id   int64
			sees bool
		}{
			{"the citizen, about the payment", c.parent, aboutPay.ID, true},
			{"the shop, about the payment", c.academy, aboutPay.ID, true},
			{"staff, about the payment", c.staff, aboutPay.ID, true},
			{"another citizen, about the payment", c.stranger, aboutPay.ID, false},
			{"another shop, about the payment", c.otherShop, aboutPay.ID, false},
			{"the citizen, about the decision", c.parent, aboutDecision.ID, true},
			{"staff, about the decision", c.staff, aboutDecision.ID, true},
			{"the shop, about the decision", c.academy, aboutDecision.ID, false},
			{"another citizen, about the decision", c.stranger, aboutDecision.ID, false},
			{"the citizen, about the shop's grievance", c.parent, byShop.ID, true},
			{"someone posing as the shop", AsMerchant(c.otherShop.UserID, c.academy.Merchant), aboutPay.ID, false},
		} {
			_, err := s.Grievance(ctx, tc.as, tc.id)
			if tc.sees && err != nil || !tc.sees && errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s: %v", tc.who, err)
			}
			if _, err := s.AnswerGrievance(ctx, tc.as, tc.id, "한마디"); !tc.sees && errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s wrote to it: %v", tc.who, err)
			}
		}
		mine, _ := s.Grievances(ctx, c.parent)
		theirs, _ := s.Grievances(ctx, c.academy)
		others, _ := s.Grievances(ctx, c.otherShop)
		if len(mine) != 3 || len(theirs) != 2 || len(others) != 0 {
			t.Fatalf("citizen sees %d, shop %d, other shop %d", len(mine), len(theirs), len(others))
		}
		wantCode(t, "someone else's payment", func() error { _, err := s.FileGrievance(ctx, c.stranger, 0, c.payment, "x"); return err }(), errs.NotFound)
		wantCode(t, "another shop's payment", func() error { _, err := s.FileGrievance(ctx, c.otherShop, 0, c.payment, "x"); return err }(), errs.NotFound)
		wantCode(t, "someone else's decision", func() error { _, err := s.FileGrievance(ctx, c.stranger, c.application, 0, "x"); return err }(), errs.NotFound)
		wantCode(t, "a shop about a decision", func() error { _, err := s.FileGrievance(ctx, c.academy, c.application, 0, "x"); return err }(), errs.NotFound)
		wantCode(t, "staff filing", func() error { _, err := s.FileGrievance(ctx, c.staff, c.application, 0, "x"); return err }(), errs.Forbidden)
	})
}

// Each side sees the whole history in order; staff close it, after which
// nobody writes to it, and it leaves the open list, which is oldest first.
func TestGrievanceHistoryAndClosing(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		c := newGrievanceCase(t, d)
		ctx := context.Background()
		s := c.f.s
		first, _ := s.FileGrievance(ctx, c.parent, c.application, 0, "먼저 낸 이의")
		c.f.now = c.f.now.Add(time.Minute)
		g, err := s.FileGrievance(ctx, c.parent, 0, c.payment, "결제 금액이 달라요")
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			as   Side
			body string
		}{{c.staff, "확인하겠습니다"}, {c.academy, "영수증을 보내드렸습니다"}, {c.staff, "부분 환불로 처리했습니다"}}
		for _, st := range steps {
			c.f.now = c.f.now.Add(time.Minute)
			if _, err := s.AnswerGrievance(ctx, st.as, g.ID, st.body); err != nil {
				t.Fatal(err)
			}
		}
		open, _ := s.OpenGrievances(ctx)
		if len(open) != 2 || open[0].ID != first.ID || open[1].ID != g.ID {
			t.Fatalf("open list %+v", open)
		}
		for _, as := range []Side{c.parent, c.academy, c.staff} {
			got, err := s.Grievance(ctx, as, g.ID)
			if err != nil || len(got.Messages) != 4 {
				t.Fatalf("%s: %+v %v", as.Kind, got.Messages, err)
			}
			sides := []string{SideCitizen, SideStaff, SideMerchant, SideStaff}
			for i, m := range got.Messages {
				if m.Side != sides[i] || i > 0 && !m.At.After(got.Messages[i-1].At) {
					t.Fatalf("%s sees %+v", as.Kind, got.Messages)
				}
			}
			if got.Messages[0].Who(SideCitizen) != "grievance.who.you" || got.Messages[2].Who(SideCitizen) != "grievance.who.merchant" ||
				got.Messages[1].Who(SideStaff) != "grievance.who.staff" {
				t.Fatal("who wrote what is named wrongly")
			}
		}
		wantCode(t, "a citizen closing", s.CloseGrievance(ctx, c.parent, g.ID), errs.Forbidden)
		if err := s.CloseGrievance(ctx, c.staff, g.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "closing twice", s.CloseGrievance(ctx, c.staff, g.ID), errs.Conflict)
		wantCode(t, "closing nothing", s.CloseGrievance(ctx, c.staff, 999999), errs.NotFound)
		wantCode(t, "writing after the close", func() error { _, err := s.AnswerGrievance(ctx, c.parent, g.ID, "아직이요"); return err }(), errs.Conflict)
		if got, _ := s.Grievance(ctx, c.parent, g.ID); got.Status != GrievanceClosed || got.ClosedAt.IsZero() || len(got.Messages) != 4 {
			t.Fatalf("closed %+v", got)
		}
		if open, _ := s.OpenGrievances(ctx); len(open) != 1 || open[0].ID != first.ID {
			t.Fatalf("open after closing %+v", open)
		}
		var audited int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN ('grievance.read', 'grievance.closed')`).Scan(&audited)
		if audited < 2 {
			t.Fatalf("staff reads and the close audited %d times", audited)
		}
	})
}

// Bad input is refused with the field to correct, and stores nothing.
func TestGrievanceRefusesBadInput(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		c := newGrievanceCase(t, d)
		ctx := context.Background()
		s := c.f.s
		for _, tc := range []struct {
			app, pay int64
			body     string
			field    string
		}{
			{c.application, 0, "   ", "text"},
			{c.application, 0, strings.Repeat("가", MaxText+1), "text"},
			{0, 0, "무엇에 대한 것인지 빠졌습니다", "about"},
			{c.application, c.payment, "둘 다", "about"},
		} {
			_, err := s.FileGrievance(ctx, c.parent, tc.app, tc.pay, tc.body)
			if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || e.Field != tc.field {
				t.Errorf("%q: %v, want a field error on %s", tc.body[:min(len(tc.body), 12)], err, tc.field)
			}
		}
		g, err := s.FileGrievance(ctx, c.parent, c.application, 0, "이의 있습니다")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AnswerGrievance(ctx, c.staff, g.ID, ""); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("an empty answer: %v", err)
		}
		var grievances, messages int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM grievances`).Scan(&grievances)
		d.QueryRow(ctx, `SELECT COUNT(*) FROM grievance_messages`).Scan(&messages)
		if grievances != 1 || messages != 1 {
			t.Fatalf("%d grievances and %d messages stored", grievances, messages)
		}
	})
}
