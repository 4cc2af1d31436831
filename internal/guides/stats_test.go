package guides

import (
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestStatistics(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hs := f.hotspots(threeSpots)
		kim := f.guide("김안내", "")
		log := func(at time.Time, spot, topic, outcome string, minutes int) {
			f.now = at
			if _, err := f.svc.LogHelp(kim, Help{HotspotID: hs[spot].ID, Topic: topic, Minutes: minutes, Outcome: outcome}); err != nil {
				t.Fatal(err)
			}
		}
		log(monday.AddDate(0, 0, -20), "ctr", "kiosk", Solved, 10) // three weeks ago: centre not visited for 20 days
		log(monday.AddDate(0, 0, -7), "mkt", "payment", Referred, 20)
		log(monday, "mkt", "kiosk", Solved, 5)
		log(monday.Add(time.Hour), "stn", "kiosk", Solved, 15)
		f.now = monday.Add(2 * time.Hour)
		st, err := f.svc.Statistics(f.admin, StatsFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Total.Helps != 4 || st.Total.Minutes != 50 || st.Total.Referred != 1 {
			t.Errorf("total %+v", st.Total)
		}
		if len(st.ByTopic) != len(Topics) || st.ByTopic[0].Key != "kiosk" || st.ByTopic[0].Helps != 3 || st.ByTopic[3].Helps != 1 {
			t.Errorf("by topic %+v", st.ByTopic)
		}
		if len(st.ByHotspot) != 3 || st.ByHotspot[0].Key != formatID(hs["mkt"].ID) || st.ByHotspot[0].Helps != 2 {
			t.Errorf("by hotspot %+v", st.ByHotspot)
		}
		if len(st.ByWeek) != 12 {
			t.Fatalf("%d weeks", len(st.ByWeek))
		}
		last := st.ByWeek[len(st.ByWeek)-1]
		if last.Key != "2026-12-07" || last.Helps != 2 || st.ByWeek[len(st.ByWeek)-2].Helps != 1 {
			t.Errorf("by week %+v", st.ByWeek)
		}
		if len(st.Unvisited) != 1 || st.Unvisited[0].Ref != "ctr" {
			t.Errorf("unvisited %+v", st.Unvisited)
		}
		st, _ = f.svc.Statistics(f.admin, StatsFilter{NoVisitDays: 30})
		if len(st.Unvisited) != 0 {
			t.Errorf("unvisited in 30 days: %+v", st.Unvisited)
		}
		if _, err := f.svc.Statistics(kim, StatsFilter{}); err == nil {
			t.Error("a guide read the statistics")
		}
	})
}
