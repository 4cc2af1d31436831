package guides

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// spot makes a hotspot expecting people[hour] on Mondays.
func spot(id int64, zone string, people map[int]int) Hotspot {
	h := Hotspot{ID: id, Ref: fmt.Sprint("h", id), NameKo: fmt.Sprint("장소", id), Kind: Other, Zone: zone}
	for hour, n := range people {
		h.Profile[0][hour] = n
	}
	return h
}

func onDuty(id int64, zones ...string) Guide {
	return Guide{UserID: id, Name: fmt.Sprint("안내사", id), Area: Area{Zones: zones}, Active: true}
}

func TestProposeSendsEachGuideToTheNeediestFreeSpot(t *testing.T) {
	t.Parallel()
	in := PlanInput{Day: monday,
		Hotspots: []Hotspot{
			spot(1, "A", map[int]int{10: 50}),
			spot(2, "A", map[int]int{10: 120}),
			spot(3, "A", map[int]int{10: 80}),
			spot(4, "B", map[int]int{10: 300}),
			spot(5, "A", map[int]int{10: 30}),
		},
		Guides: []Guide{onDuty(10, "A"), onDuty(11, "A"), onDuty(12, "A", "B")},
		Shifts: []Shift{{GuideID: 10, Start: 9, End: 12}, {GuideID: 11, Start: 10, End: 11}, {GuideID: 12, Start: 10, End: 11}},
	}
	got := map[int64]int64{}
	for _, v := range Propose(in) {
		if v.Hour != 10 {
			t.Fatalf("a visit at %d h, when only 10 h expects anyone: %+v", v.Hour, v)
		}
		got[v.GuideID] = v.HotspotID
	}
	// Guide 12 covers B, whose 300 people come first; then 120 and 80 in A.
	want := map[int64]int64{12: 4, 10: 2, 11: 3}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("visits %v, want %v", got, want)
	}

	// A citizen's requests near spot 1 make it the neediest in A:
	// 50 × (1 + 2) = 150 > 120.
	in.Requests = map[int64]int{1: 2}
	got = map[int64]int64{}
	for _, v := range Propose(in) {
		got[v.GuideID] = v.HotspotID
	}
	if want := map[int64]int64{12: 4, 10: 1, 11: 2}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("with requests: visits %v, want %v", got, want)
	}

	// A flood of requests at the quietest spot counts as a few: 30 × (1 +
	// 3) = 120 does not beat spot 1's 150 or, on its id, spot 2's 120.
	in.Requests = map[int64]int{1: 2, 5: 10000}
	got = map[int64]int64{}
	for _, v := range Propose(in) {
		got[v.GuideID] = v.HotspotID
	}
	if want := map[int64]int64{12: 4, 10: 1, 11: 2}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("with a flood of requests: visits %v, want %v", got, want)
	}
}

func TestProposeDoublesOnlyWhereVeryCrowded(t *testing.T) {
	t.Parallel()
	in := PlanInput{Day: monday,
		Hotspots: []Hotspot{spot(1, "A", map[int]int{8: 1000, 9: SecondGuideNeed - 1}), spot(2, "A", map[int]int{8: 100, 9: 100})},
		Guides:   []Guide{onDuty(10, "A"), onDuty(11, "A"), onDuty(12, "A")},
		Shifts:   []Shift{{GuideID: 10, Start: 8, End: 10}, {GuideID: 11, Start: 8, End: 10}, {GuideID: 12, Start: 8, End: 10}},
	}
	at := map[int]map[int64]int{8: {}, 9: {}}
	for _, v := range Propose(in) {
		at[v.Hour][v.HotspotID]++
	}
	// 8 h: 1000 people take two guides (the second counts 500 > 100), the
	// third goes to spot 2; never three at one spot.
	if at[8][1] != 2 || at[8][2] != 1 {
		t.Errorf("8 h: %v", at[8])
	}
	// 9 h: just under the threshold: one guide each, the third has nowhere.
	if at[9][1] != 1 || at[9][2] != 1 {
		t.Errorf("9 h: %v", at[9])
	}
}

