package funds

import (
	"context"
	"time"

	"github.com/maeul/maeul/internal/identity"
)

// DryRun is what a programme would do if it paid everyone eligible today.
type DryRun struct {
	Residents     int64           // registry records read
	Eligible      int64           // people the rules accept
	Beneficiaries int64           // after one per household and the quota
	Cost          int64           // KRW the beneficiaries would receive
	ByAmount      map[int64]int   // beneficiaries per benefit amount
	OverBudget    bool            // Cost exceeds the budget
	Failures      int             // records a rule could not be evaluated on
	At            time.Time       // the day ages are counted on
	households    map[string]bool // households already served
}

// FactsOf are a resident's facts on day at, as the card would state them.
func FactsOf(r identity.Resident, at time.Time) Facts {
	age := int64(at.Year() - r.BirthDate.Year())
	if at.Month() < r.BirthDate.Month() || (at.Month() == r.BirthDate.Month() && at.Day() < r.BirthDate.Day()) {
		age--
	}
	return Facts{Age: age, AgeBracket: identity.AgeBracket(int(age)), District: r.District, LivingZone: r.Zone,
		HouseholdID: r.HouseholdID, ChildrenUnder19: int64(r.ChildrenUnder19), Disability: r.Disability}
}

// dryRun applies the rules to the whole registry, in registry order, which
// also decides who is first for a quota and in a household.
func (s *Programmes) dryRun(ctx context.Context, p Programme, rules *Rules) (DryRun, error) {
	run := DryRun{ByAmount: map[int64]int{}, At: s.Now(), households: map[string]bool{}}
	err := s.registry.Each(ctx, func(r identity.Resident) error {
		run.Residents++
		ok, amount, err := rules.Decide(FactsOf(r, run.At))
		if err != nil {
			run.Failures++
			return nil
		}
		if !ok {
			return nil
		}
		run.Eligible++
		if p.Unit == PerHousehold {
			if run.households[r.HouseholdID] {
				return nil
			}
			run.households[r.HouseholdID] = true
		}
		if p.Quota > 0 && run.Beneficiaries >= int64(p.Quota) {
			return nil
		}
		run.Beneficiaries++
		run.Cost += amount
		run.ByAmount[amount]++
		return nil
	})
	run.OverBudget = run.Cost > p.Budget
	return run, err
}
