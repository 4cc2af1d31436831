package funds

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// Units of a programme: one benefit per person, or per household.
const (
	PerPerson    = "person"
	PerHousehold = "household"
)

// Modes of a programme: citizens apply, or everyone eligible is paid
// without applying.
const (
	OnApplication = "apply"
	ToEveryone    = "everyone"
)

// Categories are the kinds of merchant where points may be spent.
var Categories = []string{"education", "books", "performance", "exhibition", "cinema", "sports", "music"}

// Programme is a policy fund as staff define it.
type Programme struct {
	ID            int64
	Slug          string
	NameKo        string
	NameEn        string
	DescriptionKo string
	DescriptionEn string
	WhoKo         string // who qualifies, in plain words: what a refusal says
	WhoEn         string
	Budget        int64  // KRW
	Eligibility   string // CEL, bool
	Benefit       string // CEL, int KRW
	Quota         int    // the first Quota approved applicants; 0: no quota
	CoPayment     int64  // KRW the citizen pays to receive the points
	Unit          string
	Mode          string
	Categories    []string
	OpensAt       time.Time
	ClosesAt      time.Time
	PointsExpire  time.Time

	// Kept by the platform, not by staff:
	RuleID    int64 // the version of the rules decisions are made with now
	Committed int64 // KRW promised to approved applicants, less what expired
	Approved  int   // applicants approved
}

// Open reports whether applications are taken at t.
func (p Programme) Open(t time.Time) bool { return !t.Before(p.OpensAt) && t.Before(p.ClosesAt) }

// Name is the programme's name in lang.
func (p Programme) Name(lang string) string {
	if lang == "en" {
		return p.NameEn
	}
	return p.NameKo
}

// Description is the programme's description in lang.
func (p Programme) Description(lang string) string {
	if lang == "en" {
		return p.DescriptionEn
	}
	return p.DescriptionKo
}

