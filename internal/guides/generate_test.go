package guides

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

var candidates = []Candidate{
	{Ref: "stn-seomyeon", NameKo: "서면역", NameEn: "Seomyeon Station", Kind: Station, Lat: 35.1578, Lon: 129.0599, Zone: "Z1"},
	{NameKo: "부전시장", NameEn: "Bujeon Market", Kind: Market, Lat: 35.162, Lon: 129.061, Zone: "Z1"},
	{NameKo: "부전노인복지관", Kind: SeniorCentre, Lat: 35.17, Lon: 129.07, Zone: "Z2"},
	{NameKo: "부산시민공원", Kind: Park, Lat: 35.168, Lon: 129.057},
	{Ref: "bad ref/1", NameKo: "도서관", Kind: "library", Lat: 35.16, Lon: 129.06},
}

func sum(day [24]int, from, to int) (n int) {
	for h := from; h < to; h++ {
		n += day[h]
	}
	return n
}

func TestDemoHotspots(t *testing.T) {
	t.Parallel()
	a := DemoHotspots(rand.New(rand.NewPCG(1, 2)), candidates)
	b := DemoHotspots(rand.New(rand.NewPCG(1, 2)), candidates)
	c := DemoHotspots(rand.New(rand.NewPCG(9, 2)), candidates)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("the same seed gave two cities: %+v %+v", a[i], b[i])
		}
		if err := a[i].validate(); err != nil {
			t.Errorf("hotspot %d: %v", i, err)
		}
	}
	if a[0].Profile == c[0].Profile {
		t.Error("another seed gave the same station")
	}
	if a[1].Ref != "demo-002" || a[4].Ref != "demo-005" || a[4].Kind != Other || a[0].Ref != "stn-seomyeon" {
		t.Errorf("refs and kinds: %q %q %q", a[1].Ref, a[4].Ref, a[4].Kind)
	}
	for seed := range uint64(30) {
		hs := DemoHotspots(rand.New(rand.NewPCG(seed, 5)), candidates)
		stn, mkt, ctr, park := hs[0].Profile, hs[1].Profile, hs[2].Profile, hs[3].Profile
		if sum(mkt[1], 8, 12) <= sum(mkt[1], 14, 18) {
			t.Errorf("seed %d: a market busier in the afternoon: %v", seed, mkt[1])
		}
		if ctr[6] != [24]int{} || sum(ctr[2], 10, 16) < 3*sum(ctr[2], 0, 10) || sum(ctr[2], 10, 16) <= sum(ctr[5], 0, 24) {
			t.Errorf("seed %d: senior centre %v / Sat %v / Sun %v", seed, ctr[2], ctr[5], ctr[6])
		}
		if stn[0][8] <= stn[0][6] || stn[0][18] <= stn[0][21] || stn[5][8] >= stn[0][8] {
			t.Errorf("seed %d: station without its commute: %v, Saturday %v", seed, stn[0], stn[5])
		}
		if park[3][6] <= park[3][12] || park[3][18] <= park[3][12] {
			t.Errorf("seed %d: park not busiest morning and evening: %v", seed, park[3])
		}
	}
}

func TestGenerateDemo(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res, err := GenerateDemo(context.Background(), f.svc, rand.New(rand.NewPCG(7, 7)), candidates)
		if err != nil || res.Created != len(candidates) {
			t.Fatalf("demo: %+v %v", res, err)
		}
		hs, _ := f.svc.Hotspots(context.Background())
		want := DemoHotspots(rand.New(rand.NewPCG(7, 7)), candidates)
		byRef := map[string]Profile{}
		for _, h := range hs {
			byRef[h.Ref] = h.Profile
		}
		for _, w := range want {
			if byRef[w.Ref] != w.Profile {
				t.Errorf("%s stored differently", w.Ref)
			}
		}
	})
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var accounts []Account
		for _, name := range []string{"가안내", "나안내", "다안내"} {
			accounts = append(accounts, Account{ID: idOf(f.staff("guide", name)), Name: name})
		}
		demo := Demo{Candidates: candidates, Guides: accounts, Days: DemoDays(f.now, -14, 2)}
		var res DemoResult
		err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			var err error
			res, err = f.svc.SeedDemo(context.Background(), tx, rand.New(rand.NewPCG(5, 5)), demo)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Hotspots != 5 || res.Guides != 3 || res.Shifts == 0 || res.Helps == 0 {
			t.Fatalf("demo: %+v", res)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM guide_plans WHERE status = 'confirmed'`); n != 15 {
			t.Errorf("%d confirmed plans, want one per day but Sundays", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM guide_help WHERE at >= $1`, db.Time(startOfDay(f.now))); n != 0 {
			t.Errorf("%d help entries today or later", n)
		}
		if n := count(t, d, `SELECT COALESCE(SUM(help_count), 0) FROM guide_hotspots`); n != res.Helps {
			t.Errorf("the spots count %d helps of %d", n, res.Helps)
		}
		st, err := f.svc.Statistics(f.admin, StatsFilter{})
		if err != nil || st.Total.Helps != res.Helps {
			t.Errorf("statistics see %d of %d: %v", st.Total.Helps, res.Helps, err)
		}
	})
}
