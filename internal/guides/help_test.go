package guides

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

func TestLogHelp(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hs := f.hotspots(threeSpots)
		kim := f.guide("김안내", "Z1")
		ok := Help{HotspotID: hs["stn"].ID, Topic: "kiosk", Minutes: 10, Outcome: Solved, Note: "  승차권 발매기  "}
		h, err := f.svc.LogHelp(kim, ok)
		if err != nil || h.ID == 0 || h.Note != "승차권 발매기" || h.GuideID != idOf(kim) {
			t.Fatalf("log: %+v %v", h, err)
		}
		for name, c := range map[string]struct {
			mod   func(*Help)
			field string
		}{
			"no spot":      {func(h *Help) { h.HotspotID = 0 }, "hotspot"},
			"topic":        {func(h *Help) { h.Topic = "weather" }, "topic"},
			"minutes":      {func(h *Help) { h.Minutes = MaxMinutes + 1 }, "minutes"},
			"outcome":      {func(h *Help) { h.Outcome = "maybe" }, "outcome"},
			"phone":        {func(h *Help) { h.Note = "아드님 010-1234-5678로 연락" }, "note"},
			"registry":     {func(h *Help) { h.Note = "480101 1234567" }, "note"},
			"unknown spot": {func(h *Help) { h.HotspotID = 9999 }, "hotspot"},
		} {
			in := ok
			c.mod(&in)
			_, err := f.svc.LogHelp(kim, in)
			if e, isE := errs.As(err); !isE || e.Field != c.field {
				t.Errorf("%s: %v, want a problem with %s", name, err, c.field)
			}
		}
		if _, err := f.svc.LogHelp(f.admin, ok); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a coordinator logged help: %v", err)
		}
		notYet := f.staff("guide", "미등록")
		wantErr(t, "unregistered guide", func() error { _, err := f.svc.LogHelp(notYet, ok); return err }(), errs.Forbidden, "guides.not_a_guide")
		if n := count(t, d, `SELECT COUNT(*) FROM guide_help`); n != 1 {
			t.Errorf("%d entries after refusals", n)
		}
		mine, err := f.svc.MyHelp(kim, f.now.Add(-time.Hour))
		if err != nil || len(mine) != 1 {
			t.Errorf("my help: %+v %v", mine, err)
		}
	})
}

// Guides logging at the same spot at the same moment: every entry is kept
// and counted on the spot's row.
func TestGuidesLoggingAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hs := f.hotspots(threeSpots)
		var guides []context.Context
		for i := range 8 {
			guides = append(guides, f.guide(fmt.Sprint("안내사", i), ""))
		}
		const each = 5
		bad := together(len(guides)*each, func(i int) error {
			_, err := f.svc.LogHelp(guides[i%len(guides)], Help{HotspotID: hs["mkt"].ID, Topic: Topics[i%len(Topics)], Minutes: 5, Outcome: Solved})
			return err
		})
		for _, err := range bad {
			if err != nil {
				t.Fatal(err)
			}
		}
		h, _ := f.svc.Hotspot(context.Background(), hs["mkt"].ID)
		if n := count(t, d, `SELECT COUNT(*) FROM guide_help WHERE hotspot_id = $1`, h.ID); n != len(guides)*each || h.HelpCount != n {
			t.Errorf("%d entries, the spot counts %d", n, h.HelpCount)
		}
		if !h.LastVisitAt.Equal(db.Time(f.now)) {
			t.Errorf("last visit %v", h.LastVisitAt)
		}
	})
}
