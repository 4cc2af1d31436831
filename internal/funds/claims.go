package funds

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/identity"
)

// claimOf is the card claim each rule variable is read from. The age is
// computed from the birth date, on the day of the decision.
var claimOf = map[string][]string{
	"age":               {"birthdate"},
	"age_bracket":       {"age_bracket"},
	"district":          {"address", "district"},
	"living_zone":       {"address", "living_zone"},
	"household_id":      {"household_id"},
	"children_under_19": {"children_under_19"},
	"disability":        {"disability"},
}

// needs are the variables a programme's decision reads: its rules', and
// the household for a programme paid once per household.
func (p Programme) needs(r *Rules) []string {
	vars := slices.Clone(r.Reads())
	if p.Unit == PerHousehold && !slices.Contains(vars, "household_id") {
		vars = append(vars, "household_id")
	}
	slices.Sort(vars)
	return vars
}

// claimsFor are the card claims to ask the wallet for, for vars.
func claimsFor(vars []string) [][]string {
	out := make([][]string, 0, len(vars))
	for _, v := range vars {
		out = append(out, claimOf[v])
	}
	return out
}

// factsFromCard reads vars from a verified card's disclosed claims, ages
// counted on day at. A claim that is missing or of the wrong type is an
// error: the wallet answered something else than what was asked.
func factsFromCard(claims map[string]any, vars []string, at time.Time) (Facts, error) {
	var f Facts
	for _, v := range vars {
		val, ok := identity.ClaimValue(claims, claimOf[v])
		if !ok {
			return f, fmt.Errorf("funds: the card did not disclose %s", identity.ClaimKey(claimOf[v]))
		}
		var err error
		switch v {
		case "age":
			var birth time.Time
			if s, isStr := val.(string); isStr {
				birth, err = time.Parse(time.DateOnly, s)
			} else {
				err = fmt.Errorf("birthdate is %T", val)
			}
			if err == nil {
				f.Age = FactsOf(identity.Resident{BirthDate: birth}, at).Age
			}
		case "age_bracket":
			f.AgeBracket, err = str(val)
		case "district":
			f.District, err = str(val)
		case "living_zone":
			f.LivingZone, err = str(val)
		case "household_id":
			f.HouseholdID, err = str(val)
		case "children_under_19":
			f.ChildrenUnder19, err = integer(val)
		case "disability":
			b, isBool := val.(bool)
			if !isBool {
				err = fmt.Errorf("disability is %T", val)
			}
			f.Disability = b
		}
		if err != nil {
			return f, fmt.Errorf("funds: card claim %s: %w", v, err)
		}
	}
	return f, nil
}

func str(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%T, not a string", v)
	}
	return s, nil
}

func integer(v any) (int64, error) {
	switch n := v.(type) {
	case float64:
		if n == float64(int64(n)) {
			return int64(n), nil
		}
	case json.Number:
		return n.Int64()
	case int64:
		return n, nil
	case int:
		return int64(n), nil
	}
	return 0, fmt.Errorf("%v is not a whole number", v)
}

// differ names the variables on which two sets of facts disagree.
func differ(a, b Facts, vars []string) []string {
	av, bv := a.vars(), b.vars()
	var out []string
	for _, v := range vars {
		if av[v] != bv[v] {
			out = append(out, v)
		}
	}
	return out
}

// only keeps the facts of vars, as recorded with a decision: the record
// holds what the decision read and nothing else.
func (f Facts) only(vars []string) map[string]any {
	all := f.vars()
	out := make(map[string]any, len(vars))
	for _, v := range vars {
		out[v] = all[v]
	}
	return out
}
