package funds

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
)

// Statuses of an application.
const (
	Waiting     = "waiting"      // the wallet has been asked and has not answered
	Declined    = "declined"     // the citizen chose not to share; may apply again
	Refused     = "refused"      // the presentation did not verify; may apply again
	Approved    = "approved"     // points credited
	AwaitingPay = "awaiting_pay" // approved; points follow the co-payment
	NotEligible = "not_eligible" // the rules say no; may appeal
	Full        = "full"         // eligible, but the quota or the budget is used up
	Review      = "review"       // sent to staff, e.g. the registry and the card disagree
	Appealed    = "appealed"     // the citizen asked staff to look again
	Rejected    = "rejected"     // staff said no after a review or an appeal
)

// Retryable reports whether a new application replaces one in this status.
func Retryable(status string) bool { return status == Declined || status == Refused }

// Application is a citizen's application to a programme and its decision.
type Application struct {
	ID           int64
	ProgrammeID  int64
	ResidentID   int64
	Status       string
	RequestID    string         // the presentation request the wallet answers
	RuleID       int64          // the version of the rules the decision used
	Facts        map[string]any // what the rules read, as decided on
	Presentation string         // where the facts came from (JSON)
	Arrival      int64          // place in the order of complete applications
	Amount       int64
	Reason       string // catalogue key of why, for a refusal or a review
	Detail       string
	Appeal       string
	ReviewNote   string
	CreatedAt    time.Time
	DecidedAt    time.Time
}

const applicationCols = `id, programme_id, resident_id, status, request_id, COALESCE(rule_id, 0), facts, presentation, COALESCE(arrival, 0),
	amount, reason, reason_detail, appeal, review_note, created_at, decided_at`

func scanApplication(row db.Scanner) (Application, error) {
	var a Application
	var facts string
	var decided sql.NullTime
	err := row.Scan(&a.ID, &a.ProgrammeID, &a.ResidentID, &a.Status, &a.RequestID, &a.RuleID, &facts, &a.Presentation, &a.Arrival,
		&a.Amount, &a.Reason, &a.Detail, &a.Appeal, &a.ReviewNote, &a.CreatedAt, &decided)
	if err != nil {
		return a, db.NotFound(err, "funds.application_not_found")
	}
	a.DecidedAt = decided.Time
	if facts != "" {
		err = json.Unmarshal([]byte(facts), &a.Facts)
	}
	return a, err
}

// Application returns one application.
func (s *Service) Application(ctx context.Context, id int64) (Application, error) {
	return scanApplication(s.db.QueryRow(ctx, `SELECT `+applicationCols+` FROM applications WHERE id = $1`, id))
}

// ApplicationOf is a resident's application to a programme, if any.
func (s *Service) ApplicationOf(ctx context.Context, residentID, programmeID int64) (Application, error) {
	return scanApplication(s.db.QueryRow(ctx, `SELECT `+applicationCols+` FROM applications WHERE resident_id = $1 AND programme_id = $2`,
		residentID, programmeID))
}

// ApplicationsOf are a resident's applications, by programme id.
func (s *Service) ApplicationsOf(ctx context.Context, residentID int64) (map[int64]Application, error) {
	rows, err := s.db.Query(ctx, `SELECT `+applicationCols+` FROM applications WHERE resident_id = $1`, residentID)
	list, err := db.Collect(rows, err, scanApplication)
	out := make(map[int64]Application, len(list))
	for _, a := range list {
		out[a.ProgrammeID] = a
	}
	return out, err
}

// Apply starts a resident's application: it asks the wallet, through the
// policy-funds office, for exactly the card claims the programme's rules
// read, and returns the request whose answer Settle decides on. base is
// the platform's public address.
func (s *Service) Apply(ctx context.Context, residentID int64, slug, base string) (Application, identity.PresentationRequest, error) {
	var none identity.PresentationRequest
	p, err := s.Programmes.BySlug(ctx, slug)
	if err != nil {
		return Application{}, none, err
	}
	now := s.Now()
	switch {
	case p.Mode != OnApplication:
		return Application{}, none, errs.New(errs.Conflict, "funds.no_application_needed")
	case !p.Open(now):
		return Application{}, none, errs.New(errs.Conflict, "funds.programme_closed")
	}
	rules, err := p.rules()
	if err != nil {
		return Application{}, none, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationCols+` FROM applications
			WHERE resident_id = $1 AND programme_id = $2`, residentID, p.ID))
		switch {
		case err == nil && !Retryable(a.Status) && a.Status != Waiting:
			return errs.New(errs.Conflict, "funds.already_applied")
		case err == nil:
			id = a.ID
			return nil
		case errs.CodeOf(err) != errs.NotFound:
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO applications (programme_id, resident_id, status, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, p.ID, residentID, Waiting, db.Time(now)).Scan(&id)
	})
	if db.IsUniqueViolation(err) {
		err = errs.New(errs.Conflict, "funds.already_applied")
	}
	if err != nil {
		return Application{}, none, err
	}
	req, err := s.pres.CreateReturning(ctx, PartySlug, claimsFor(p.needs(rules)), base, ApplicationPath(id))
	if errs.CodeOf(err) == errs.NotFound {
		// The first application of a new city registers its office.
		if err = s.EnsureParty(ctx); err == nil {
			req, err = s.pres.CreateReturning(ctx, PartySlug, claimsFor(p.needs(rules)), base, ApplicationPath(id))
		}
	}
	if err != nil {
		return Application{}, none, err
	}
	if _, err := s.db.Exec(ctx, `UPDATE applications SET status = $1, request_id = $2, reason = '', reason_detail = '' WHERE id = $3`,
		Waiting, req.ID, id); err != nil {
		return Application{}, none, err
	}
	a, err := s.Application(ctx, id)
	return a, req, err
}

