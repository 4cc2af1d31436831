package learn

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/reserve"
)

func TestLotteryDrawIsFairAndReplayable(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := f.session(t, "LOT-1", 5, Lottery)
		people := f.citizens(t, 12)
		for _, ctx := range people {
			r, err := f.svc.Register(ctx, Request{SessionID: s.ID})
			if err != nil || r.Status != Applied {
				t.Fatalf("apply: %+v %v", r, err)
			}
		}
		ctx := context.Background()
		if _, _, err := f.svc.DrawLottery(ctx, s.ID); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("draw while open: %v", err)
		}
		f.now = s.LotteryClosesAt
		if _, err := f.svc.Register(people[0], Request{SessionID: s.ID}); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("apply after close: %v", err)
		}
		n, err := f.svc.DrawDueLotteries(ctx)
		if err != nil || n != 1 {
			t.Fatalf("draw due: %d %v", n, err)
		}
		if _, _, err := f.svc.DrawLottery(ctx, s.ID); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("second draw: %v", err)
		}
		checkSession(t, f, s.ID, 5, 7)

		// The stored seed replays the same order.
		drawn, err := f.svc.Session(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		seedBytes, err := hex.DecodeString(drawn.LotterySeed)
		if err != nil || len(seedBytes) != 32 {
			t.Fatalf("seed %q", drawn.LotterySeed)
		}
		var seed [32]byte
		copy(seed[:], seedBytes)
		applicants := make([]int64, 0, 12)
		rows, _ := d.Read().QueryContext(ctx, `SELECT id, status, queue_pos FROM registrations WHERE session_id = $1 ORDER BY id`, s.ID)
		byPos := map[int]int64{}
		for rows.Next() {
			var id int64
			var status string
			var pos int
			rows.Scan(&id, &status, &pos)
			applicants = append(applicants, id)
			byPos[pos] = id
		}
		rows.Close()
		for pos, idx := range reserve.DrawOrder(seed, len(applicants)) {
			if byPos[pos+1] != applicants[idx] {
				t.Fatalf("replayed order differs at %d", pos+1)
			}
		}
		// Everyone was told.
		var told int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE kind = 'lottery'`).Scan(&told)
		if told != 12 {
			t.Fatalf("%d lottery messages, want 12", told)
		}
	})
}

func TestRemindersGoOutOnceTheDayBefore(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := f.session(t, "REM-1", 3, FirstCome)
		people := f.citizens(t, 4)
		for _, ctx := range people {
			if _, err := f.svc.Register(ctx, Request{SessionID: s.ID}); err != nil {
				t.Fatal(err)
			}
		}
		ctx := context.Background()
		if n, _ := f.svc.SendReminders(ctx); n != 0 {
			t.Fatalf("%d reminders three days before", n)
		}
		f.now = s.StartsAt.Add(-24 * time.Hour) // the same hour, the day before
		n, err := f.svc.SendReminders(ctx)
		if err != nil || n != 3 {
			t.Fatalf("reminders: %d %v, want 3 (the waitlisted person gets none)", n, err)
		}
		if n, _ := f.svc.SendReminders(ctx); n != 0 {
			t.Fatalf("second run sent %d", n)
		}
	})
}
