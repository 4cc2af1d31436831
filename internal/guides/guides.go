package guides

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// Guide is a digital guide: an account holding the guide role, with the
// area they patrol.
type Guide struct {
	UserID int64
	Name   string
	Area   Area
	Active bool
}

// Area is where a guide patrols: the hotspots in some living zones, or
// within a radius of a home hotspot. An empty area is the whole city.
type Area struct {
	Zones   []string
	Home    int64 // a hotspot id; 0 with no radius
	RadiusM int
}

// MaxRadiusM bounds a guide's radius: beyond 20 km the area is the city.
const MaxRadiusM = 20000

// Covers reports whether h lies in the area; home is the home hotspot
// (ignored without one).
func (a Area) Covers(h Hotspot, home Hotspot) bool {
	switch {
	case len(a.Zones) > 0:
		return slices.Contains(a.Zones, h.Zone)
	case a.Home != 0:
		return h.ID == a.Home || home.At.Metres(h.At) <= float64(a.RadiusM)
	}
	return true
}

// GuideInput is what a coordinator sends for a guide.
type GuideInput struct {
	UserID  int64
	Name    string
	Zones   string // space- or comma-separated zone codes
	Home    int64
	RadiusM int
	Active  bool
}

func coordinator(ctx context.Context) (*actor.Actor, error) {
	return actor.Require(ctx, actor.CentreAdmin)
}

// staffOrGuide are the people who see the data map and the requests.
func staffOrGuide(ctx context.Context) (*actor.Actor, error) {
	return actor.Require(ctx, actor.CentreAdmin, actor.Guide)
}

func (in GuideInput) area() (Area, error) {
	a := Area{Zones: strings.FieldsFunc(in.Zones, func(r rune) bool { return r == ' ' || r == ',' || r == ';' }), Home: in.Home, RadiusM: in.RadiusM}
	switch {
	case len(a.Zones) > 0 && a.Home != 0:
		return a, errs.Field("zones", "guides.area_one_kind")
	case a.Home != 0 && (a.RadiusM < 100 || a.RadiusM > MaxRadiusM):
		return a, errs.Field("radius", "guides.radius_range", 100, MaxRadiusM)
	case a.Home == 0 && a.RadiusM != 0:
		return a, errs.Field("home", "guides.home_required")
	}
	for _, z := range a.Zones {
		if len(z) > 40 {
			return a, errs.Field("zones", "guides.zone_invalid")
		}
	}
	slices.Sort(a.Zones)
	a.Zones = slices.Compact(a.Zones)
	return a, nil
}

// SaveGuide adds an account as a guide or changes a guide's area. The
// caller names the account: this part does not read the accounts.
func (s *Service) SaveGuide(ctx context.Context, in GuideInput) (Guide, error) {
	if _, err := coordinator(ctx); err != nil {
		return Guide{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.UserID <= 0 {
		return Guide{}, errs.Field("user", "guides.account_required")
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 60 {
		return Guide{}, errs.Field("name", "guides.name_required", 60)
	}
	area, err := in.area()
	if err != nil {
		return Guide{}, err
	}
	g := Guide{UserID: in.UserID, Name: in.Name, Area: area, Active: in.Active}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var home sql.NullInt64
		if area.Home != 0 {
			if _, err := findHotspot(ctx, tx, area.Home); err != nil {
				return errs.Field("home", "guides.hotspot_not_found")
			}
			home = sql.NullInt64{Int64: area.Home, Valid: true}
		}
		now := db.Time(s.Now())
		res, err := tx.ExecContext(ctx, `UPDATE guide_guides SET name = $2, zones = $3, home_hotspot_id = $4, radius_m = $5, active = $6, updated_at = $7
			WHERE user_id = $1`, g.UserID, g.Name, strings.Join(area.Zones, " "), home, area.RadiusM, g.Active, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO guide_guides (user_id, name, zones, home_hotspot_id, radius_m, active, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, g.UserID, g.Name, strings.Join(area.Zones, " "), home, area.RadiusM, g.Active, now); err != nil {
				if db.IsUniqueViolation(err) {
					return errs.New(errs.Conflict, "guides.conflict")
				}
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "guide.save", SubjectType: "user", SubjectID: g.UserID})
	})
	if err != nil {
		return Guide{}, err
	}
	return g, nil
}

const guideCols = `user_id, name, zones, COALESCE(home_hotspot_id, 0), radius_m, active`

func scanGuide(row db.Scanner) (Guide, error) {
	var g Guide
	var zones string
	err := row.Scan(&g.UserID, &g.Name, &zones, &g.Area.Home, &g.Area.RadiusM, &g.Active)
	g.Area.Zones = strings.Fields(zones)
	return g, err
}

// Guides lists the guides by name.
func (s *Service) Guides(ctx context.Context) ([]Guide, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+guideCols+` FROM guide_guides ORDER BY name, user_id`)
	return db.Collect(rows, err, scanGuide)
}

