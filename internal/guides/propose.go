package guides

import (
	"cmp"
	"slices"
	"time"
)

// SecondGuideNeed is the need at which a spot may take a second guide in
// the same hour: a crowd that one person cannot help alone. The second
// guide's share counts half, so it goes there only when nothing else in
// their area needs them more.
const SecondGuideNeed = 400

// NearM is how close a citizen's request must be to a spot to raise its
// need: a few minutes' walk for an older person.
const NearM = 500

// RecentDays is how far back requests raise a spot's need.
const RecentDays = 14

// MaxRequestsCounted bounds how much requests raise a spot's need: the
// public form asks no one's name, so a flood of requests from one hand
// must not send every guide to one spot.
const MaxRequestsCounted = 3

// Visit is a guide at a spot for an hour of a plan.
type Visit struct {
	GuideID   int64
	GuideName string
	Hour      int
	HotspotID int64
	Need      int64
}

// PlanInput is what a proposal is computed from.
type PlanInput struct {
	Day      time.Time // the day, in the city
	Hotspots []Hotspot
	Guides   []Guide
	Shifts   []Shift
	// Requests are the recent requests near each spot, by hotspot id.
	Requests map[int64]int
}

// Need is a spot's need in an hour of the day: the people expected, more
// where citizens have asked for help nearby.
func (in *PlanInput) Need(h Hotspot, hour int) int64 {
	return int64(h.Profile[Weekday(in.Day)][hour]) * int64(1+min(in.Requests[h.ID], MaxRequestsCounted))
}

// Propose assigns each guide on shift a spot for each hour: per hour,
// the (guide, spot) pairs in order of need, each guide once and each spot
// once — twice when its need reaches SecondGuideNeed, the second counting
// half. Ties go to the lower hotspot and guide ids, so the same input
// always gives the same plan. A guide whose area needs nobody that hour
// gets no visit.
func Propose(in PlanInput) []Visit {
	byID := make(map[int64]Hotspot, len(in.Hotspots))
	for _, h := range in.Hotspots {
		byID[h.ID] = h
	}
	guides := map[int64]Guide{}
	for _, g := range in.Guides {
		if g.Active {
			guides[g.UserID] = g
		}
	}
	// covered[guide] is the hotspots of the guide's area, computed once.
	covered := map[int64][]Hotspot{}
	for id, g := range guides {
		home := byID[g.Area.Home]
		for _, h := range in.Hotspots {
			if g.Area.Covers(h, home) {
				covered[id] = append(covered[id], h)
			}
		}
	}
	type option struct {
		value   int64
		need    int64
		hotspot int64
		slot    int
		guide   int64
	}
	var out []Visit
	for hour := range 24 {
		var onDuty []int64
		for _, sh := range in.Shifts {
			if _, ok := guides[sh.GuideID]; ok && sh.Covers(hour) && !slices.Contains(onDuty, sh.GuideID) {
				onDuty = append(onDuty, sh.GuideID)
			}
		}
		var opts []option
		for _, g := range onDuty {
			for _, h := range covered[g] {
				need := in.Need(h, hour)
				if need <= 0 {
					continue
				}
				opts = append(opts, option{value: need, need: need, hotspot: h.ID, slot: 0, guide: g})
				if need >= SecondGuideNeed {
					opts = append(opts, option{value: need / 2, need: need, hotspot: h.ID, slot: 1, guide: g})
				}
			}
		}
		slices.SortFunc(opts, func(a, b option) int {
			return cmp.Or(cmp.Compare(b.value, a.value), cmp.Compare(a.hotspot, b.hotspot), cmp.Compare(a.slot, b.slot), cmp.Compare(a.guide, b.guide))
		})
		taken := map[int64]int{}
		busy := map[int64]bool{}
		for _, o := range opts {
			if busy[o.guide] || taken[o.hotspot] != o.slot {
				continue
			}
			busy[o.guide] = true
			taken[o.hotspot]++
			out = append(out, Visit{GuideID: o.guide, GuideName: guides[o.guide].Name, Hour: hour, HotspotID: o.hotspot, Need: o.need})
		}
	}
	slices.SortFunc(out, func(a, b Visit) int {
		return cmp.Or(cmp.Compare(a.Hour, b.Hour), cmp.Compare(a.GuideName, b.GuideName), cmp.Compare(a.GuideID, b.GuideID))
	})
	return out
}

// NearbyRequests spreads request counts by hotspot to every hotspot
// within NearM of them.
func NearbyRequests(hs []Hotspot, at map[int64]int) map[int64]int {
	out := map[int64]int{}
	for _, h := range hs {
		for _, o := range hs {
			if n := at[o.ID]; n > 0 && (o.ID == h.ID || h.At.Metres(o.At) <= NearM) {
				out[h.ID] += n
			}
		}
	}
	return out
}
