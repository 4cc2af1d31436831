package funds

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"

	"github.com/maeul/maeul/internal/errs"
)

// Facts are what a rule may look at: the citizen card's claims and the
// registry's record of the person. The names are the card's claim names.
type Facts struct {
	Age             int64
	AgeBracket      string
	District        string // district code, e.g. "21090"
	LivingZone      string
	HouseholdID     string
	ChildrenUnder19 int64
	Disability      bool
}

func (f Facts) vars() map[string]any {
	return map[string]any{
		"age": f.Age, "age_bracket": f.AgeBracket, "district": f.District, "living_zone": f.LivingZone,
		"household_id": f.HouseholdID, "children_under_19": f.ChildrenUnder19, "disability": f.Disability,
	}
}

// ruleVars are the variables rules are written over, and their CEL types.
var ruleVars = []cel.EnvOption{
	cel.Variable("age", cel.IntType),
	cel.Variable("age_bracket", cel.StringType),
	cel.Variable("district", cel.StringType),
	cel.Variable("living_zone", cel.StringType),
	cel.Variable("household_id", cel.StringType),
	cel.Variable("children_under_19", cel.IntType),
	cel.Variable("disability", cel.BoolType),
}

var env = func() *cel.Env {
	e, err := cel.NewEnv(ruleVars...)
	if err != nil {
		panic(err)
	}
	return e
}()

// maxRuleCost bounds what one evaluation may do, so that a rule cannot
// make a dry run over a million residents take forever.
const maxRuleCost = 10_000

// Rules are a programme's compiled eligibility and benefit rules.
type Rules struct {
	eligibility cel.Program
	benefit     cel.Program
	reads       []string // the variables the rules read, sorted
	Hash        string   // names this version of the rules
}

// CompileRules type-checks the eligibility rule (a bool) and the benefit
// rule (an int, the KRW a beneficiary gets). A rule that does not compile
// is refused with CEL's own words, which name the position.
func CompileRules(eligibility, benefit string) (*Rules, error) {
	reads := map[string]bool{}
	e, err := compile("eligibility", eligibility, cel.BoolType, reads)
	if err != nil {
		return nil, err
	}
	b, err := compile("benefit", benefit, cel.IntType, reads)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(eligibility + "\x00" + benefit))
	r := &Rules{eligibility: e, benefit: b, Hash: hex.EncodeToString(sum[:])}
	for v := range reads {
		r.reads = append(r.reads, v)
	}
	sort.Strings(r.reads)
	return r, nil
}

func compile(field, expr string, want *cel.Type, reads map[string]bool) (cel.Program, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, errs.Field(field, "funds.rule_missing")
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, errs.Field(field, "funds.rule_invalid", iss.Err().Error())
	}
	if !ast.OutputType().IsExactType(want) {
		return nil, errs.Field(field, "funds.rule_type", want.String(), ast.OutputType().String())
	}
	for _, ref := range ast.NativeRep().ReferenceMap() {
		if _, ok := claimOf[ref.Name]; ok {
			reads[ref.Name] = true
		}
	}
	return env.Program(ast, cel.CostLimit(maxRuleCost))
}

// Reads are the variables the rules look at: what an application must
// ask the wallet for, and nothing more.
func (r *Rules) Reads() []string { return r.reads }

// Decide applies the rules to one person: whether they qualify, and for
// how much.
func (r *Rules) Decide(f Facts) (bool, int64, error) {
	vars := f.vars()
	out, _, err := r.eligibility.Eval(vars)
	if err != nil {
		return false, 0, fmt.Errorf("funds: eligibility rule: %w", err)
	}
	if ok, _ := out.Value().(bool); !ok {
		return false, 0, nil
	}
	out, _, err = r.benefit.Eval(vars)
	if err != nil {
		return false, 0, fmt.Errorf("funds: benefit rule: %w", err)
	}
	amount, _ := out.Value().(int64)
	if amount <= 0 {
		return false, 0, nil
	}
	return true, amount, nil
}

// compiled holds each version of rules compiled once, by its text: the
// benefits page and every decision need them, and compiling CEL costs far
// more than evaluating it.
var compiled sync.Map

// rules are the programme's compiled rules.
func (p Programme) rules() (*Rules, error) {
	key := p.Eligibility + "\x00" + p.Benefit
	if r, ok := compiled.Load(key); ok {
		return r.(*Rules), nil
	}
	r, err := CompileRules(p.Eligibility, p.Benefit)
	if err != nil {
		return nil, err
	}
	compiled.Store(key, r)
	return r, nil
}
