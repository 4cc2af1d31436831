package ledger

import (
	"context"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// Entries integrates what is pending and gives back every entry in order,
// from any index; an entry changed in the database is refused by name.
func TestEntriesReplaysInOrder(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := newTestLog(t, d)
		want := activity(40)
		if _, err := l.Append(ctx, want[:25]...); err != nil {
			t.Fatal(err)
		}
		if err := l.Update(ctx); err != nil {
			t.Fatal(err)
		}
		// The rest is appended but not yet integrated.
		if _, err := l.Append(ctx, want[25:]...); err != nil {
			t.Fatal(err)
		}
		var got []Entry
		if err := l.Entries(ctx, 0, func(i uint64, e Entry) error {
			if i != uint64(len(got)) {
				t.Fatalf("index %d after %d entries", i, len(got))
			}
			got = append(got, e)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d entries, want %d", len(got), len(want))
		}
		for i := range want {
			if !sealedAs(got[i], want[i]) {
				t.Fatalf("entry %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		n := 0
		l.Entries(ctx, 38, func(i uint64, e Entry) error {
			if i != 38+uint64(n) || !sealedAs(e, want[i]) {
				t.Fatalf("from 38: entry %d %+v", i, e)
			}
			n++
			return nil
		})
		if n != 2 {
			t.Fatalf("from 38: %d entries", n)
		}
		if _, err := d.Exec(ctx, `UPDATE ledger_entries SET data = $1 WHERE idx = 7`, []byte(`{"kind":"points.spent","at":1,"amount":1, "x":1}`)); err != nil {
			t.Fatal(err)
		}
		err := l.Entries(ctx, 0, func(uint64, Entry) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "entry 7") {
			t.Fatalf("a changed entry: %v", err)
		}
	})
}