// Who is who qualifies, in plain words, in lang.
func (p Programme) Who(lang string) string {
	if lang == "en" {
		return p.WhoEn
	}
	return p.WhoKo
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// validate checks a programme and compiles its rules.
func (p Programme) validate() (*Rules, error) {
	switch {
	case !slugPattern.MatchString(p.Slug):
		return nil, errs.Field("slug", "funds.slug_invalid")
	case strings.TrimSpace(p.NameKo) == "" || strings.TrimSpace(p.NameEn) == "":
		return nil, errs.Field("name_ko", "funds.name_missing")
	case strings.TrimSpace(p.WhoKo) == "" || strings.TrimSpace(p.WhoEn) == "":
		return nil, errs.Field("who_ko", "funds.who_missing")
	case p.Budget <= 0:
		return nil, errs.Field("budget", "funds.budget_invalid")
	case p.Quota < 0:
		return nil, errs.Field("quota", "funds.quota_invalid")
	case p.CoPayment < 0:
		return nil, errs.Field("co_payment", "funds.co_payment_invalid")
	case p.Unit != PerPerson && p.Unit != PerHousehold:
		return nil, errs.Field("unit", "funds.unit_invalid")
	case p.Mode != OnApplication && p.Mode != ToEveryone:
		return nil, errs.Field("mode", "funds.mode_invalid")
	case len(p.Categories) == 0 || slices.ContainsFunc(p.Categories, func(c string) bool { return !slices.Contains(Categories, c) }):
		return nil, errs.Field("categories", "funds.categories_invalid")
	case p.OpensAt.IsZero() || !p.ClosesAt.After(p.OpensAt):
		return nil, errs.Field("closes_at", "funds.window_invalid")
	case !p.PointsExpire.After(p.ClosesAt):
		return nil, errs.Field("points_expire_at", "funds.expiry_invalid")
	}
	return CompileRules(p.Eligibility, p.Benefit)
}

// Programmes keeps the programmes.
type Programmes struct {
	db       *db.DB
	registry *identity.Registry
	ledger   *ledger.Log
	Now      func() time.Time
}

// NewProgrammes returns the programme store; registry is what dry runs
// read, and the ledger records each budget.
func NewProgrammes(d *db.DB, registry *identity.Registry, l *ledger.Log) *Programmes {
	return &Programmes{db: d, registry: registry, ledger: l, Now: time.Now}
}

// Save validates a programme, compiles its rules and stores it (a new slug
// adds one, a known slug updates it), and returns its dry run against the
// registry: who would qualify today and what it would cost. Nothing is
// stored when a rule does not compile. A change of rules is a new version
// of them, which later decisions name; a change of budget is a ledger
// entry, and no budget may fall below what is already committed.
func (s *Programmes) Save(ctx context.Context, p Programme) (Programme, DryRun, error) {
	rules, err := p.validate()
	if err != nil {
		return p, DryRun{}, err
	}
	run, err := s.dryRun(ctx, p, rules)
	if err != nil {
		return p, DryRun{}, err
	}
	cats, _ := json.Marshal(p.Categories)
	now := db.Time(s.Now())
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var before sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT budget FROM programmes WHERE slug = $1`, p.Slug).Scan(&before); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO programmes (slug, name_ko, name_en, description_ko, description_en, who_ko, who_en, budget,
				eligibility, benefit, quota, co_payment, unit, mode, categories, opens_at, closes_at, points_expire_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
			ON CONFLICT (slug) DO UPDATE SET name_ko = excluded.name_ko, name_en = excluded.name_en,
				description_ko = excluded.description_ko, description_en = excluded.description_en, who_ko = excluded.who_ko,
				who_en = excluded.who_en, budget = excluded.budget, eligibility = excluded.eligibility, benefit = excluded.benefit,
				quota = excluded.quota, co_payment = excluded.co_payment, unit = excluded.unit, mode = excluded.mode,
				categories = excluded.categories, opens_at = excluded.opens_at, closes_at = excluded.closes_at,
				points_expire_at = excluded.points_expire_at, updated_at = excluded.updated_at
			RETURNING id, committed`,
			p.Slug, p.NameKo, p.NameEn, p.DescriptionKo, p.DescriptionEn, p.WhoKo, p.WhoEn, p.Budget, p.Eligibility, p.Benefit, p.Quota,
			p.CoPayment, p.Unit, p.Mode, string(cats), db.Time(p.OpensAt), db.Time(p.ClosesAt), db.Time(p.PointsExpire), now).Scan(&p.ID, &p.Committed)
		if err != nil {
			return err
		}
		if p.Committed > p.Budget {
			return errs.Field("budget", "funds.budget_below_committed", won(p.Committed))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO programme_rules (programme_id, eligibility, benefit, hash, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (programme_id, hash) DO NOTHING`, p.ID, p.Eligibility, p.Benefit, rules.Hash, now); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `UPDATE programmes SET rule_id = (SELECT id FROM programme_rules WHERE programme_id = $1 AND hash = $2)
			WHERE id = $1 RETURNING rule_id`, p.ID, rules.Hash).Scan(&p.RuleID); err != nil {
			return err
		}
		if before.Valid && before.Int64 == p.Budget {
			return nil
		}
		_, err = s.ledger.AppendTx(ctx, tx, ledger.Entry{Kind: ledger.BudgetSet, At: now.Unix(), Programme: p.Slug, Amount: p.Budget})
		return err
	})
	return p, run, err
}

const programmeCols = `id, slug, name_ko, name_en, description_ko, description_en, who_ko, who_en, budget, eligibility, benefit, quota,
	co_payment, unit, mode, categories, opens_at, closes_at, points_expire_at, COALESCE(rule_id, 0), committed, approved`

func scanProgramme(row db.Scanner) (Programme, error) {
	var p Programme
	var cats string
	err := row.Scan(&p.ID, &p.Slug, &p.NameKo, &p.NameEn, &p.DescriptionKo, &p.DescriptionEn, &p.WhoKo, &p.WhoEn, &p.Budget, &p.Eligibility,
		&p.Benefit, &p.Quota, &p.CoPayment, &p.Unit, &p.Mode, &cats, &p.OpensAt, &p.ClosesAt, &p.PointsExpire, &p.RuleID, &p.Committed, &p.Approved)
	if err != nil {
		return p, db.NotFound(err, "funds.programme_not_found")
	}
	return p, json.Unmarshal([]byte(cats), &p.Categories)
}

// BySlug returns a programme.
func (s *Programmes) BySlug(ctx context.Context, slug string) (Programme, error) {
	return scanProgramme(s.db.QueryRow(ctx, `SELECT `+programmeCols+` FROM programmes WHERE slug = $1`, slug))
}

func (s *Programmes) byID(ctx context.Context, q db.Querier, id int64) (Programme, error) {
	return scanProgramme(q.QueryRowContext(ctx, `SELECT `+programmeCols+` FROM programmes WHERE id = $1`, id))
}

// List returns every programme, the newest window first.
func (s *Programmes) List(ctx context.Context) ([]Programme, error) {
	rows, err := s.db.Query(ctx, `SELECT `+programmeCols+` FROM programmes ORDER BY opens_at DESC, slug`)
	return db.Collect(rows, err, scanProgramme)
}

// won is an amount an error message shows, with the separators of the
// reader's language.
type won int64

func (w won) Localize(l i18n.Localizer) string { return l.Number(int64(w)) }