// ApplicationPath is the citizen's page of an application, where the
// wallet sends the browser back.
func ApplicationPath(id int64) string { return "/benefits/applications/" + strconv.FormatInt(id, 10) }

// presentationRecord is what a decision keeps of the presentation it used;
// the request itself is forgotten after a day.
type presentationRecord struct {
	Source     string    `json:"source"` // "card" or "registry"
	Request    string    `json:"request,omitempty"`
	ClientID   string    `json:"client_id,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	Reviewer   int64     `json:"reviewer,omitempty"`
}

// Settle decides a waiting application once its wallet has answered: the
// presentation must be valid and of the applicant's own card; the card's
// facts must agree with the registry, or staff review it; then the rules
// decide, and an approval takes its place in the quota and the budget, in
// one transaction. It returns the application as it stands; one that is
// still waiting for the wallet is returned unchanged.
func (s *Service) Settle(ctx context.Context, id int64, base string) (Application, error) {
	a, err := s.Application(ctx, id)
	if err != nil || a.Status != Waiting || a.RequestID == "" {
		return a, err
	}
	res, err := s.pres.Result(ctx, a.RequestID, base)
	if errs.CodeOf(err) == errs.NotFound {
		return s.close(ctx, a, Refused, "identity.request_expired", "")
	}
	if err != nil {
		return a, err
	}
	switch res.Outcome {
	case identity.OutcomePending:
		if s.Now().Before(res.ExpiresAt) {
			return a, nil
		}
		return s.close(ctx, a, Refused, "identity.request_expired", "")
	case identity.OutcomeDeclined:
		return s.close(ctx, a, Declined, "", "")
	case identity.OutcomeInvalid:
		return s.close(ctx, a, Refused, res.Reason, res.Detail)
	}
	if res.Holder != a.ResidentID {
		return s.close(ctx, a, Refused, "funds.reason_not_own_card", "")
	}
	p, rules, err := s.programmeOf(ctx, a)
	if err != nil {
		return a, err
	}
	vars := p.needs(rules)
	at := s.Now()
	card, err := factsFromCard(res.Claims, vars, at)
	if err != nil {
		return s.close(ctx, a, Refused, "identity.reason_missing", "")
	}
	resident, err := s.registry.Get(ctx, a.ResidentID)
	if err != nil {
		return a, err
	}
	record, _ := json.Marshal(presentationRecord{Source: "card", Request: res.ID, ClientID: res.ClientID, AnsweredAt: res.AnsweredAt})
	d := decision{app: a, programme: p, rules: rules, vars: vars, facts: card, presentation: string(record), from: Waiting}
	if diff := differ(card, FactsOf(resident, at), vars); len(diff) > 0 {
		d.status, d.reason, d.detail = Review, "funds.review_mismatch", strings.Join(diff, ", ")
		return s.decide(ctx, d)
	}
	return s.decide(ctx, d.byRules())
}

// close ends a waiting application without a decision on the merits.
func (s *Service) close(ctx context.Context, a Application, status, reason, detail string) (Application, error) {
	_, err := s.db.Exec(ctx, `UPDATE applications SET status = $1, reason = $2, reason_detail = $3 WHERE id = $4 AND status = $5 AND request_id = $6`,
		status, reason, detail, a.ID, Waiting, a.RequestID)
	if err != nil {
		return a, err
	}
	return s.Application(ctx, a.ID)
}

// decision is what is about to be recorded for an application.
type decision struct {
	app          Application
	programme    Programme
	rules        *Rules
	vars         []string
	facts        Facts
	presentation string
	from         string // the status it is decided from
	status       string
	amount       int64
	reason       string
	detail       string
	reviewer     int64
	note         string
}

// byRules applies the rules to the facts.
func (d decision) byRules() decision {
	ok, amount, err := d.rules.Decide(d.facts)
	switch {
	case err != nil:
		d.status, d.reason, d.detail = Review, "funds.review_rule_failed", err.Error()
	case !ok:
		d.status, d.reason = NotEligible, "funds.reason_rules"
	default:
		d.status, d.amount = Approved, amount
	}
	return d
}

// decide records a decision in one transaction. An approval takes the
// next arrival number and a place under the quota and the budget on the
// programme's row, then the household's one benefit, then credits the
// points (or waits for the co-payment); if any is gone, the application
// is Full, or NotEligible for a household already served.
func (s *Service) decide(ctx context.Context, d decision) (Application, error) {
	facts := d.facts.only(d.vars)
	raw, _ := json.Marshal(facts)
	now := db.Time(s.Now())
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var arrival any
		if d.status == Approved {
			st, err := s.db.TxStmt(ctx, tx, `UPDATE programmes SET arrivals = arrivals + 1 WHERE id = $1 RETURNING arrivals`)
			if err != nil {
				return err
			}
			var n int64
			if err := st.QueryRowContext(ctx, d.programme.ID).Scan(&n); err != nil {
				return err
			}
			arrival, d.app.Arrival = n, n
			if err := s.approveTx(ctx, tx, &d); err != nil {
				return err
			}
		}
		st, err := s.db.TxStmt(ctx, tx, `UPDATE applications SET status = $1, rule_id = $2, facts = $3, presentation = $4, arrival = $5,
				amount = $6, reason = $7, reason_detail = $8, decided_at = $9, reviewed_by = $10, review_note = $11
			WHERE id = $12 AND status = $13`)
		if err != nil {
			return err
		}
		res, err := st.ExecContext(ctx, d.status, d.programme.RuleID, string(raw), d.presentation, arrival, d.amount, d.reason, d.detail,
			now, nullID(d.reviewer), d.note, d.app.ID, d.from)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "funds.application_decided")
		}
		if d.reviewer != 0 {
			return audit.Record(ctx, tx, audit.Entry{Action: "application." + d.status, SubjectType: "resident", SubjectID: d.app.ResidentID,
				Detail: "application=" + strconv.FormatInt(d.app.ID, 10)})
		}
		return nil
	})
	if err != nil {
		return d.app, err
	}
	// The application as now stored, without reading it back: the facts
	// as JSON gives them.
	a := d.app
	a.Status, a.RuleID, a.Presentation, a.Amount, a.Reason, a.Detail, a.DecidedAt = d.status, d.programme.RuleID,
		d.presentation, d.amount, d.reason, d.detail, now
	if d.note != "" {
		a.ReviewNote = d.note
	}
	return a, json.Unmarshal(raw, &a.Facts)
}

// approveTx takes the approval's place and pays it, or turns d into the
// reason there is none.
func (s *Service) approveTx(ctx context.Context, tx *sql.Tx, d *decision) error {
	p := d.programme
	if p.Unit == PerHousehold {
		res, err := tx.ExecContext(ctx, `INSERT INTO programme_households (programme_id, household_id, application_id) VALUES ($1, $2, $3)
			ON CONFLICT (programme_id, household_id) DO NOTHING`, p.ID, d.facts.HouseholdID, d.app.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			d.status, d.amount, d.reason = NotEligible, 0, "funds.reason_household"
			return nil
		}
	}
	take, err := s.db.TxStmt(ctx, tx, `UPDATE programmes SET committed = committed + $1, approved = approved + 1
		WHERE id = $2 AND committed + $1 <= budget AND (quota = 0 OR approved < quota) RETURNING approved`)
	if err != nil {
		return err
	}
	var approved int
	err = take.QueryRowContext(ctx, d.amount, p.ID).Scan(&approved)
	if errors.Is(err, sql.ErrNoRows) {
		reason := "funds.reason_budget_spent"
		if p.Quota > 0 {
			var taken int
			if err := tx.QueryRowContext(ctx, `SELECT approved FROM programmes WHERE id = $1`, p.ID).Scan(&taken); err != nil {
				return err
			}
			if taken >= p.Quota {
				reason = "funds.reason_quota_full"
			}
		}
		d.status, d.amount, d.reason = Full, 0, reason
		if p.Unit == PerHousehold {
			_, err := tx.ExecContext(ctx, `DELETE FROM programme_households WHERE programme_id = $1 AND application_id = $2`, p.ID, d.app.ID)
			return err
		}
		return nil
	}
	if err != nil {
		return err
	}
	if p.CoPayment > 0 {
		d.status = AwaitingPay
		return nil
	}
	_, err = s.creditTx(ctx, tx, d.app.ResidentID, p, d.amount)
	return err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// programmeOf is the programme a was made to, with its rules compiled.
func (s *Service) programmeOf(ctx context.Context, a Application) (Programme, *Rules, error) {
	p, err := s.Programmes.byID(ctx, s.db.Read(), a.ProgrammeID)
	if err != nil {
		return p, nil, err
	}
	rules, err := p.rules()
	return p, rules, err
}
