package identity

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// ClaimPaths are the facts of the citizen card a relying party can ask for,
// in the order screens list them. Each has a plain-word label
// identity.claim.<path joined by dots> in the catalogue.
var ClaimPaths = [][]string{
	{"age_equal_or_over", "65"}, {"age_equal_or_over", "19"}, {"age_equal_or_over", "14"}, {"age_bracket"},
	{"address", "district"}, {"address", "living_zone"}, {"address"}, {"name"}, {"birthdate"},
	{"children_under_19"}, {"household_id"}, {"disability"},
}

// ClaimKey is a claim path as one string, e.g. "address.district": the
// value of a form's checkbox and the tail of its catalogue key.
func ClaimKey(path []string) string { return strings.Join(path, ".") }

// ParseClaimKey is the reverse of ClaimKey for the known paths.
func ParseClaimKey(key string) ([]string, bool) {
	for _, p := range ClaimPaths {
		if ClaimKey(p) == key {
			return p, true
		}
	}
	return nil, false
}

// RelyingParty is an organisation registered to ask citizens for facts from
// their card: the claims it may ask for at all, and those its staff ask for
// by default.
type RelyingParty struct {
	ID        int64
	Slug      string // names its did:web and its client_id
	NameKo    string
	NameEn    string
	PurposeKo string // why it asks, shown to the citizen on the consent screen
	PurposeEn string
	Claims    [][]string
	Asks      [][]string
	Active    bool
}

// Name is the party's name in lang.
func (p RelyingParty) Name(lang string) string { return i18n.For(lang).Pick(p.NameKo, p.NameEn) }

// Purpose is why the party asks, in lang.
func (p RelyingParty) Purpose(lang string) string {
	return i18n.For(lang).Pick(p.PurposeKo, p.PurposeEn)
}

// May reports whether the party is registered for a claim path.
func (p RelyingParty) May(path []string) bool {
	return slices.ContainsFunc(p.Claims, func(c []string) bool { return slices.Equal(c, path) })
}