// Guide returns one guide by account.
func (s *Service) Guide(ctx context.Context, userID int64) (Guide, error) {
	g, err := scanGuide(s.db.Read().QueryRowContext(ctx, `SELECT `+guideCols+` FROM guide_guides WHERE user_id = $1`, userID))
	return g, db.NotFound(err, "guides.guide_not_found")
}

// Shift is a guide's time on duty on a day in the city, in whole hours.
type Shift struct {
	ID        int64
	GuideID   int64
	GuideName string
	Day       string // YYYY-MM-DD
	Start     int    // first hour
	End       int    // hour after the last
}

// Covers reports whether the shift includes hour.
func (sh Shift) Covers(hour int) bool { return hour >= sh.Start && hour < sh.End }

// ParseDay reads a date in the city, YYYY-MM-DD.
func ParseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), i18n.Zone)
	if err != nil {
		return t, errs.Field("day", "guides.day_invalid")
	}
	return t, nil
}

// DayOf is t's date in the city.
func DayOf(t time.Time) string { return t.In(i18n.Zone).Format("2006-01-02") }

// AddShift puts a guide on duty. Shifts of one guide on a day may not
// overlap.
func (s *Service) AddShift(ctx context.Context, sh Shift) (Shift, error) {
	if _, err := coordinator(ctx); err != nil {
		return Shift{}, err
	}
	if _, err := ParseDay(sh.Day); err != nil {
		return Shift{}, err
	}
	if sh.Start < 0 || sh.Start > 23 || sh.End <= sh.Start || sh.End > 24 {
		return Shift{}, errs.Field("end", "guides.shift_hours")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT active FROM guide_guides WHERE user_id = $1`, sh.GuideID).Scan(&active)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
			return errs.Field("guide", "guides.guide_not_found")
		}
		if err != nil {
			return err
		}
		// The guide's row is the lock: two coordinators adding shifts for
		// the same guide at once take turns, so the overlap check holds.
		if _, err := tx.ExecContext(ctx, `UPDATE guide_guides SET updated_at = updated_at WHERE user_id = $1`, sh.GuideID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM guide_shifts WHERE guide_id = $1 AND day = $2 AND start_hour < $4 AND end_hour > $3`,
			sh.GuideID, sh.Day, sh.Start, sh.End).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.Field("start", "guides.shift_overlaps")
		}
		return tx.QueryRowContext(ctx, `INSERT INTO guide_shifts (guide_id, day, start_hour, end_hour, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			sh.GuideID, sh.Day, sh.Start, sh.End, db.Time(s.Now())).Scan(&sh.ID)
	})
	if err != nil {
		return Shift{}, err
	}
	return sh, nil
}

// RemoveShift takes a shift off the roster.
func (s *Service) RemoveShift(ctx context.Context, id int64) error {
	if _, err := coordinator(ctx); err != nil {
		return err
	}
	res, err := s.db.Exec(ctx, `DELETE FROM guide_shifts WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.NotFound, "guides.shift_not_found")
	}
	return nil
}

// Shifts lists a day's shifts by guide and start.
func (s *Service) Shifts(ctx context.Context, day string) ([]Shift, error) {
	return shiftsOn(ctx, s.db.Read(), day)
}

func shiftsOn(ctx context.Context, q db.Querier, day string) ([]Shift, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.guide_id, g.name, s.day, s.start_hour, s.end_hour
		FROM guide_shifts s JOIN guide_guides g ON g.user_id = s.guide_id WHERE s.day = $1 AND g.active ORDER BY g.name, s.guide_id, s.start_hour`, day)
	return db.Collect(rows, err, func(r db.Scanner) (Shift, error) {
		var sh Shift
		err := r.Scan(&sh.ID, &sh.GuideID, &sh.GuideName, &sh.Day, &sh.Start, &sh.End)
		return sh, err
	})
}

// startOfDay is midnight of t's day in the city.
func startOfDay(t time.Time) time.Time {
	t = t.In(i18n.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, i18n.Zone)
}
