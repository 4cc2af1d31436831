package ledger

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// served is a log on a test server.
type served struct {
	*Log
	d   *db.DB
	url string
}

// serve serves a log of the version 1 entries old, written as they were,
// then of entries, appended.
func serve(t *testing.T, d *db.DB, old, entries []Entry) served {
	t.Helper()
	l := newTestLog(t, d)
	if len(old) > 0 {
		bulkAppend(t, d, old)
	}
	if _, err := l.Append(context.Background(), entries...); len(entries) > 0 && err != nil {
		t.Fatal(err)
	}
	if err := l.Update(context.Background()); err != nil {
		t.Fatal(err)
	}
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, l)
	srv := httptest.NewServer(rt)
	t.Cleanup(srv.Close)
	return served{l, d, srv.URL + "/ledger"}
}

// activity is a small city's worth of entries, as parts hand them to
// AppendTx: cards, a programme's budget, credits, payments, a refund, an
// expiry and a settlement, by seven people.
func activity(n int) []Entry {
	es := []Entry{{Kind: BudgetSet, At: t0 + 1, Programme: "culture-pass", Amount: 50_000_000}}
	for i := 0; len(es) < n; i++ {
		owner := testOwner(i % 7)
		es = append(es,
			Entry{Kind: CardIssued, At: t0 + 2, Owner: owner, Count: 5},
			Entry{Kind: PointsCredited, At: t0 + 3, Owner: owner, Programme: "culture-pass", Amount: 110_000},
			Entry{Kind: PointsSpent, At: t0 + 4, Owner: owner, Programme: "culture-pass", Merchant: "m-books", Amount: 30_000})
	}
	es = es[:n-3]
	return append(es,
		Entry{Kind: PointsRefunded, At: t0 + 5, Owner: testOwner(0), Programme: "culture-pass", Merchant: "m-books", Amount: 10_000},
		Entry{Kind: PointsExpired, At: t0 + 6, Owner: testOwner(1), Programme: "culture-pass", Amount: 80_000},
		Entry{Kind: MerchantSettled, At: t0 + 7, Merchant: "m-books", Amount: 500_000})
}

// v1 are entries as format version 1 wrote them: each person by a stable
// pseudonym, in place of their owner.
func v1(es []Entry) []Entry {
	out := make([]Entry, len(es))
	for i, e := range es {
		if e.Owner != "" {
			e.Subject, e.Owner = "r-"+e.Owner[len(ownerPrefix):len(ownerPrefix)+8], ""
		}
		out[i] = e
	}
	return out
}

func auditor(t *testing.T, s served, state string) *Auditor {
	v, err := note.NewVerifier(s.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return &Auditor{URL: s.url, Log: v, State: state}
}

func mismatchAt(t *testing.T, err error, index int64) {
	t.Helper()
	var m *Mismatch
	if !errors.As(err, &m) || m.Index != index {
		t.Fatalf("want a mismatch at entry %d, got %v", index, err)
	}
}

// TestAuditReplaysTheLog replays a log that was written in format version
// 1 until its 350th entry and in version 2 after, into the same totals as
// if it were all of one format.
func TestAuditReplaysTheLog(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		all := activity(700)
		s := serve(t, d, v1(all[:350]), all[350:])
		state := filepath.Join(t.TempDir(), "state.json")
		totals, err := auditor(t, s, state).Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		p := totals.Programmes["culture-pass"]
		// The budget, 232 triples, and the last three.
		if totals.Size != 700 || totals.Cards[CardIssued] != 5*232 || p.Budget != 50_000_000 || p.Credited != 232*110_000 ||
			p.Spent != 232*30_000 || p.Expired != 80_000 || p.Outstanding() != 232*80_000+10_000-80_000 {
			var b strings.Builder
			totals.Print(&b)
			t.Fatalf("totals:\n%s", b.String())
		}
		if m := totals.Merchants["m-books"]; m.Settled != 500_000 || m.Refunded != 10_000 {
			t.Fatalf("merchant %+v", m)
		}
		if totals.Formats[V1] != 350 || totals.Formats[V2] != 350 {
			t.Fatalf("formats %v", totals.Formats)
		}
		// The log grows; the next audit checks it grew from what was verified.
		if _, err := s.Append(context.Background(), entry(1), entry(2)); err != nil {
			t.Fatal(err)
		}
		s.Update(context.Background())
		if totals, err := auditor(t, s, state).Run(context.Background()); err != nil || totals.Size != 702 {
			t.Fatalf("after growth: %v", err)
		}
	})
}

