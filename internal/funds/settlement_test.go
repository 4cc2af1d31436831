package funds

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// pay has r pay amount at merchant m (run by owner), and returns the payment.
func (f *fixture) pay(t testing.TB, r identity.Resident, m Merchant, owner, amount int64) Payment {
	t.Helper()
	ctx := context.Background()
	req, err := f.s.RequestPayment(ctx, owner, m.ID, amount)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.s.Pay(ctx, r.ID, req.ID, NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) entriesOf(t testing.TB, kind string) []ledger.Entry {
	t.Helper()
	var out []ledger.Entry
	if err := f.ledger.Entries(context.Background(), 0, func(_ uint64, e ledger.Entry) error {
		if e.Kind == kind {
			out = append(out, e)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// A day's settlement per merchant and programme, once however often it
// runs, with its ledger entries and its bank file; the reconciliation
// agrees, and names exactly the figure that was tampered with afterwards.
func TestSettlementAndReconciliation(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		multi := f.programme(t, DemoProgrammes(today)[0])
		academy, academyOwner := f.shop(t, "education", 1)
		books, booksOwner := f.shop(t, "books", 2)
		parent := f.resident(t, "H-1", parentBirth, 2, false)
		f.credited(t, parent, multi, 300_000)
		lesson := f.pay(t, parent, academy, academyOwner, 100_000)
		f.pay(t, parent, books, booksOwner, 50_000)
		if _, err := f.s.Refund(ctx, academyOwner, academy.ID, lesson.ID, 20_000, NewKey()); err != nil {
			t.Fatal(err)
		}
		day := Day(f.now)
		if _, _, err := f.s.SettleDay(ctx, day); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("settled a day that has not ended: %v", err)
		}
		// Payments of the next day belong to the next day's settlement.
		f.now = f.now.Add(24 * time.Hour)
		f.pay(t, parent, books, booksOwner, 5_000)

		n, lines, err := f.s.SettleDay(ctx, day)
		if err != nil || n != 2 || len(lines) != 2 {
			t.Fatalf("settled %d merchants, %d lines: %v", n, len(lines), err)
		}
		if n, again, err := f.s.SettleDay(ctx, day); err != nil || n != 0 || fmt.Sprint(again) != fmt.Sprint(lines) {
			t.Fatalf("settled again: %d, %v %v", n, again, err)
		}
		settled := f.entriesOf(t, ledger.MerchantSettled)
		if len(settled) != 2 {
			t.Fatalf("%d settlement entries", len(settled))
		}
		for _, e := range settled {
			want := map[string]int64{f.s.merchantName(academy.ID): 80_000, f.s.merchantName(books.ID): 50_000}[e.Merchant]
			if e.Amount != want || e.Programme != multi.Slug || e.Ref != "settlement:"+day || e.Count != 1 {
				t.Fatalf("settlement entry %+v", e)
			}
		}

		file := SettlementCSV(lines)
		want := "settlement_date,business_number,merchant_name,programme,payments,paid_krw,refunded_krw,carried_krw,net_krw\n" +
			fmt.Sprintf("%s,%s,가게 1,multi-child-education,1,100000,20000,0,80000\n", day, academy.Formatted()) +
			fmt.Sprintf("%s,%s,가게 2,multi-child-education,1,50000,0,0,50000\n", day, books.Formatted())
		if string(file) != want {
			t.Fatalf("settlement file:\n%s\nwant:\n%s", file, want)
		}
		rec, err := f.s.Reconcile(ctx, day, file)
		if err != nil || !rec.Agree() || rec.Pairs != 2 || !rec.Settled {
			t.Fatalf("reconcile: %+v %v", rec, err)
		}

		// A payment changed behind the platform's back.
		if _, err := d.Exec(ctx, `UPDATE payments SET amount = amount + 1000 WHERE id = $1`, lesson.ID); err != nil {
			t.Fatal(err)
		}
		rec, _ = f.s.Reconcile(ctx, day, file)
		wantDiff := fmt.Sprintf("merchant 가게 1 (%s), programme multi-child-education, paid: database 101,000 KRW, ledger 100,000 KRW, settlement 100,000 KRW, file 100,000 KRW",
			academy.Formatted())
		if len(rec.Differences) != 1 || rec.Differences[0] != wantDiff {
			t.Fatalf("after changing a payment: %q", rec.Differences)
		}
		d.Exec(ctx, `UPDATE payments SET amount = amount - 1000 WHERE id = $1`, lesson.ID)

		// The bank file changed on its way.
		tampered := bytes.Replace(file, []byte(",0,0,50000"), []byte(",0,0,55000"), 1)
		rec, _ = f.s.Reconcile(ctx, day, tampered)
		wantDiff = fmt.Sprintf("merchant 가게 2 (%s), programme multi-child-education, net: settlement 50,000 KRW, ledger 50,000 KRW, file 55,000 KRW", books.Formatted())
		if len(rec.Differences) != 1 || rec.Differences[0] != wantDiff {
			t.Fatalf("after changing the file: %q", rec.Differences)
		}
		// A row missing from the file: its payments, takings and net differ.
		short := file[:bytes.LastIndex(file[:len(file)-1], []byte("\n"))+1]
		if rec, _ = f.s.Reconcile(ctx, day, short); len(rec.Differences) != 3 || !strings.Contains(rec.Differences[0], "가게 2") || !strings.Contains(rec.Differences[2], "file 0 KRW") {
			t.Fatalf("a row missing from the file: %q", rec.Differences)
		}
	})
}

// Refunds above a day's takings are not a negative transfer: they are
// carried to the merchant's next settled day.
func TestSettlementCarriesRefundsAboveTakings(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	ctx := context.Background()
	multi := f.programme(t, DemoProgrammes(today)[0])
	academy, owner := f.shop(t, "education", 1)
	parent := f.resident(t, "H-1", parentBirth, 2, false)
	f.credited(t, parent, multi, 300_000)
	lesson := f.pay(t, parent, academy, owner, 100_000)
	first := Day(f.now)
	f.now = f.now.Add(24 * time.Hour)
	if _, err := f.s.Refund(ctx, owner, academy.ID, lesson.ID, 30_000, NewKey()); err != nil {
		t.Fatal(err)
	}
	second := Day(f.now)
	f.now = f.now.Add(24 * time.Hour)
	f.pay(t, parent, academy, owner, 50_000)
	third := Day(f.now)
	f.now = f.now.Add(24 * time.Hour)
	var nets []int64
	for _, day := range []string{first, second, third} {
		_, lines, err := f.s.SettleDay(ctx, day)
		if err != nil || len(lines) != 1 {
			t.Fatalf("%s: %v %v", day, lines, err)
		}
		nets = append(nets, lines[0].Net)
		if rec, err := f.s.Reconcile(ctx, day, SettlementCSV(lines)); err != nil || !rec.Agree() {
			t.Fatalf("%s: %q %v", day, rec.Differences, err)
		}
	}
	if fmt.Sprint(nets) != "[100000 0 20000]" {
		t.Fatalf("nets %v", nets)
	}
}

// A merchant's or programme's name a spreadsheet would run as a formula is
// written as text in the bank's file, and the file still reads back.
func TestSettlementCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	lines := []SettlementLine{{Day: "2026-12-07", BusinessNumber: "1234567891", Merchant: `=HYPERLINK("http://evil.example","청년가게")`,
		Programme: "@youth", Payments: 2, Paid: 20000, Refunded: 0, Carried: -500, Net: 19500}}
	data := SettlementCSV(lines)
	if strings.Contains(string(data), ",=HYPERLINK") || strings.Contains(string(data), ",@youth") {
		t.Fatalf("a formula reached the file:\n%s", data)
	}
	if !strings.Contains(string(data), `'=HYPERLINK`) || !strings.Contains(string(data), ",-500,") {
		t.Fatalf("file:\n%s", data)
	}
	got, err := parseSettlementCSV(data)
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := got[[2]string{"1234567891", "@youth"}]; !ok || l.net != 19500 || l.carried != -500 {
		t.Fatalf("read back %v", got)
	}
}
