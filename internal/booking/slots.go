package booking

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/reserve"
)

// Slot is one start time of a resource. Slots nobody has booked yet exist
// only here, with nothing taken.
type Slot struct {
	ID         int64 // 0 until first booked
	ResourceID int64
	StartsAt   time.Time
	EndsAt     time.Time
	Capacity   int
	Taken      int
	DrawAt     time.Time // lottery: when applications close
	DrawnAt    time.Time
}

// Free is how many places are left.
func (s Slot) Free() int { return max(s.Capacity-s.Taken, 0) }

// Applying reports whether the slot takes lottery applications at now.
func (s Slot) Applying(now time.Time) bool {
	return !s.DrawAt.IsZero() && s.DrawnAt.IsZero() && now.Before(s.DrawAt)
}

// cityDay is the start of t's day in the city.
func cityDay(t time.Time) time.Time {
	y, m, d := t.In(i18n.Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, i18n.Zone)
}

// WeekStart is the Monday 00:00 (city time) of t's week.
func WeekStart(t time.Time) time.Time {
	d := cityDay(t)
	return d.AddDate(0, 0, -(int(d.Weekday())+6)%7)
}

// monthOf is the first and the day after the last of t's month (city time).
func monthOf(t time.Time) (time.Time, time.Time) {
	c := t.In(i18n.Zone)
	from := time.Date(c.Year(), c.Month(), 1, 0, 0, 0, 0, i18n.Zone)
	return from, from.AddDate(0, 1, 0)
}

// DrawTime is when the resource's lottery slot starting at start is drawn:
// DrawDays days before its day, at DrawHour (city time).
func (r Resource) DrawTime(start time.Time) time.Time {
	return cityDay(start).AddDate(0, 0, -r.DrawDays).Add(time.Duration(r.DrawHour) * time.Hour)
}

// onBoundary reports whether t starts a slot of r: slots line up from the
// city's midnight, on the whole minute.
func (r Resource) onBoundary(t time.Time) bool {
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return false
	}
	return int(t.Sub(cityDay(t))/time.Minute)%r.SlotMinutes == 0
}

// lastDay is the first moment a slot is too far ahead to book at now.
func (r Resource) lastDay(now time.Time) time.Time {
	return cityDay(now).AddDate(0, 0, r.DaysAhead+1)
}

// checkTime refuses a start time that is not a bookable slot of r.
func (r Resource) checkTime(h places.Hours, start, now time.Time) error {
	switch {
	case !r.onBoundary(start):
		return errs.Field("at", "booking.not_on_boundary", r.SlotMinutes)
	case !now.Before(start):
		return errs.New(errs.Conflict, "booking.past")
	case !start.Before(r.lastDay(now)):
		return errs.New(errs.Conflict, "booking.too_far", r.DaysAhead)
	case !h.Covers(start, start.Add(r.SlotLength())):
		return errs.New(errs.Conflict, "booking.outside_hours")
	}
	return nil
}

// Day is one day of a week view with its open slots.
type Day struct {
	Date  time.Time
	Slots []Slot
}

// Week lists the slots of a resource in the week starting at from (a
// Monday, city time) that are still ahead and within reach: the days the
// resource is open, each slot with what is left.
func (s *Service) Week(ctx context.Context, res Resource, from time.Time) ([]Day, error) {
	f, err := s.facilities.Facility(ctx, res.FacilityID)
	if err != nil {
		return nil, err
	}
	from = WeekStart(from)
	to := from.AddDate(0, 0, 7)
	rows, err := s.db.Query(ctx, `SELECT id, starts_at, capacity, taken, draw_at, drawn_at FROM booking_slots
		WHERE resource_id = $1 AND starts_at >= $2 AND starts_at < $3`, res.ID, db.Time(from), db.Time(to))
	stored, err := db.Collect(rows, err, func(sc db.Scanner) (Slot, error) {
		var sl Slot
		var draw, drawn sql.NullTime
		err := sc.Scan(&sl.ID, &sl.StartsAt, &sl.Capacity, &sl.Taken, &draw, &drawn)
		sl.DrawAt, sl.DrawnAt = draw.Time, drawn.Time
		return sl, err
	})
	if err != nil {
		return nil, err
	}
	byStart := make(map[int64]Slot, len(stored))
	for _, sl := range stored {
		byStart[sl.StartsAt.Unix()] = sl
	}
	h := res.hours(f)
	now, last, step := s.Now(), res.lastDay(s.Now()), res.SlotLength()
	var days []Day
	for d := 0; d < 7; d++ {
		day := Day{Date: from.AddDate(0, 0, d)}
		end := day.Date.AddDate(0, 0, 1)
		for t := day.Date; t.Before(end); t = t.Add(step) {
			if !now.Before(t) || !t.Before(last) || !h.Covers(t, t.Add(step)) {
				continue
			}
			sl, ok := byStart[t.Unix()]
			if !ok {
				sl = Slot{Capacity: res.Capacity}
				if res.Allocation == Lottery {
					sl.DrawAt = res.DrawTime(t)
				}
			}
			sl.ResourceID, sl.StartsAt, sl.EndsAt = res.ID, t, t.Add(step)
			day.Slots = append(day.Slots, sl)
		}
		if len(day.Slots) > 0 {
			days = append(days, day)
		}
	}
	return days, nil
}

// lockedSlot is a slot's state read under its row lock.
type lockedSlot struct {
	reserve.Pool
	resourceID      int64
	starts          time.Time
	drawAt, drawnAt sql.NullTime
}

func (l lockedSlot) lotteryOpen() bool { return l.drawAt.Valid && !l.drawnAt.Valid }

const lockedCols = `resource_id, starts_at, draw_at, drawn_at`

func (l *lockedSlot) dest() []any { return []any{&l.resourceID, &l.starts, &l.drawAt, &l.drawnAt} }

// lockSlotWhere takes the row lock of the slot where selects, bumping its
// queue counter.
func (s *Service) lockSlotWhere(ctx context.Context, tx *sql.Tx, where string, args ...any) (l lockedSlot, err error) {
	l.Pool, err = s.places.Lock(ctx, tx, where, args, lockedCols, l.dest()...)
	return l, err
}

// lockSlot takes a slot's row lock.
func (s *Service) lockSlot(ctx context.Context, tx *sql.Tx, id int64) (lockedSlot, error) {
	return s.lockSlotWhere(ctx, tx, "id = $1", id)
}

// drawState is where the slot's lottery stands at now, if it has one.
func (l lockedSlot) drawState(now time.Time) reserve.DrawState {
	switch {
	case !l.lotteryOpen():
		return reserve.NoDraw
	case now.Before(l.drawAt.Time):
		return reserve.DrawOpen
	}
	return reserve.DrawClosed
}
