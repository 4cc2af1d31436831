package booking

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// Item is one thing a citizen booked, in this part or another (a course's
// seat), as /my/bookings lists it. Status is shown as given, so it is
// text in the reader's language ("확정", "Confirmed"); URL is where its
// details are.
type Item struct {
	Title, Place     string
	StartsAt, EndsAt time.Time
	Status, URL      string
}

// myItem is a row of the citizen's list: an Item, with the booking when
// it is one of this part's, so the page can offer to cancel it.
type myItem struct {
	Item
	Booking *Booking
}

// myItems is the subject's bookings and what other parts report for them,
// one list sorted by start: upcoming (soonest first) and past or ended
// (latest first).
func (s *Service) myItems(ctx context.Context, lang string, others func(ctx context.Context, userID int64, lang string) ([]Item, error)) (upcoming, past []myItem, err error) {
	a := actor.From(ctx)
	if a == nil {
		return nil, nil, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	bs, err := s.Mine(ctx)
	if err != nil {
		return nil, nil, err
	}
	l := i18n.For(lang)
	facilities := map[int64]string{}
	var all []myItem
	for i := range bs {
		b := &bs[i]
		place, ok := facilities[b.Resource.FacilityID]
		if !ok {
			if f, err := s.facilities.Facility(ctx, b.Resource.FacilityID); err == nil {
				place = f.Name(l.Lang)
			} else if errs.CodeOf(err) != errs.NotFound {
				return nil, nil, err
			}
			facilities[b.Resource.FacilityID] = place
		}
		all = append(all, myItem{Item: Item{Title: b.Resource.Name(l.Lang), Place: place, StartsAt: b.StartsAt, EndsAt: b.EndsAt,
			Status: l.T("booking.status." + statusOf(*b)), URL: "/my/bookings/" + strconv.FormatInt(b.ID, 10)}, Booking: b})
	}
	if others != nil {
		items, err := others(ctx, a.Subject().ID, l.Lang)
		if err != nil {
			return nil, nil, err
		}
		for _, it := range items {
			all = append(all, myItem{Item: it})
		}
	}
	now := s.Now()
	for _, it := range all {
		end := it.EndsAt
		if end.IsZero() {
			end = it.StartsAt
		}
		if !now.Before(end) || (it.Booking != nil && !it.Booking.Active()) {
			past = append(past, it)
		} else {
			upcoming = append(upcoming, it)
		}
	}
	sort.SliceStable(upcoming, func(i, j int) bool { return upcoming[i].StartsAt.Before(upcoming[j].StartsAt) })
	sort.SliceStable(past, func(i, j int) bool { return past[i].StartsAt.After(past[j].StartsAt) })
	return upcoming, past, nil
}

// statusOf is the status a booking shows: checked in counts as its own.
func statusOf(b Booking) string {
	if !b.CheckedInAt.IsZero() {
		return "checked_in"
	}
	return b.Status
}
