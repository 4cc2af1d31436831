package demo

import (
	"context"
	"fmt"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/board"
	"github.com/maeul/maeul/internal/booking"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/places"
)

// CentreStaff is the demo centre admin, acting online: who opens the demo
// facilities' rooms for booking and writes the zones' news.
func CentreStaff(ctx context.Context, d *db.DB) (context.Context, error) {
	admin, err := auth.NewUsers(d).ByUsername(ctx, "centre")
	if err != nil {
		return ctx, fmt.Errorf("the demo centre admin: %w", err)
	}
	return actor.With(ctx, &actor.Actor{Person: actor.Person{ID: admin.ID, Name: admin.Name, Role: actor.CentreAdmin}, Channel: actor.Online}), nil
}

// demoResources are what each kind of demo facility lends: a senior
// centre's programme room booked whole by the hour, a sports centre's
// table-tennis tables for up to four, a library's study room by lottery.
var demoResources = map[string][]booking.Resource{
	"senior": {{Kind: "room", NameKo: "프로그램실", NameEn: "Programme room", Capacity: 1, MaxParty: 1, SlotMinutes: 60, DaysAhead: 14, WeeklyLimit: 2,
		Eligibility: booking.Everyone, Allocation: booking.FirstCome, Active: true}},
	"community": {{Kind: "room", NameKo: "주민 회의실", NameEn: "Residents' meeting room", Capacity: 1, MaxParty: 1, SlotMinutes: 120, DaysAhead: 30, WeeklyLimit: 1,
		Eligibility: booking.Everyone, Allocation: booking.FirstCome, Approval: true, Active: true}},
	"sports": {{Kind: "court", NameKo: "탁구대", NameEn: "Table-tennis table", Capacity: 4, MaxParty: 4, SlotMinutes: 60, DaysAhead: 7, WeeklyLimit: 3,
		Eligibility: booking.Everyone, Allocation: booking.FirstCome, Active: true}},
	"library": {{Kind: "room", NameKo: "스터디룸", NameEn: "Study room", Capacity: 1, MaxParty: 1, SlotMinutes: 180, DaysAhead: 7, WeeklyLimit: 2,
		Eligibility: booking.Everyone, Allocation: booking.Lottery, MonthlyWins: 4, DrawDays: 1, DrawHour: 18, Active: true}},
}

// OpenBooking opens the demo facilities' rooms, courts and equipment for
// booking, and writes each zone a first piece of news.
func OpenBooking(ctx context.Context, d *db.DB, pl *places.Service, bk *booking.Service, bd *board.Service) (resources, news int, err error) {
	staff, err := CentreStaff(ctx, d)
	if err != nil {
		return 0, 0, err
	}
	zones, err := pl.Zones(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, z := range zones {
		fs, err := pl.FacilitiesIn(ctx, z.Code)
		if err != nil {
			return 0, 0, err
		}
		for _, f := range fs {
			for _, r := range demoResources[f.Category] {
				r.FacilityID = f.ID
				if _, err := bk.SaveResource(staff, r); err != nil {
					return 0, 0, fmt.Errorf("demo resource at %s: %w", f.Ref, err)
				}
				resources++
			}
		}
		if _, err := bd.SaveNews(staff, 0, board.NewsInput{Zone: z.Code, Published: true, Pinned: true,
			Title: z.NameKo + " 게시판을 엽니다 (시연)",
			Body:  "이웃과 동네 소식을 나누는 곳입니다.\n서로 존중해 주세요. 개인정보(전화번호, 주소)는 올리지 마세요.\n\n이 글은 시연용입니다."}); err != nil {
			return 0, 0, fmt.Errorf("demo news in %s: %w", z.Code, err)
		}
		news++
	}
	return resources, news, nil
}
