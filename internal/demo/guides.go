package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/guides"
	"github.com/maeul/maeul/internal/places"
)

// busanSpots are stations and markets where the city's seniors are many:
// real places, at their real positions.
var busanSpots = []guides.Candidate{
	{Ref: "st-busan", NameKo: "부산역", NameEn: "Busan Station", Kind: guides.Station, Lat: 35.1151, Lon: 129.0415},
	{Ref: "st-seomyeon", NameKo: "서면역", NameEn: "Seomyeon Station", Kind: guides.Station, Lat: 35.1578, Lon: 129.0592},
	{Ref: "st-bujeon", NameKo: "부전역", NameEn: "Bujeon Station", Kind: guides.Station, Lat: 35.1647, Lon: 129.0601},
	{Ref: "st-haeundae", NameKo: "해운대역", NameEn: "Haeundae Station", Kind: guides.Station, Lat: 35.1631, Lon: 129.1586},
	{Ref: "st-sasang", NameKo: "사상역", NameEn: "Sasang Station", Kind: guides.Station, Lat: 35.1625, Lon: 128.9846},
	{Ref: "st-dongnae", NameKo: "동래역", NameEn: "Dongnae Station", Kind: guides.Station, Lat: 35.2054, Lon: 129.0783},
	{Ref: "st-yeonsan", NameKo: "연산역", NameEn: "Yeonsan Station", Kind: guides.Station, Lat: 35.1858, Lon: 129.0815},
	{Ref: "st-deokcheon", NameKo: "덕천역", NameEn: "Deokcheon Station", Kind: guides.Station, Lat: 35.2103, Lon: 129.0055},
	{Ref: "st-hadan", NameKo: "하단역", NameEn: "Hadan Station", Kind: guides.Station, Lat: 35.1064, Lon: 128.9668},
	{Ref: "st-nampo", NameKo: "남포역", NameEn: "Nampo Station", Kind: guides.Station, Lat: 35.0979, Lon: 129.0346},
	{Ref: "mk-jagalchi", NameKo: "자갈치시장", NameEn: "Jagalchi Market", Kind: guides.Market, Lat: 35.0967, Lon: 129.0305},
	{Ref: "mk-gukje", NameKo: "국제시장", NameEn: "Gukje Market", Kind: guides.Market, Lat: 35.1009, Lon: 129.0277},
	{Ref: "mk-bujeon", NameKo: "부전시장", NameEn: "Bujeon Market", Kind: guides.Market, Lat: 35.1621, Lon: 129.0614},
	{Ref: "mk-gupo", NameKo: "구포시장", NameEn: "Gupo Market", Kind: guides.Market, Lat: 35.2097, Lon: 128.9985},
	{Ref: "mk-dongnae", NameKo: "동래시장", NameEn: "Dongnae Market", Kind: guides.Market, Lat: 35.2052, Lon: 129.0855},
	{Ref: "mk-haeundae", NameKo: "해운대시장", NameEn: "Haeundae Market", Kind: guides.Market, Lat: 35.1620, Lon: 129.1627},
}

// demoGuides is how many digital guides the demo city has; the programme
// sends a hundred across the whole city, the demo a district's worth.
const demoGuides = 12

// OpenGuides sends the demo city's digital guides out: the spots where
// seniors gather (its senior centres and parks, and Busan's stations and
// markets) with their expected people, guide accounts beside the demo's
// "guide", their areas and shifts, confirmed patrols and eight weeks of
// help given, in one transaction.
func OpenGuides(ctx context.Context, d *db.DB, pl *places.Service, gd *guides.Service, seed int64, now time.Time) (guides.DemoResult, error) {
	var cands []guides.Candidate
	zones, err := pl.Zones(ctx)
	if err != nil {
		return guides.DemoResult{}, err
	}
	for _, z := range zones {
		fs, err := pl.FacilitiesIn(ctx, z.Code)
		if err != nil {
			return guides.DemoResult{}, err
		}
		for _, f := range fs {
			kind := map[string]string{"senior": guides.SeniorCentre, "park": guides.Park}[f.Category]
			if kind != "" {
				cands = append(cands, guides.Candidate{Ref: "fac-" + f.Ref, NameKo: f.NameKo, NameEn: f.NameEn, Kind: kind, Lat: f.At.Lat, Lon: f.At.Lon, Zone: f.Zone})
			}
		}
	}
	for _, c := range busanSpots {
		// A station's zone is that of the facility nearest it.
		near, err := pl.Nearest(ctx, places.Query{From: places.Point{Lat: c.Lat, Lon: c.Lon}, Limit: 1})
		if err != nil {
			return guides.DemoResult{}, err
		}
		if len(near) > 0 {
			c.Zone = near[0].Zone
		}
		cands = append(cands, c)
	}
	users := auth.NewUsers(d)
	first, err := users.ByUsername(ctx, "guide")
	if err != nil {
		return guides.DemoResult{}, fmt.Errorf("the demo guide: %w", err)
	}
	staff, err := CentreStaff(ctx, d)
	if err != nil {
		return guides.DemoResult{}, err
	}
	var res guides.DemoResult
	err = d.Tx(staff, func(tx *sql.Tx) error {
		accounts := []guides.Account{{ID: first.ID, Name: first.Name}}
		rng := rand.New(rand.NewPCG(uint64(seed), 13))
		people := People(seed+13, demoGuides, now)
		for i := 2; i <= demoGuides; i++ {
			name := people[i-1].Name + " 안내사 (시연)"
			u, err := users.CreateTx(staff, tx, auth.NewUser{Role: actor.Guide, Username: fmt.Sprintf("guide%d", i), Name: name,
				Password: auth.RandomPassword(), Demo: true})
			if err != nil {
				return err
			}
			accounts = append(accounts, guides.Account{ID: u.ID, Name: u.Name})
		}
		res, err = gd.SeedDemo(staff, tx, rng, guides.Demo{Candidates: cands, Guides: accounts, Days: guides.DemoDays(now, -56, 13)})
		return err
	})
	return res, err
}
