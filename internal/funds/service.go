package funds

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// Service runs the programmes once they are defined: applications and
// their decisions, the points citizens hold, merchants and payments.
type Service struct {
	db         *db.DB
	Programmes *Programmes
	registry   *identity.Registry
	pres       *identity.Presentations
	ledger     *ledger.Log
	Now        func() time.Time
}

// New returns the funds service. Presentations asks wallets for the facts
// an application needs; every movement of points is written to l.
func New(d *db.DB, registry *identity.Registry, pres *identity.Presentations, l *ledger.Log) *Service {
	return &Service{db: d, Programmes: NewProgrammes(d, registry, l), registry: registry, pres: pres, ledger: l, Now: time.Now}
}

// PartySlug is the relying party the platform asks wallets as when a
// citizen applies: the city's policy-funds office.
const PartySlug = "policy-funds"

// Party is the policy-funds office as a relying party, registered for
// every claim a rule may read; each application asks only for those its
// programme's rules use.
func Party() identity.RelyingParty {
	p := identity.RelyingParty{
		Slug:      PartySlug,
		NameKo:    "부산광역시 정책자금",
		NameEn:    "Busan policy funds",
		PurposeKo: "신청하신 정책자금의 자격을 확인하고 지원 금액을 정합니다.",
		PurposeEn: "To check that you qualify for the policy fund you applied for, and for how much.",
		Active:    true,
	}
	for _, v := range slices.Sorted(maps.Keys(claimOf)) {
		p.Claims = append(p.Claims, claimOf[v])
	}
	p.Asks = p.Claims
	return p
}

// EnsureParty registers the policy-funds office once; staff may edit it
// afterwards on the register of parties.
func (s *Service) EnsureParty(ctx context.Context) error {
	_, err := s.pres.Parties.BySlug(ctx, PartySlug)
	if errs.CodeOf(err) != errs.NotFound {
		return err
	}
	_, err = s.pres.Parties.Save(ctx, Party())
	if db.IsUniqueViolation(err) {
		return nil
	}
	return err
}

// owner is how the ledger names a resident in the entries it seals for
// them: never published, it is what their receipts show the entries are.
func (s *Service) owner(residentID int64) string {
	return s.ledger.Owner("resident", strconv.FormatInt(residentID, 10))
}

func (s *Service) merchantName(merchantID int64) string {
	return s.ledger.Pseudonym("merchant", strconv.FormatInt(merchantID, 10))
}