// DemoHospital is the demo city's relying party: a hospital that checks that
// a patient is 65 or older (free flu shots) and lives in Busan.
var DemoHospital = RelyingParty{
	Slug:      "demo-hospital",
	NameKo:    "부산 시민병원 (시연)",
	NameEn:    "Busan Citizens' Hospital (demo)",
	PurposeKo: "65세 이상 부산 시민 무료 독감 예방접종 대상인지 확인합니다.",
	PurposeEn: "To check that you can have a free flu shot as a Busan citizen aged 65 or older.",
	Claims:    [][]string{{"age_equal_or_over", "65"}, {"address", "district"}, {"name"}, {"disability"}},
	Asks:      [][]string{{"age_equal_or_over", "65"}, {"address", "district"}},
	Active:    true,
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

func (p RelyingParty) validate() error {
	known := func(c []string) bool { _, ok := ParseClaimKey(ClaimKey(c)); return ok }
	switch {
	case !slugPattern.MatchString(p.Slug):
		return errs.Field("slug", "identity.party_slug_invalid")
	case strings.TrimSpace(p.NameKo) == "" || strings.TrimSpace(p.NameEn) == "":
		return errs.Field("name_ko", "identity.party_name_missing")
	case strings.TrimSpace(p.PurposeKo) == "" || strings.TrimSpace(p.PurposeEn) == "":
		return errs.Field("purpose_ko", "identity.party_purpose_missing")
	case len(p.Claims) == 0 || !all(p.Claims, known):
		return errs.Field("claims", "identity.party_claims_missing")
	case !all(p.Asks, p.May):
		return errs.Field("asks", "identity.party_asks_invalid")
	}
	return nil
}

func all(paths [][]string, ok func([]string) bool) bool {
	for _, p := range paths {
		if !ok(p) {
			return false
		}
	}
	return true
}

// Parties keeps the registered relying parties and the staff who verify for
// them.
type Parties struct{ db *db.DB }

// NewParties returns the relying-party registry.
func NewParties(d *db.DB) *Parties { return &Parties{db: d} }

// Save registers a party, or updates the one with the same slug.
func (s *Parties) Save(ctx context.Context, p RelyingParty) (RelyingParty, error) {
	return s.SaveTx(ctx, s.db.Write(), p)
}

// SaveTx is Save inside a caller's transaction.
func (s *Parties) SaveTx(ctx context.Context, q db.Querier, p RelyingParty) (RelyingParty, error) {
	if err := p.validate(); err != nil {
		return p, err
	}
	claims, _ := json.Marshal(p.Claims)
	asks, _ := json.Marshal(p.Asks)
	if p.Asks == nil {
		asks = []byte("[]")
	}
	err := q.QueryRowContext(ctx, `INSERT INTO relying_parties (slug, name_ko, name_en, purpose_ko, purpose_en, claims, asks, active, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (slug) DO UPDATE SET name_ko = excluded.name_ko, name_en = excluded.name_en, purpose_ko = excluded.purpose_ko,
			purpose_en = excluded.purpose_en, claims = excluded.claims, asks = excluded.asks, active = excluded.active, updated_at = excluded.updated_at
		RETURNING id`, p.Slug, p.NameKo, p.NameEn, p.PurposeKo, p.PurposeEn, string(claims), string(asks), p.Active, db.Time(time.Now())).Scan(&p.ID)
	return p, err
}

const partyCols = `id, slug, name_ko, name_en, purpose_ko, purpose_en, claims, asks, active`

func scanParty(row interface{ Scan(...any) error }) (RelyingParty, error) {
	var p RelyingParty
	var claims, asks string
	err := row.Scan(&p.ID, &p.Slug, &p.NameKo, &p.NameEn, &p.PurposeKo, &p.PurposeEn, &claims, &asks, &p.Active)
	if err != nil {
		return p, db.NotFound(err, "identity.party_not_found")
	}
	if err := json.Unmarshal([]byte(claims), &p.Claims); err != nil {
		return p, err
	}
	return p, json.Unmarshal([]byte(asks), &p.Asks)
}

// BySlug returns a registered party.
func (s *Parties) BySlug(ctx context.Context, slug string) (RelyingParty, error) {
	return scanParty(s.db.QueryRow(ctx, `SELECT `+partyCols+` FROM relying_parties WHERE slug = $1`, slug))
}

func (s *Parties) byID(ctx context.Context, id int64) (RelyingParty, error) {
	return scanParty(s.db.QueryRow(ctx, `SELECT `+partyCols+` FROM relying_parties WHERE id = $1`, id))
}

// List returns every registered party by slug.
func (s *Parties) List(ctx context.Context) ([]RelyingParty, error) {
	rows, err := s.db.Query(ctx, `SELECT `+partyCols+` FROM relying_parties ORDER BY slug`)
	return db.Collect(rows, err, scanParty)
}

// AssignStaff lets a verifier account verify for a party.
func (s *Parties) AssignStaff(ctx context.Context, userID int64, slug string) error {
	p, err := s.BySlug(ctx, slug)
	if err != nil {
		return err
	}
	return s.AssignStaffTx(ctx, s.db.Write(), userID, p.ID)
}

// AssignStaffTx is AssignStaff inside a caller's transaction.
func (s *Parties) AssignStaffTx(ctx context.Context, q db.Querier, userID, partyID int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO verifier_staff (user_id, party_id) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET party_id = excluded.party_id`, userID, partyID)
	return err
}

// Of returns the party a verifier verifies for. A system admin may verify
// for any party and names it; other staff verify for their own.
func (s *Parties) Of(ctx context.Context, a *actor.Actor, slug string) (RelyingParty, error) {
	if a.Role == actor.SysAdmin && slug != "" {
		return s.BySlug(ctx, slug)
	}
	var id int64
	err := s.db.QueryRow(ctx, `SELECT party_id FROM verifier_staff WHERE user_id = $1`, a.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return RelyingParty{}, errs.New(errs.Forbidden, "identity.verifier_unassigned")
	}
	if err != nil {
		return RelyingParty{}, err
	}
	return s.byID(ctx, id)
}

// StaffOf returns the user ids of the accounts verifying for each party.
func (s *Parties) StaffOf(ctx context.Context) (map[int64][]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT party_id, user_id FROM verifier_staff ORDER BY user_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var p, u int64
		if err := rows.Scan(&p, &u); err != nil {
			return nil, err
		}
		out[p] = append(out[p], u)
	}
	return out, rows.Err()
}