// TestAuditNamesTheEntryThatWasTampered changes, deletes and reorders
// stored entries behind the log's back, and serves a forked tree.
func TestAuditNamesTheEntryThatWasTampered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tamper := map[string]struct {
		sql   string
		index int64
	}{
		"changed":   {`UPDATE ledger_entries SET data = (SELECT data FROM ledger_entries WHERE idx = 1) WHERE idx = 300`, 300},
		"deleted":   {`DELETE FROM ledger_entries WHERE idx = 301`, 301},
		"reordered": {`UPDATE ledger_entries SET idx = CASE idx WHEN 400 THEN 401 ELSE 400 END WHERE idx IN (400, 401)`, 400},
	}
	for name, c := range tamper {
		t.Run(name, func(t *testing.T) {
			d := dbtest.SQLite(t)
			s := serve(t, d, nil, activity(600))
			if name == "reordered" {
				// Swapping two primary keys needs a detour.
				c.sql = `UPDATE ledger_entries SET idx = -1 WHERE idx = 400`
				if _, err := d.Exec(ctx, c.sql); err != nil {
					t.Fatal(err)
				}
				d.Exec(ctx, `UPDATE ledger_entries SET idx = 400 WHERE idx = 401`)
				c.sql = `UPDATE ledger_entries SET idx = 401 WHERE idx = -1`
			}
			if _, err := d.Exec(ctx, c.sql); err != nil {
				t.Fatal(err)
			}
			_, err := auditor(t, s, "").Run(ctx)
			mismatchAt(t, err, c.index)
		})
	}

	t.Run("forked", func(t *testing.T) {
		// The log shows one auditor a tree and later another tree, signed
		// with its own key, that differs at entry 10.
		// Version 1 entries, written as they are: the same twice.
		honest := v1(activity(600))
		s := serve(t, dbtest.SQLite(t), honest, nil)
		state := filepath.Join(t.TempDir(), "state.json")
		if _, err := auditor(t, s, state).Run(ctx); err != nil {
			t.Fatal(err)
		}
		forked := append([]Entry{}, honest...)
		forked = append(forked, entryV1(1))
		forked[10].Amount++
		f := serve(t, dbtest.SQLite(t), forked, nil)
		_, err := auditor(t, f, state).Run(ctx)
		mismatchAt(t, err, 10)
	})

	t.Run("wrong key", func(t *testing.T) {
		s := serve(t, dbtest.SQLite(t), nil, activity(10))
		other, _ := New(dbtest.SQLite(t), testOrigin, []byte("another platform secret of 32 b."))
		v, _ := note.NewVerifier(other.VerifierKey())
		a := auditor(t, s, "")
		a.Log = v
		_, err := a.Run(ctx)
		mismatchAt(t, err, -1)
	})

	t.Run("tile", func(t *testing.T) {
		d := dbtest.SQLite(t)
		s := serve(t, d, nil, activity(600))
		if _, err := d.Exec(ctx, `UPDATE ledger_tiles SET hashes = (SELECT hashes FROM ledger_tiles WHERE level = 0 AND idx = 0) WHERE level = 1`); err != nil {
			t.Fatal(err)
		}
		_, err := auditor(t, s, "").Run(ctx)
		mismatchAt(t, err, 0)
	})
}
