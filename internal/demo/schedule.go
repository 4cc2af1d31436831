package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/maeul/maeul/internal/learn"
)

const (
	upcomingSessions = 300
	pastSessions     = 150
)

// sessions spreads classes over the coming three months (and the three
// before, so statistics have a history) on weekdays, mornings and
// afternoons, at the hubs and district centres. The busiest ones at the
// hubs are allocated by lottery.
func sessions(rng *rand.Rand, now time.Time, venues []learn.Venue, courses []learn.Course, tutors []int64) []learn.SeedSession {
	var places []learn.Venue
	for _, v := range venues {
		if v.Kind == "hub" || v.Kind == "district_centre" {
			places = append(places, v)
		}
	}
	var out []learn.SeedSession
	add := func(i, dayOffset int) {
		d := day(now, dayOffset)
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, 1)
		}
		start := d.Add(10 * time.Hour)
		if rng.IntN(2) == 1 {
			start = d.Add(14 * time.Hour)
		}
		v := places[rng.IntN(len(places))]
		c := courses[rng.IntN(len(courses))]
		capacity := 12 + rng.IntN(14)
		s := learn.SeedSession{CourseCode: c.Code, VenueSlug: v.Slug, NewSession: learn.NewSession{
			Code: fmt.Sprintf("DEMO-%04d", i), TutorID: tutors[rng.IntN(len(tutors))],
			StartsAt: start, EndsAt: start.Add(2 * time.Hour), Capacity: capacity, Demo: true,
		}}
		if v.Kind == "hub" && c.Theme == "ai" && dayOffset > 10 {
			s.Allocation = learn.Lottery
			s.LotteryClosesAt = start.AddDate(0, 0, -7)
		}
		out = append(out, s)
	}
	for i := 0; i < pastSessions; i++ {
		add(i, -1-rng.IntN(90))
	}
	for i := 0; i < upcomingSessions; i++ {
		add(pastSessions+i, 1+rng.IntN(90))
	}
	// The Information Culture Month lecture at the partner site.
	lecture := day(now, 21).Add(15 * time.Hour)
	out = append(out, learn.SeedSession{CourseCode: "AI-ETHICS", VenueSlug: "partner-shinhan-hakijae", NewSession: learn.NewSession{
		Code: "DEMO-LECTURE", StartsAt: lecture, EndsAt: lecture.Add(90 * time.Minute), Capacity: 120, Demo: true,
		AccessKo: "수어 통역과 문자 통역을 제공합니다.", AccessEn: "Sign-language and live captioning provided."}})
	return out
}

// registrations fills past sessions with attended learners (and some
// feedback) and upcoming ones partly, so every page has something to show.
func registrations(rng *rand.Rand, now time.Time, ss []learn.SeedSession, people []Person, ids map[string]int64) []learn.SeedRegistration {
	var out []learn.SeedRegistration
	comments := []string{"천천히 알려주셔서 좋았어요.", "다음에도 듣고 싶습니다.", "글씨가 더 컸으면 좋겠어요.", "", "", "Very patient tutor, thank you."}
	for _, s := range ss {
		if s.Allocation == learn.Lottery {
			continue // their applications are taken live, then drawn
		}
		past := s.StartsAt.Before(now)
		fill := s.Capacity * (3 + rng.IntN(8)) / 10
		if past {
			fill = s.Capacity * (7 + rng.IntN(4)) / 10
		}
		seen := map[int]bool{}
		for range fill {
			i := rng.IntN(len(people))
			if seen[i] {
				continue
			}
			seen[i] = true
			p := people[i]
			r := learn.SeedRegistration{SessionCode: s.Code, UserID: ids[p.Phone], Status: learn.Confirmed, Channel: "online",
				CreatedAt: s.StartsAt.AddDate(0, 0, -3-rng.IntN(20)), District: p.District,
				AgeGroup: learn.AgeGroup(p.BirthDate.Year(), s.StartsAt.Year()), Disability: p.Disability}
			if r.CreatedAt.After(now) {
				r.CreatedAt = now.Add(-time.Duration(1+rng.IntN(600)) * time.Minute)
			}
			if rng.IntN(4) == 0 {
				r.Channel = "phone"
			}
			if past && rng.IntN(100) < 88 {
				r.AttendedAt = s.StartsAt.Add(time.Duration(rng.IntN(10)) * time.Minute)
				if rng.IntN(3) == 0 {
					r.Rating = 3 + rng.IntN(3)
					r.Comment = comments[rng.IntN(len(comments))]
				}
			}
			out = append(out, r)
		}
	}
	return out
}
