package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// Two entries of one person, appended alike, share nothing but what they
// record (kind, programme, merchant) and the hour; each receipt carries the
// opening that shows the entry is its owner's, and opens no other entry.
func TestSealedEntriesOfOnePersonShareNothing(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := newTestLog(t, d)
		owner := l.Owner("resident", "42")
		if owner != l.Owner("resident", "42") || owner == l.Owner("resident", "43") || !isOwner(owner) {
			t.Fatalf("owners: %q", owner)
		}
		if strings.Contains(owner, l.Pseudonym("resident", "42")[2:]) {
			t.Fatal("the owner is the person's version 1 pseudonym")
		}
		pay := Entry{Kind: PointsSpent, At: t0 + 17*60 + 3, Owner: owner, Programme: "culture-pass", Merchant: "m-books", Amount: 12_000}
		seqs, err := l.Append(ctx, pay, pay, Entry{Kind: BudgetSet, At: t0 + 5, Programme: "culture-pass", Amount: 9})
		if err != nil {
			t.Fatal(err)
		}
		var rs []Receipt
		var es []Entry
		for _, seq := range seqs {
			r, err := l.ReceiptOf(ctx, seq)
			if err != nil {
				t.Fatal(err)
			}
			e, err := VerifyReceipt(r, testOrigin, l.VerifierKey())
			if err != nil {
				t.Fatal(err)
			}
			rs, es = append(rs, r), append(es, e)
		}
		a, b := es[0], es[1]
		if a.Format() != V2 || a.At != t0 || b.At != t0 || a.Subject == b.Subject || a.Ref == b.Ref || !sealedAs(a, pay) || !sealedAs(b, pay) {
			t.Fatalf("two payments as written:\n%+v\n%+v", a, b)
		}
		if strings.Contains(string(rs[0].Entry), owner) || strings.Contains(string(rs[0].Entry), "42") {
			t.Fatalf("the entry names its owner: %s", rs[0].Entry)
		}
		for i, r := range rs[:2] {
			if r.Opening == nil || r.Opening.Owner != owner || !r.Opening.Opens(es[i].Subject) || r.Opening.Opens(es[1-i].Subject) {
				t.Fatalf("receipt %d: opening %+v", i, r.Opening)
			}
		}
		if rs[2].Opening != nil || es[2].Subject != "" || es[2].At != t0 || es[2].Format() != V2 {
			t.Fatalf("the budget's receipt %+v proves %+v", rs[2].Opening, es[2])
		}
		// Nothing the log serves holds an opening.
		size, err := l.Size(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bundle, err := l.ReadTile(ctx, -1, 0, int(size))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs[:2] {
			if bytes.Contains(bundle, r.Opening.Salt) || bytes.Contains(bundle, []byte(r.Opening.Owner)) ||
				strings.Contains(string(bundle), base64.StdEncoding.EncodeToString(r.Opening.Salt)) {
				t.Fatal("the entry bundle holds an opening")
			}
		}
		// A receipt by index, as anyone may ask for one, carries no opening.
		if r, err := l.Receipt(ctx, rs[0].Index); err != nil || r.Opening != nil {
			t.Fatalf("a receipt by index: %+v %v", r.Opening, err)
		}
		// An opening moved to another entry, or changed, shows nothing.
		swapped := rs[1]
		swapped.Opening = rs[0].Opening
		if _, err := VerifyReceipt(swapped, testOrigin, l.VerifierKey()); err == nil {
			t.Fatal("one entry's opening opened another")
		}
		other := *rs[0].Opening
		other.Owner = l.Owner("resident", "43")
		forged := rs[0]
		forged.Opening = &other
		if _, err := VerifyReceipt(forged, testOrigin, l.VerifierKey()); err == nil {
			t.Fatal("an entry opened to another owner")
		}
		// Without its opening the receipt still proves the entry is in the
		// log, and nothing of whose it is.
		bare := rs[0]
		bare.Opening = nil
		if e, err := VerifyReceipt(bare, testOrigin, l.VerifierKey()); err != nil || e != a {
			t.Fatalf("a receipt without its opening: %v", err)
		}
	})
}

// AppendTx writes format version 2 only, and refuses what would name a
// person other than by the commitment it makes itself.
func TestAppendRefusesWhatWouldLinkAPerson(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	ctx := context.Background()
	l := newTestLog(t, d)
	owner := l.Owner("resident", "42")
	for name, e := range map[string]Entry{
		"a subject of the caller's": {Kind: PointsSpent, Subject: l.Pseudonym("resident", "42"), Programme: "p", Amount: 1},
		"no owner":                  {Kind: PointsCredited, Programme: "p", Amount: 1},
		"an owner not the ledger's": {Kind: PointsCredited, Owner: "42", Programme: "p", Amount: 1},
		"the till's ref":            {Kind: PointsSpent, Owner: owner, Programme: "p", Merchant: "m-1", Amount: 1, Ref: "payment:41"},
		"an owner of a budget":      {Kind: BudgetSet, Owner: owner, Programme: "p", Amount: 1},
		"format 1":                  {Version: V1, Kind: BudgetSet, Programme: "p", Amount: 1},
	} {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := l.AppendTx(ctx, tx, e)
			return err
		})
		if err == nil {
			t.Errorf("%s: appended", name)
		}
	}
	if n, _ := l.Appended(ctx); n != 0 {
		t.Fatalf("%d entries appended", n)
	}
}
