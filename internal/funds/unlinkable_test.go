package funds

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// published are the entries of a resident's movements as the ledger
// publishes them, each as its JSON fields, oldest first, with the
// movements they record.
func (f *fixture) published(t testing.TB, r identity.Resident) ([]map[string]any, []Movement) {
	t.Helper()
	ctx := context.Background()
	moves, err := f.s.Movements(ctx, r.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(moves, func(i, j int) bool { return moves[i].ID < moves[j].ID })
	out := make([]map[string]any, len(moves))
	for i, m := range moves {
		rc, err := f.s.Receipt(ctx, r.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(rc.Entry, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out, moves
}

// Two payments and two credits of one resident share nothing on the
// public ledger that would let anyone (a merchant who saw one of them at
// its till, say) find the other: no field but the kind, the format's
// version, the programme, the merchant when it is the same shop, and the
// hour when it is the same hour (which everyone paying in that hour
// shares). Times are on the hour, refs carry no till's id.
func TestOneResidentsEntriesAreUnlinkable(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		multi := f.programme(t, DemoProgrammes(today)[0])
		academy, academyOwner := f.shop(t, "education", 1)
		books, booksOwner := f.shop(t, "books", 2)
		r := f.resident(t, "H-1", parentBirth, 2, false)
		f.now = today.Add(7 * time.Minute)
		f.credited(t, r, multi, 300_000)
		f.now = today.Add(3*time.Hour + 21*time.Minute)
		f.credited(t, r, multi, 200_000)
		f.now = today.Add(4*time.Hour + 17*time.Minute)
		first := f.pay(t, r, academy, academyOwner, 120_000)
		f.now = today.Add(4*time.Hour + 43*time.Minute)
		other := f.pay(t, r, books, booksOwner, 45_000)
		f.now = today.Add(6*time.Hour + 5*time.Minute)
		again := f.pay(t, r, academy, academyOwner, 80_000)

		entries, moves := f.published(t, r)
		if len(entries) != 5 {
			t.Fatalf("%d entries for two credits and three payments", len(entries))
		}
		tills := []string{}
		for _, p := range []Payment{first, other, again} {
			tills = append(tills, strconv.FormatInt(p.ID, 10))
		}
		for i, e := range entries {
			at, _ := e["at"].(float64)
			if int64(at)%3600 != 0 {
				t.Errorf("entry of movement %d is at %v, not on the hour", moves[i].ID, e["at"])
			}
			if ref, ok := e["ref"].(string); ok && (strings.Contains(ref, "payment") || slices.ContainsFunc(tills, func(id string) bool {
				return strings.HasSuffix(ref, ":"+id)
			})) {
				t.Errorf("entry of movement %d has the till's ref %q", moves[i].ID, ref)
			}
			for j := range i {
				for _, k := range shared(entries[i], entries[j]) {
					switch {
					case k == "v" || k == "kind" || k == "programme":
					case k == "merchant" && moves[i].Merchant == moves[j].Merchant:
					case k == "at" && moves[i].At.Truncate(time.Hour).Equal(moves[j].At.Truncate(time.Hour)):
					default:
						t.Errorf("the entries of movements %d (%s) and %d (%s) share %q: %v", moves[j].ID, moves[j].Kind,
							moves[i].ID, moves[i].Kind, k, entries[i][k])
					}
				}
			}
		}
		// The two payments at the academy name the academy, and the one
		// at the bookshop the bookshop: merchants stay named.
		if entries[2]["merchant"] != entries[4]["merchant"] || entries[2]["merchant"] == entries[3]["merchant"] || entries[3]["merchant"] == nil {
			t.Errorf("merchants: %v %v %v", entries[2]["merchant"], entries[3]["merchant"], entries[4]["merchant"])
		}
		// Yet the resident's own receipts, checked offline, show every one
		// of these entries is theirs; another resident's receipt does not.
		if err := f.ledger.Update(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, m := range moves {
			rc, err := f.s.Receipt(context.Background(), r.ID, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			e, err := ledger.VerifyReceipt(rc, f.ledger.Origin(), f.ledger.VerifierKey())
			if err != nil || e.Format() != ledger.V2 || rc.Opening == nil || rc.Opening.Owner != f.s.owner(r.ID) || e.Amount != m.Amount {
				t.Fatalf("receipt of movement %d: %+v %+v %v", m.ID, e, rc.Opening, err)
			}
		}
		if _, err := f.s.Receipt(context.Background(), f.resident(t, "H-2", parentBirth, 1, false).ID, moves[0].ID); err == nil {
			t.Fatal("another resident got the receipt")
		}
	})
}

// shared are the fields two entries both have with the same value.
func shared(a, b map[string]any) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; ok && reflect.DeepEqual(v, w) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
