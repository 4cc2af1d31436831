package learn

import (
	"context"
	"database/sql"
	"strings"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Venue is a place where classes happen or that citizens can visit.
type Venue struct {
	ID        int64
	Slug      string
	Kind      string
	District  string
	NameKo    string
	NameEn    string
	AddressKo string
	AddressEn string
	HoursKo   string // opening hours, for experience zones
	HoursEn   string
	AccessKo  string // accessibility notes
	AccessEn  string
	Phone     string
	Demo      bool
}

// NoRegistration reports whether people simply walk in.
func (v Venue) NoRegistration() bool { return v.Kind == "experience_zone" }

const venueCols = `id, slug, kind, district, name_ko, name_en, address_ko, address_en, hours_ko, hours_en, access_ko, access_en, phone, demo`

func scanVenue(row interface{ Scan(...any) error }) (Venue, error) {
	var v Venue
	err := row.Scan(&v.ID, &v.Slug, &v.Kind, &v.District, &v.NameKo, &v.NameEn, &v.AddressKo, &v.AddressEn,
		&v.HoursKo, &v.HoursEn, &v.AccessKo, &v.AccessEn, &v.Phone, &v.Demo)
	return v, db.NotFound(err, "learn.venue_not_found")
}

func (v *Venue) validate() error {
	v.Slug = strings.TrimSpace(v.Slug)
	switch {
	case v.Slug == "" || len(v.Slug) > 80 || strings.ContainsAny(v.Slug, " /?#"):
		return errs.Field("slug", "learn.slug_invalid")
	case !oneOf(v.Kind, VenueKinds):
		return errs.Field("kind", "learn.venue_kind_invalid")
	case strings.TrimSpace(v.NameKo) == "":
		return errs.Field("name_ko", "learn.name_required")
	case v.District == "":
		return errs.Field("district", "learn.district_required")
	}
	if v.NameEn == "" {
		v.NameEn = v.NameKo
	}
	return nil
}

// SaveVenue creates a venue or updates the one with the same slug.
func (s *Service) SaveVenue(ctx context.Context, v Venue) (Venue, error) {
	if err := v.validate(); err != nil {
		return v, err
	}
	return db.TxValue(ctx, s.db, func(tx *sql.Tx) (Venue, error) { return saveVenue(ctx, tx, v) })
}

func saveVenue(ctx context.Context, q db.Querier, v Venue) (Venue, error) {
	return scanVenue(q.QueryRowContext(ctx, `INSERT INTO venues (slug, kind, district, name_ko, name_en, address_ko, address_en, hours_ko, hours_en, access_ko, access_en, phone, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (slug) DO UPDATE SET kind = excluded.kind, district = excluded.district, name_ko = excluded.name_ko, name_en = excluded.name_en,
			address_ko = excluded.address_ko, address_en = excluded.address_en, hours_ko = excluded.hours_ko, hours_en = excluded.hours_en,
			access_ko = excluded.access_ko, access_en = excluded.access_en, phone = excluded.phone
		RETURNING `+venueCols,
		v.Slug, v.Kind, v.District, v.NameKo, v.NameEn, v.AddressKo, v.AddressEn, v.HoursKo, v.HoursEn, v.AccessKo, v.AccessEn, v.Phone, v.Demo))
}

// Venue returns the venue with id.
func (s *Service) Venue(ctx context.Context, id int64) (Venue, error) {
	return scanVenue(s.db.QueryRow(ctx, `SELECT `+venueCols+` FROM venues WHERE id = $1`, id))
}

// VenueBySlug returns the venue with slug.
func (s *Service) VenueBySlug(ctx context.Context, slug string) (Venue, error) {
	return scanVenue(s.db.QueryRow(ctx, `SELECT `+venueCols+` FROM venues WHERE slug = $1`, slug))
}

// Venues lists venues of a kind ("" for all) in a district ("" for all).
func (s *Service) Venues(ctx context.Context, kind, district string) ([]Venue, error) {
	rows, err := s.db.Query(ctx, `SELECT `+venueCols+` FROM venues
		WHERE ($1 = '' OR kind = $1) AND ($2 = '' OR district = $2) ORDER BY kind, district, name_ko`, kind, district)
	return db.Collect(rows, err, scanVenue)
}
