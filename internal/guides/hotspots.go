package guides

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// Kinds of hotspot.
const (
	Station      = "station"
	Market       = "market"
	SeniorCentre = "senior_centre"
	Park         = "park"
	Other        = "other"
)

// Kinds lists the kinds in the order pages show them.
var Kinds = []string{Station, Market, SeniorCentre, Park, Other}

// MaxPeople bounds the people expected at one spot in one hour: Busan's
// busiest stations see some tens of thousands a day.
const MaxPeople = 100000

// Profile is the number of people expected at a spot for each day of the
// week (Monday first) and hour of the day.
type Profile [7][24]int

// Weekday is t's row of a Profile in the city's time zone.
func Weekday(t time.Time) int { return (int(t.In(i18n.Zone).Weekday()) + 6) % 7 }

// At is the people expected at t.
func (p *Profile) At(t time.Time) int {
	return p[Weekday(t)][t.In(i18n.Zone).Hour()]
}

// Peak is the largest hourly number of the week.
func (p *Profile) Peak() int {
	m := 0
	for _, day := range p {
		for _, n := range day {
			m = max(m, n)
		}
	}
	return m
}

func (p *Profile) encode() string {
	var b strings.Builder
	for d := range p {
		for h, n := range p[d] {
			if d > 0 || h > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(n))
		}
	}
	return b.String()
}

func decodeProfile(s string) (Profile, error) {
	var p Profile
	parts := strings.Split(s, ",")
	if len(parts) != 7*24 {
		return p, errors.New("guides: profile of the wrong length")
	}
	for i, v := range parts {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, err
		}
		p[i/24][i%24] = n
	}
	return p, nil
}

// Point is a position in degrees.
type Point struct{ Lat, Lon float64 }

// Metres is the distance to q along the earth's surface.
func (p Point) Metres(q Point) float64 {
	const r = 6371000
	rad := math.Pi / 180
	dLat, dLon := (q.Lat-p.Lat)*rad, (q.Lon-p.Lon)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(p.Lat*rad)*math.Cos(q.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Hotspot is a spot where seniors gather.
type Hotspot struct {
	ID          int64
	Ref         string
	NameKo      string
	NameEn      string
	Kind        string
	At          Point
	Zone        string
	Profile     Profile
	HelpCount   int
	LastVisitAt time.Time // zero: never visited
	UpdatedAt   time.Time
}

// Name is the hotspot's name in lang.
func (h Hotspot) Name(lang string) string { return i18n.For(lang).Pick(h.NameKo, h.NameEn) }

func oneOf(v string, set []string) bool {
	for _, x := range set {
		if x == v {
			return true
		}
	}
	return false
}

// refOK: refs end up in addresses and files, so they stay plain.
func refOK(ref string) bool {
	return ref != "" && len(ref) <= 60 && !strings.ContainsAny(ref, " /?#,;\"")
}

func (h *Hotspot) validate() error {
	switch {
	case !refOK(h.Ref):
		return errs.Field("ref", "guides.ref_invalid", 60)
	case h.NameKo == "" || utf8.RuneCountInString(h.NameKo) > 100:
		return errs.Field("name_ko", "guides.name_required", 100)
	case utf8.RuneCountInString(h.NameEn) > 100:
		return errs.Field("name_en", "guides.name_too_long", 100)
	case !oneOf(h.Kind, Kinds):
		return errs.Field("kind", "guides.kind_invalid", strings.Join(Kinds, ", "))
	case !(h.At.Lat >= -90 && h.At.Lat <= 90 && h.At.Lon >= -180 && h.At.Lon <= 180):
		return errs.Field("lat", "guides.coordinates_invalid")
	case len(h.Zone) > 40 || strings.ContainsAny(h.Zone, " ,;"):
		return errs.Field("zone", "guides.zone_invalid")
	}
	for d := range h.Profile {
		for hr, n := range h.Profile[d] {
			if n < 0 || n > MaxPeople {
				return errs.Field(hourColumn(hr), "guides.people_range", MaxPeople)
			}
		}
	}
	return nil
}

func micro(deg float64) int64 { return int64(math.Round(deg * 1e6)) }
func degrees(m int64) float64 { return float64(m) / 1e6 }

const hotspotCols = `id, ref, name_ko, name_en, kind, lat, lon, zone_code, profile, help_count, last_visit_at, updated_at`

func scanHotspot(row db.Scanner) (Hotspot, error) {
	var h Hotspot
	var lat, lon int64
	var profile string
	var last sql.NullTime
	if err := row.Scan(&h.ID, &h.Ref, &h.NameKo, &h.NameEn, &h.Kind, &lat, &lon, &h.Zone, &profile, &h.HelpCount, &last, &h.UpdatedAt); err != nil {
		return h, err
	}
	h.At = Point{Lat: degrees(lat), Lon: degrees(lon)}
	h.LastVisitAt = last.Time
	var err error
	h.Profile, err = decodeProfile(profile)
	return h, err
}

// Hotspots lists every hotspot by name.
func (s *Service) Hotspots(ctx context.Context) ([]Hotspot, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+hotspotCols+` FROM guide_hotspots ORDER BY name_ko, id`)
	return db.Collect(rows, err, scanHotspot)
}

// Landmarks lists the stations and markets by name: the spots people
// name as where they are, which the places' locator finds (through the
// app).
func (s *Service) Landmarks(ctx context.Context) ([]Hotspot, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+hotspotCols+` FROM guide_hotspots WHERE kind IN ($1, $2) ORDER BY name_ko, id`, Station, Market)
	return db.Collect(rows, err, scanHotspot)
}

// Hotspot returns one hotspot.
func (s *Service) Hotspot(ctx context.Context, id int64) (Hotspot, error) {
	return findHotspot(ctx, s.db.Read(), id)
}

func findHotspot(ctx context.Context, q db.Querier, id int64) (Hotspot, error) {
	h, err := scanHotspot(q.QueryRowContext(ctx, `SELECT `+hotspotCols+` FROM guide_hotspots WHERE id = $1`, id))
	return h, db.NotFound(err, "guides.hotspot_not_found")
}

// saveHotspot creates the hotspot or, when its ref exists, replaces what
// describes it, keeping its visits. It reports whether it was created.
func saveHotspot(ctx context.Context, tx *sql.Tx, h Hotspot, now time.Time) (int64, bool, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `UPDATE guide_hotspots SET name_ko = $2, name_en = $3, kind = $4, lat = $5, lon = $6, zone_code = $7,
		profile = $8, updated_at = $9 WHERE ref = $1 RETURNING id`,
		h.Ref, h.NameKo, h.NameEn, h.Kind, micro(h.At.Lat), micro(h.At.Lon), h.Zone, h.Profile.encode(), db.Time(now)).Scan(&id)
	if err == nil {
		return id, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO guide_hotspots (ref, name_ko, name_en, kind, lat, lon, zone_code, profile, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		h.Ref, h.NameKo, h.NameEn, h.Kind, micro(h.At.Lat), micro(h.At.Lon), h.Zone, h.Profile.encode(), db.Time(now)).Scan(&id)
	return id, true, err
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }
