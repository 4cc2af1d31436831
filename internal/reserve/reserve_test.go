package reserve

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/humancode"
	"github.com/maeul/maeul/internal/i18n"
)

// The engine's tests run on two tables of their own, shaped like the parts'.
var testSpec = Spec{Pool: "rs_pools", Taken: "taken", Claims: "rs_claims", PoolRef: "pool_id", Size: "size",
	CheckedIn: "arrived_at", Active: []string{"held", Confirmed, Waitlisted, Applied},
	Keys: Keys{NoPool: "no_pool", NoClaim: "no_claim", Already: "already", DrawClosed: "draw_closed", Full: "full"}}

// key is the catalogue key of an engine's refusal, "" for none.
func key(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Key
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

type fixture struct {
	t   *testing.T
	d   *db.DB
	e   *Engine
	ctx context.Context
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ts := "TIMESTAMP"
	if d.Dialect == db.Postgres {
		ts = "TIMESTAMPTZ"
	}
	ctx := context.Background()
	for _, q := range []string{
		`CREATE TABLE rs_pools (id BIGINT PRIMARY KEY, capacity INTEGER NOT NULL, taken INTEGER NOT NULL DEFAULT 0,
			queue_seq INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL DEFAULT '', CHECK (taken >= 0 AND taken <= capacity))`,
		`CREATE TABLE rs_claims (id BIGINT PRIMARY KEY, pool_id BIGINT NOT NULL, user_id BIGINT NOT NULL, size INTEGER NOT NULL,
			status TEXT NOT NULL, queue_pos INTEGER NOT NULL, updated_at ` + ts + `, arrived_at ` + ts + `)`,
	} {
		if _, err := d.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{t: t, d: d, e: New(d, testSpec), ctx: ctx}
}

func (f *fixture) pool(id int64, capacity int) {
	f.t.Helper()
	if _, err := f.d.Exec(f.ctx, `INSERT INTO rs_pools (id, capacity, kind) VALUES ($1, $2, 'room')`, id, capacity); err != nil {
		f.t.Fatal(err)
	}
}

// ask is one caller's transaction: lock, ask, insert the claim as asked.
func (f *fixture) ask(poolID, user int64, size int, draw DrawState, wait bool) (string, error) {
	var status string
	err := f.d.Tx(f.ctx, func(tx *sql.Tx) error {
		var kind string
		p, err := f.e.Lock(f.ctx, tx, "id = $1", []any{poolID}, "kind", &kind)
		if err != nil {
			return err
		}
		if kind != "room" {
			f.t.Errorf("extra column read %q", kind)
		}
		status, err = f.e.Ask(f.ctx, tx, Request{Pool: p.ID, User: user, Size: size, Draw: draw, Wait: wait})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(f.ctx, `INSERT INTO rs_claims (id, pool_id, user_id, size, status, queue_pos) VALUES ($1, $2, $3, $4, $5, $6)`,
			poolID*100000+user, poolID, user, size, status, p.Seq)
		return err
	})
	return status, err
}

func (f *fixture) taken(poolID int64) int {
	f.t.Helper()
	var n int
	if err := f.d.Read().QueryRowContext(f.ctx, `SELECT taken FROM rs_pools WHERE id = $1`, poolID).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fixture) status(claimID int64) string {
	f.t.Helper()
	var s string
	if err := f.d.Read().QueryRowContext(f.ctx, `SELECT status FROM rs_claims WHERE id = $1`, claimID).Scan(&s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func TestAskSeatsWaitlistsAndRefuses(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.pool(1, 3)
		steps := []struct {
			user int64
			size int
			draw DrawState
			wait bool
			want string
			err  string
		}{
			{1, 2, NoDraw, true, Confirmed, ""},
			{2, 2, NoDraw, false, "", "full"},
			{2, 2, NoDraw, true, Waitlisted, ""},
			{2, 1, NoDraw, true, "", "already"},
			{3, 1, NoDraw, false, Confirmed, ""},
			{4, 1, DrawOpen, false, Applied, ""},
			{5, 1, DrawClosed, true, "", "draw_closed"},
		}
		for i, s := range steps {
			got, err := f.ask(1, s.user, s.size, s.draw, s.wait)
			if got != s.want || key(err) != s.err || (err != nil && errs.CodeOf(err) != errs.Conflict) {
				t.Fatalf("step %d: %q, %v; want %q, %v", i, got, err, s.want, s.err)
			}
		}
		if n := f.taken(1); n != 3 {
			t.Fatalf("taken %d, want 3", n)
		}
		if _, err := f.ask(9, 1, 1, NoDraw, true); key(err) != "no_pool" || errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("no pool: %v", err)
		}
		err := d.Tx(f.ctx, func(tx *sql.Tx) error {
			p, err := f.e.LockClaim(f.ctx, tx, 100002, "")
			if err == nil && (p.ID != 1 || p.Capacity != 3 || p.Taken != 3) {
				t.Errorf("the claim's pool: %+v", p)
			}
			if _, err := f.e.LockClaim(f.ctx, tx, 42, ""); key(err) != "no_claim" || errs.CodeOf(err) != errs.NotFound {
				t.Errorf("no claim: %v", err)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The queue counter orders claims in order of arrival.
		var pos []int
		rows, _ := d.Read().QueryContext(f.ctx, `SELECT queue_pos FROM rs_claims ORDER BY id`)
		for rows.Next() {
			var p int
			rows.Scan(&p)
			pos = append(pos, p)
		}
		rows.Close()
		if !slices.IsSorted(pos) || len(pos) != 4 || pos[0] < 1 {
			t.Fatalf("queue positions %v", pos)
		}
	})
}

func TestAskNeverOverfillsUnderContention(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.pool(1, 5)
		var wg sync.WaitGroup
		var mu sync.Mutex
		got := map[string]int{}
		for u := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := f.ask(1, int64(u+1), 1, NoDraw, u%2 == 0)
				if key(err) == "full" {
					s = "full"
				} else if err != nil {
					t.Error(err)
				}
				mu.Lock()
				got[s]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if got[Confirmed] != 5 || f.taken(1) != 5 || got[Confirmed]+got[Waitlisted]+got["full"] != 200 {
			t.Fatalf("outcomes %v, taken %d", got, f.taken(1))
		}
	})
}

func TestReleaseAndPromotePassOverWhatDoesNotFit(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.pool(1, 4)
		f.ask(1, 1, 3, NoDraw, true) // confirmed: 3 of 4
		f.ask(1, 2, 1, NoDraw, true) // confirmed: 4 of 4
		f.ask(1, 3, 4, NoDraw, true) // waitlisted: a group of 4
		f.ask(1, 4, 2, NoDraw, true) // waitlisted
		f.ask(1, 5, 1, NoDraw, true) // waitlisted
		f.ask(1, 6, 1, NoDraw, true) // waitlisted
		at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		var promoted []int64
		err := d.Tx(f.ctx, func(tx *sql.Tx) error {
			p, err := f.e.Lock(f.ctx, tx, "id = $1", []any{int64(1)}, "")
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(f.ctx, `UPDATE rs_claims SET status = 'cancelled' WHERE id = $1`, 100001); err != nil {
				return err
			}
			if err := f.e.Release(f.ctx, tx, p.ID, 3); err != nil {
				return err
			}
			return f.e.Promote(f.ctx, tx, p.ID, "held", at, func(e Entry) error {
				promoted = append(promoted, e.User)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		// 3 free: the group of 4 keeps its place, 2 and 1 fit, and then
		// the pool is full.
		if !slices.Equal(promoted, []int64{4, 5}) || f.taken(1) != 4 {
			t.Fatalf("promoted %v, taken %d", promoted, f.taken(1))
		}
		for id, want := range map[int64]string{100003: Waitlisted, 100004: "held", 100005: "held", 100006: Waitlisted} {
			if got := f.status(id); got != want {
				t.Errorf("claim %d: %s, want %s", id, got, want)
			}
		}
	})
}

func TestDrawOrderIsStable(t *testing.T) {
	t.Parallel()
	// Stored seeds replay their draws: this order must never change.
	var seed [32]byte
	for i := range seed {
		seed[i] = byte(i)
	}
	if got, want := DrawOrder(seed, 12), []int{2, 10, 5, 11, 3, 9, 0, 7, 4, 1, 6, 8}; !slices.Equal(got, want) {
		t.Fatalf("DrawOrder = %v, want %v", got, want)
	}
	var a, b [32]byte
	b[0] = 1
	o1, o2, o3 := DrawOrder(a, 50), DrawOrder(a, 50), DrawOrder(b, 50)
	if !slices.Equal(o1, o2) || slices.Equal(o1, o3) {
		t.Fatal("a seed's order is not its own")
	}
	sorted := slices.Clone(o1)
	slices.Sort(sorted)
	for i, v := range sorted {
		if v != i {
			t.Fatalf("not a permutation: %v", o1)
		}
	}
}

func TestDrawOrderIsUniform(t *testing.T) {
	t.Parallel()
	// Each of 4 applicants should come first about a quarter of the time.
	counts := make([]int, 4)
	for i := range 4000 {
		var seed [32]byte
		seed[0], seed[1] = byte(i), byte(i>>8)
		counts[DrawOrder(seed, 4)[0]]++
	}
	for i, c := range counts {
		if c < 850 || c > 1150 {
			t.Fatalf("applicant %d first %d times of 4000: %v", i, c, counts)
		}
	}
}

func TestNewSeed(t *testing.T) {
	t.Parallel()
	seed, text, err := NewSeed(strings.NewReader(strings.Repeat("\x07", 32)))
	if err != nil || seed != [32]byte(slices.Repeat([]byte{7}, 32)) || text != strings.Repeat("07", 32) {
		t.Fatalf("%x %q %v", seed, text, err)
	}
	if _, _, err := NewSeed(strings.NewReader("short")); err == nil {
		t.Fatal("a short read made a seed")
	}
	a, _, _ := NewSeed(nil)
	b, _, _ := NewSeed(nil)
	if a == b {
		t.Fatal("two fresh seeds alike")
	}
}

func TestDrawAllotsInDrawnOrderWithinTheLimit(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.pool(1, 3)
		var seed [32]byte
		for i := range seed {
			seed[i] = byte(i)
		}
		// Twelve applicants of one place each; users 1 and 2 have already
		// won their one draw of the month.
		applicants := make([]Entry, 12)
		for i := range applicants {
			applicants[i] = Entry{ID: int64(i + 1), User: int64(i + 1), Size: 1}
		}
		var lots []Lot
		err := d.Tx(f.ctx, func(tx *sql.Tx) error {
			var err error
			lots, err = f.e.Draw(f.ctx, tx, 1, seed, applicants, Limit{Max: 1, Prior: map[int64]int{1: 1, 2: 1}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		order := DrawOrder(seed, 12) // [2 10 5 11 3 9 0 7 4 1 6 8]
		var won []int
		wait := map[int]int{}
		for pos, l := range lots {
			if l.Index != order[pos] || l.Pos != pos+1 {
				t.Fatalf("lot %d: %+v", pos, l)
			}
			if l.Won {
				won = append(won, l.Index)
			} else {
				wait[l.Index] = l.Wait
			}
		}
		// Index 2 is user 3: the first three under the limit win.
		if !slices.Equal(won, []int{2, 10, 5}) || f.taken(1) != 3 {
			t.Fatalf("won %v, taken %d", won, f.taken(1))
		}
		// The waitlist: those who did not fit in drawn order (11 3 9 7 4 6 8),
		// then those over the limit (0 = user 1, 1 = user 2).
		for i, idx := range []int{11, 3, 9, 7, 4, 6, 8, 0, 1} {
			if wait[idx] != i+1 {
				t.Errorf("index %d waits at %d, want %d", idx, wait[idx], i+1)
			}
		}
	})
}

func TestTickets(t *testing.T) {
	t.Parallel()
	tk := Tickets{Prefix: "MAEUL-TEST:", Missing: "missing", Invalid: "invalid"}
	seen := map[string]bool{}
	for range 1000 {
		c := NewTicket()
		if len(c) != 16 || strings.Trim(c, humancode.Alphabet) != "" || seen[c] {
			t.Fatalf("ticket %q", c)
		}
		seen[c] = true
		if tk.Normalize(TicketText(c)) != c || tk.Normalize(" maeul-test: "+strings.ToLower(TicketText(c))) != c {
			t.Fatalf("%q does not read back", c)
		}
	}
	if got := TicketText("K7QM2XPA9RTD4HWE"); got != "K7QM-2XPA-9RTD-4HWE" {
		t.Fatalf("TicketText = %q", got)
	}
	for text, want := range map[string]string{"": "missing", " - ": "missing", "MAEUL-TEST:": "missing",
		strings.Repeat("x", MaxTicket+1): "invalid", "k7qm-2xpa": ""} {
		code, err := tk.Read(text)
		if key(err) != want {
			t.Errorf("Read(%q): %v, want %v", text, err, want)
		}
		if e, ok := errs.As(err); ok && e.Field != "ticket" {
			t.Errorf("Read(%q) names the field %q", text, e.Field)
		}
		if want == "" && code != "K7QM2XPA" {
			t.Errorf("Read(%q) = %q", text, code)
		}
	}
	svg, err := tk.QR("K7QM2XPA9RTD4HWE", "ticket")
	if err != nil || !strings.Contains(string(svg), "<svg") {
		t.Fatalf("QR: %v", err)
	}
}

func TestCheckInWindowAndRules(t *testing.T) {
	t.Parallel()
	c := CheckIn{OpensBefore: 2 * time.Hour}
	starts := time.Date(2026, 5, 1, 22, 0, 0, 0, i18n.Zone)
	from, until := c.Window(starts, starts.Add(3*time.Hour)) // ends after midnight
	if !from.Equal(starts.Add(-2*time.Hour)) || !until.Equal(time.Date(2026, 5, 3, 0, 0, 0, 0, i18n.Zone)) {
		t.Fatalf("window %v – %v", from, until)
	}
	_, until = c.Window(starts, starts)
	if !until.Equal(time.Date(2026, 5, 2, 0, 0, 0, 0, i18n.Zone)) {
		t.Fatalf("until %v", until)
	}
	in := starts.Add(-time.Hour)
	for _, k := range []struct {
		now    time.Time
		status string
		at     time.Time
		want   Refusal
	}{
		{in, Confirmed, time.Time{}, CanCheckIn},
		{in, Confirmed, in, Already},
		{in, Waitlisted, in, Already},
		{in, Waitlisted, time.Time{}, NotConfirmed},
		{from.Add(-time.Second), Confirmed, time.Time{}, TooEarly},
		{from, Confirmed, time.Time{}, CanCheckIn},
		{until, Confirmed, time.Time{}, Closed},
	} {
		if got := Check(k.now, from, until, k.status, k.at); got != k.want {
			t.Errorf("Check(%v, %s, %v) = %d, want %d", k.now, k.status, k.at, got, k.want)
		}
	}
}

func TestArriveMarksOnce(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.pool(1, 1)
		f.ask(1, 1, 1, NoDraw, true) // confirmed
		f.ask(1, 2, 1, NoDraw, true) // waitlisted
		at := db.Time(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
		var wg sync.WaitGroup
		var mu sync.Mutex
		marks := 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := d.Tx(f.ctx, func(tx *sql.Tx) error {
					marked, first, err := f.e.Arrive(f.ctx, tx, 100001, at.Add(time.Duration(i)*time.Minute))
					if err == nil && !marked && first.IsZero() {
						t.Error("not marked, and no first check-in")
					}
					if marked {
						mu.Lock()
						marks++
						mu.Unlock()
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if marks != 1 {
			t.Fatalf("marked %d times", marks)
		}
		err := d.Tx(f.ctx, func(tx *sql.Tx) error {
			marked, first, err := f.e.Arrive(f.ctx, tx, 100002, at)
			if marked || !first.IsZero() {
				t.Errorf("a waitlisted claim: marked %v, first %v", marked, first)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestDrawDuePassesOverWhatAnotherDrew(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for id := range int64(4) {
			f.pool(id+1, int(id)+1) // pool 1 has capacity 1: not due
		}
		var seen []int64
		draw := func(_ context.Context, id int64) error {
			seen = append(seen, id)
			if id == 3 {
				return errs.New(errs.Conflict, "drawn")
			}
			return nil
		}
		n, err := f.e.DrawDue(f.ctx, Due{Where: "capacity > $1", Args: []any{1}, Order: "id DESC"}, draw)
		if err != nil || n != 2 || !slices.Equal(seen, []int64{4, 3, 2}) {
			t.Fatalf("drew %d of %v: %v", n, seen, err)
		}
		seen = nil
		n, err = f.e.DrawDue(f.ctx, Due{Where: "capacity > $1", Args: []any{1}, Limit: 2}, func(_ context.Context, id int64) error {
			seen = append(seen, id)
			return errors.New("broken")
		})
		if err == nil || n != 0 || !slices.Equal(seen, []int64{2}) {
			t.Fatalf("an error: drew %d of %v: %v", n, seen, err)
		}
	})
}