func TestProposeKeepsToTheArea(t *testing.T) {
	t.Parallel()
	home := spot(1, "", map[int]int{10: 10})
	home.At = Point{35.1578, 129.0599}
	near := spot(2, "", map[int]int{10: 20})
	near.At = Point{35.1600, 129.0620} // about 300 m
	far := spot(3, "", map[int]int{10: 900})
	far.At = Point{35.2000, 129.1000} // about 6 km
	in := PlanInput{Day: monday, Hotspots: []Hotspot{home, near, far},
		Guides: []Guide{{UserID: 10, Name: "가", Active: true, Area: Area{Home: 1, RadiusM: 1000}}, {UserID: 11, Name: "나", Active: false}},
		Shifts: []Shift{{GuideID: 10, Start: 10, End: 11}, {GuideID: 11, Start: 10, End: 11}}}
	vs := Propose(in)
	if len(vs) != 1 || vs[0].GuideID != 10 || vs[0].HotspotID != 2 || vs[0].Need != 20 {
		t.Errorf("visits %+v: want guide 10 at the nearby spot, the inactive guide nowhere", vs)
	}
}

// The properties of every proposal, on random cities: no guide is sent
// to a spot while a needier one in their area goes unvisited, no spot
// takes a second guide below SecondGuideNeed nor a third ever, a guide
// is at one spot an hour and only on shift; and the same input gives the
// same plan.
func TestProposeProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	zones := []string{"A", "B", "C"}
	for round := range 300 {
		var in PlanInput
		in.Day = monday
		for i := range 2 + rng.IntN(12) {
			h := spot(int64(i+1), zones[rng.IntN(3)], nil)
			for hour := range 24 {
				if rng.IntN(3) > 0 {
					h.Profile[0][hour] = rng.IntN(700)
				}
			}
			in.Hotspots = append(in.Hotspots, h)
		}
		in.Requests = map[int64]int{int64(1 + rng.IntN(len(in.Hotspots))): rng.IntN(3)}
		for g := range 1 + rng.IntN(8) {
			id := int64(100 + g)
			var area []string
			for _, z := range zones {
				if rng.IntN(2) == 0 {
					area = append(area, z)
				}
			}
			in.Guides = append(in.Guides, onDuty(id, area...))
			start := rng.IntN(20)
			in.Shifts = append(in.Shifts, Shift{GuideID: id, Start: start, End: start + 1 + rng.IntN(24-start)})
		}
		vs := Propose(in)
		if again := Propose(in); !slices.Equal(vs, again) {
			t.Fatalf("round %d: two proposals differ", round)
		}
		for hour := range 24 {
			at := map[int64][]Visit{}
			guideAt := map[int64]bool{}
			for _, v := range vs {
				if v.Hour != hour {
					continue
				}
				if guideAt[v.GuideID] {
					t.Fatalf("round %d, %d h: guide %d twice", round, hour, v.GuideID)
				}
				guideAt[v.GuideID] = true
				at[v.HotspotID] = append(at[v.HotspotID], v)
			}
			for id, here := range at {
				need := in.Need(in.Hotspots[id-1], hour)
				if len(here) > 2 || (len(here) == 2 && need < SecondGuideNeed) {
					t.Fatalf("round %d, %d h: %d guides at spot %d of need %d", round, hour, len(here), id, need)
				}
			}
			for _, g := range in.Guides {
				onShift := false
				for _, sh := range in.Shifts {
					onShift = onShift || (sh.GuideID == g.UserID && sh.Covers(hour))
				}
				mine := int64(-1)
				for _, v := range vs {
					if v.Hour == hour && v.GuideID == g.UserID {
						mine = v.Need
						if !onShift || !g.Area.Covers(in.Hotspots[v.HotspotID-1], Hotspot{}) {
							t.Fatalf("round %d, %d h: guide %d sent off shift or out of area", round, hour, g.UserID)
						}
					}
				}
				if !onShift {
					continue
				}
				for _, h := range in.Hotspots {
					need := in.Need(h, hour)
					if g.Area.Covers(h, Hotspot{}) && len(at[h.ID]) == 0 && need > max(mine, 0) {
						t.Fatalf("round %d, %d h: guide %d sent to need %d while spot %d of need %d in their area had nobody", round, hour, g.UserID, mine, h.ID, need)
					}
				}
			}
		}
	}
}
