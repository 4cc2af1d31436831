package identity

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Resident is one person in the city's resident registry.
type Resident struct {
	ID              int64
	RegistryID      string // the registry's own key for the person
	Name            string
	BirthDate       time.Time // a calendar date (midnight UTC)
	District        string    // district code
	Zone            string    // living zone code
	HouseholdID     string
	ChildrenUnder19 int
	Disability      bool
	Phone           string // E.164, for proofing by one-time code
	Demo            bool
}

const residentCols = `id, registry_id, name, birth_date, district, zone, household_id, children_under_19, disability, phone, demo`

func scanResident(row interface{ Scan(...any) error }) (Resident, error) {
	var r Resident
	var birth string
	err := row.Scan(&r.ID, &r.RegistryID, &r.Name, &birth, &r.District, &r.Zone, &r.HouseholdID, &r.ChildrenUnder19, &r.Disability, &r.Phone, &r.Demo)
	if err != nil {
		return r, db.NotFound(err, "identity.resident_not_found")
	}
	r.BirthDate, err = time.Parse(time.DateOnly, birth)
	return r, err
}

// Validate checks a registry record; now bounds the birth date.
func (r *Resident) Validate(now time.Time) error {
	if ps := r.problems(now); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// problems lists everything wrong with a record, for imports that report
// all of a row's problems at once.
func (r *Resident) problems(now time.Time) []*errs.Error {
	r.RegistryID, r.Name = strings.TrimSpace(r.RegistryID), strings.TrimSpace(r.Name)
	var out []*errs.Error
	check := func(bad bool, field, key string) {
		if bad {
			out = append(out, errs.Field(field, key))
		}
	}
	check(r.RegistryID == "" || len(r.RegistryID) > 40, "registry_id", "identity.registry_id_invalid")
	check(r.Name == "" || utf8.RuneCountInString(r.Name) > 60, "name", "identity.name_invalid")
	check(r.BirthDate.IsZero() || r.BirthDate.After(now) || r.BirthDate.Year() < 1900, "birth_date", "identity.birth_date_invalid")
	check(len(r.District) != 5, "district", "identity.district_invalid")
	check(r.Zone == "" || len(r.Zone) > 20, "zone", "identity.zone_invalid")
	check(r.HouseholdID == "" || len(r.HouseholdID) > 40, "household_id", "identity.household_invalid")
	check(r.ChildrenUnder19 < 0 || r.ChildrenUnder19 > 20, "children_under_19", "identity.children_invalid")
	return out
}

// Registry is the resident registry.
type Registry struct {
	db  *db.DB
	Now func() time.Time
}

// NewRegistry returns the registry of d.
func NewRegistry(d *db.DB) *Registry { return &Registry{db: d, Now: time.Now} }

// SaveTx creates or updates residents by registry id inside tx (an import,
// the demo city); each record must be valid.
func (g *Registry) SaveTx(ctx context.Context, tx *sql.Tx, rs []Resident) error {
	now := db.Time(g.Now())
	for _, r := range rs {
		if err := r.Validate(now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO residents (registry_id, name, birth_date, district, zone, household_id, children_under_19, disability, phone, demo, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (registry_id) DO UPDATE SET name = excluded.name, birth_date = excluded.birth_date, district = excluded.district,
				zone = excluded.zone, household_id = excluded.household_id, children_under_19 = excluded.children_under_19,
				disability = excluded.disability, phone = excluded.phone, updated_at = excluded.updated_at`,
			r.RegistryID, r.Name, r.BirthDate.Format(time.DateOnly), r.District, r.Zone, r.HouseholdID, r.ChildrenUnder19, r.Disability, r.Phone, r.Demo, now); err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, audit.Entry{Action: "residents.save", SubjectType: "residents", Detail: "count=" + itoa(len(rs))})
}

// Get returns the resident with id. Reading the registry is audited.
func (g *Registry) Get(ctx context.Context, id int64) (Resident, error) {
	r, err := scanResident(g.db.QueryRow(ctx, `SELECT `+residentCols+` FROM residents WHERE id = $1`, id))
	if err != nil {
		return r, err
	}
	return r, audit.Record(ctx, g.db.Write(), audit.Entry{Action: "resident.read", SubjectType: "resident", SubjectID: id})
}

// ByPhone returns the resident the registry lists with a phone number.
func (g *Registry) ByPhone(ctx context.Context, e164 string) (Resident, error) {
	r, err := scanResident(g.db.QueryRow(ctx, `SELECT `+residentCols+` FROM residents WHERE phone = $1 ORDER BY id LIMIT 1`, e164))
	if err != nil {
		return r, err
	}
	return r, audit.Record(ctx, g.db.Write(), audit.Entry{Action: "resident.read", SubjectType: "resident", SubjectID: r.ID})
}

// Find looks a resident up by registry number or phone number, for staff.
func (g *Registry) Find(ctx context.Context, q string) (Resident, error) {
	q = strings.TrimSpace(q)
	if p, err := auth.NormalizePhone(q); err == nil {
		return g.ByPhone(ctx, p)
	}
	r, err := scanResident(g.db.QueryRow(ctx, `SELECT `+residentCols+` FROM residents WHERE registry_id = $1`, q))
	if err != nil {
		return r, err
	}
	return r, audit.Record(ctx, g.db.Write(), audit.Entry{Action: "resident.read", SubjectType: "resident", SubjectID: r.ID})
}

// Each calls fn with every resident of the registry, in id order, for
// whole-registry work such as a programme's dry run.
func (g *Registry) Each(ctx context.Context, fn func(Resident) error) error {
	rows, err := g.db.Query(ctx, `SELECT `+residentCols+` FROM residents ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanResident(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
