package booking

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/places"
)

// Kinds of resource.
var Kinds = []string{"room", "court", "equipment"}

// Who may book a resource.
const (
	Everyone  = "everyone"
	Residents = "residents" // of the facility's district
	Seniors   = "seniors"   // 65 and over
)

// Eligibilities lists the choices in the order the form shows them.
var Eligibilities = []string{Everyone, Residents, Seniors}

// Allocations of a slot's places.
const (
	FirstCome = "first_come"
	Lottery   = "lottery"
)

// SeniorAge is the age from which a citizen counts as a senior, by year
// of birth: those turning 65 this year count.
const SeniorAge = 65

// Default draw time of a lottery: the day before the slot, at 18:00.
const (
	DefaultDrawDays = 1
	DefaultDrawHour = 18
)

// SlotLengths are the slot lengths staff may choose, in minutes: each
// divides the day, so slots line up from midnight.
var SlotLengths = []int{15, 20, 30, 45, 60, 90, 120, 180, 240}

// Limits of a resource's fields.
const (
	MaxName     = 100
	MaxCapacity = 500
	MaxDays     = 90
	MaxWeekly   = 50
)

// Resource is a facility's bookable room, court or equipment with the
// rules of its booking.
type Resource struct {
	ID          int64
	FacilityID  int64
	Kind        string
	NameKo      string
	NameEn      string
	Capacity    int // places per slot: people or units
	MaxParty    int // most places one booking may take
	SlotMinutes int
	HoursText   string // "" means the facility's hours
	DaysAhead   int    // how many days ahead a slot may be booked
	WeeklyLimit int    // bookings held or awaited per person per week (Monday to Sunday); 0: no limit
	Eligibility string
	Approval    bool // staff approve each booking
	Allocation  string
	MonthlyWins int // lottery: wins per person per month; 0: no limit
	DrawDays    int // lottery: applications close this many days before the slot's day…
	DrawHour    int // …at this hour, city time (by default the day before at 18:00)
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Name is the resource's name in lang.
func (r Resource) Name(lang string) string { return i18n.For(lang).Pick(r.NameKo, r.NameEn) }

// SlotLength is the length of one slot.
func (r Resource) SlotLength() time.Duration { return time.Duration(r.SlotMinutes) * time.Minute }

// hours are the resource's opening hours: its own, or else the facility's.
func (r Resource) hours(f places.Facility) places.Hours {
	if r.HoursText != "" {
		if h, err := places.ParseHours(r.HoursText); err == nil {
			return h
		}
	}
	return f.Hours
}

// validate checks and normalises a resource; the error names the field.
func (r *Resource) validate() error {
	r.NameKo = strings.TrimSpace(r.NameKo)
	r.NameEn = strings.TrimSpace(r.NameEn)
	r.HoursText = strings.TrimSpace(r.HoursText)
	switch {
	case r.FacilityID <= 0:
		return errs.Field("facility_id", "booking.facility_required")
	case !slices.Contains(Kinds, r.Kind):
		return errs.Field("kind", "booking.kind_invalid")
	case r.NameKo == "":
		return errs.Field("name_ko", "booking.name_required")
	case utf8.RuneCountInString(r.NameKo) > MaxName:
		return errs.Field("name_ko", "booking.name_too_long", MaxName)
	case utf8.RuneCountInString(r.NameEn) > MaxName:
		return errs.Field("name_en", "booking.name_too_long", MaxName)
	case r.Capacity < 1 || r.Capacity > MaxCapacity:
		return errs.Field("capacity", "booking.capacity_invalid", MaxCapacity)
	case r.MaxParty < 1 || r.MaxParty > r.Capacity:
		return errs.Field("max_party", "booking.max_party_invalid", r.Capacity)
	case !slices.Contains(SlotLengths, r.SlotMinutes):
		return errs.Field("slot_minutes", "booking.slot_minutes_invalid")
	case r.DaysAhead < 1 || r.DaysAhead > MaxDays:
		return errs.Field("days_ahead", "booking.days_ahead_invalid", MaxDays)
	case r.WeeklyLimit < 0 || r.WeeklyLimit > MaxWeekly:
		return errs.Field("weekly_limit", "booking.weekly_limit_invalid", MaxWeekly)
	case !slices.Contains(Eligibilities, r.Eligibility):
		return errs.Field("eligibility", "booking.eligibility_invalid")
	case r.Allocation != FirstCome && r.Allocation != Lottery:
		return errs.Field("allocation", "booking.allocation_invalid")
	case r.MonthlyWins < 0 || r.MonthlyWins > 31:
		return errs.Field("monthly_wins", "booking.monthly_wins_invalid")
	case r.Allocation == Lottery && (r.DrawDays < 1 || r.DrawDays > 14):
		return errs.Field("draw_days", "booking.draw_days_invalid")
	case r.Allocation == Lottery && (r.DrawHour < 0 || r.DrawHour > 23):
		return errs.Field("draw_hour", "booking.draw_hour_invalid")
	}
	if r.HoursText != "" {
		if _, err := places.ParseHours(r.HoursText); err != nil {
			return errs.Field("hours", "booking.hours_invalid")
		}
	}
	if r.NameEn == "" {
		r.NameEn = r.NameKo
	}
	if r.Allocation == FirstCome {
		r.MonthlyWins, r.DrawDays, r.DrawHour = 0, DefaultDrawDays, DefaultDrawHour
	}
	return nil
}

const resourceCols = `id, facility_id, kind, name_ko, name_en, capacity, max_party, slot_minutes, hours, days_ahead, weekly_limit,
	eligibility, approval, allocation, monthly_wins, draw_days, draw_hour, active, created_at, updated_at`

func scanResource(row db.Scanner) (Resource, error) {
	var r Resource
	err := row.Scan(&r.ID, &r.FacilityID, &r.Kind, &r.NameKo, &r.NameEn, &r.Capacity, &r.MaxParty, &r.SlotMinutes, &r.HoursText,
		&r.DaysAhead, &r.WeeklyLimit, &r.Eligibility, &r.Approval, &r.Allocation, &r.MonthlyWins, &r.DrawDays, &r.DrawHour, &r.Active, &r.CreatedAt, &r.UpdatedAt)
	return r, db.NotFound(err, "booking.resource_not_found")
}

// SaveResource creates a resource (ID 0) or changes one; only centre
// staff may. A change of capacity reaches the future slots already
// materialised, except those holding more than the new capacity.
func (s *Service) SaveResource(ctx context.Context, r Resource) (Resource, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return r, err
	}
	if err := r.validate(); err != nil {
		return r, err
	}
	if _, err := s.facilities.Facility(ctx, r.FacilityID); err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return r, errs.Field("facility_id", "booking.facility_not_found")
		}
		return r, err
	}
	now := db.Time(s.Now())
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		action := "booking_resource.update"
		if r.ID == 0 {
			action = "booking_resource.create"
			r.CreatedAt = now
			err := tx.QueryRowContext(ctx, `INSERT INTO booking_resources (facility_id, kind, name_ko, name_en, capacity, max_party, slot_minutes,
				hours, days_ahead, weekly_limit, eligibility, approval, allocation, monthly_wins, draw_days, draw_hour, active, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
				r.FacilityID, r.Kind, r.NameKo, r.NameEn, r.Capacity, r.MaxParty, r.SlotMinutes, r.HoursText, r.DaysAhead, r.WeeklyLimit,
				r.Eligibility, r.Approval, r.Allocation, r.MonthlyWins, r.DrawDays, r.DrawHour, r.Active, now).Scan(&r.ID)
			if err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE booking_resources SET facility_id = $1, kind = $2, name_ko = $3, name_en = $4, capacity = $5,
				max_party = $6, slot_minutes = $7, hours = $8, days_ahead = $9, weekly_limit = $10, eligibility = $11, approval = $12,
				allocation = $13, monthly_wins = $14, draw_days = $15, draw_hour = $16, active = $17, updated_at = $18 WHERE id = $19`,
				r.FacilityID, r.Kind, r.NameKo, r.NameEn, r.Capacity, r.MaxParty, r.SlotMinutes, r.HoursText, r.DaysAhead, r.WeeklyLimit,
				r.Eligibility, r.Approval, r.Allocation, r.MonthlyWins, r.DrawDays, r.DrawHour, r.Active, now, r.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err == nil {
					err = errs.New(errs.NotFound, "booking.resource_not_found")
				}
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE booking_slots SET capacity = $1 WHERE resource_id = $2 AND starts_at > $3 AND taken <= $1`,
				r.Capacity, r.ID, now); err != nil {
				return err
			}
		}
		r.UpdatedAt = now
		return audit.Record(ctx, tx, audit.Entry{Action: action, SubjectType: "booking_resource", SubjectID: r.ID})
	})
	return r, err
}

// Resource returns one resource.
func (s *Service) Resource(ctx context.Context, id int64) (Resource, error) {
	return scanResource(s.db.QueryRow(ctx, `SELECT `+resourceCols+` FROM booking_resources WHERE id = $1`, id))
}

// ResourcesOf lists a facility's resources by kind and name; inactive
// ones only when asked for (the staff's list).
func (s *Service) ResourcesOf(ctx context.Context, facilityID int64, inactive bool) ([]Resource, error) {
	rows, err := s.db.Query(ctx, `SELECT `+resourceCols+` FROM booking_resources WHERE facility_id = $1 AND (active OR $2)
		ORDER BY kind, name_ko, id`, facilityID, inactive)
	return db.Collect(rows, err, scanResource)
}

// Resources lists every resource, by facility, kind and name; inactive
// ones only when asked for.
func (s *Service) Resources(ctx context.Context, inactive bool) ([]Resource, error) {
	rows, err := s.db.Query(ctx, `SELECT `+resourceCols+` FROM booking_resources WHERE active OR $1
		ORDER BY facility_id, kind, name_ko, id LIMIT 2000`, inactive)
	return db.Collect(rows, err, scanResource)
}
