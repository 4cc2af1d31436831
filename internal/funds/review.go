package funds

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
)

// MaxText bounds what a citizen or staff member writes in one go.
const MaxText = 2000

func text(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return s, errs.Field(field, "funds.text_missing")
	case utf8.RuneCountInString(s) > MaxText:
		return s, errs.Field(field, "funds.text_too_long", MaxText)
	}
	return s, nil
}

// Appeal asks staff to look again at a refusal, with the citizen's own
// explanation. Only the applicant may appeal, once.
func (s *Service) Appeal(ctx context.Context, residentID, id int64, explanation string) (Application, error) {
	explanation, err := text("appeal", explanation)
	if err != nil {
		return Application{}, err
	}
	res, err := s.db.Exec(ctx, `UPDATE applications SET status = $1, appeal = $2 WHERE id = $3 AND resident_id = $4 AND status IN ($5, $6)`,
		Appealed, explanation, id, residentID, NotEligible, Full)
	if err != nil {
		return Application{}, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		a, err := s.Application(ctx, id)
		if err != nil || a.ResidentID != residentID {
			return Application{}, errs.New(errs.NotFound, "funds.application_not_found")
		}
		return a, errs.New(errs.Conflict, "funds.appeal_not_possible")
	}
	return s.Application(ctx, id)
}

// ReviewQueue are the applications waiting for staff: sent to review, or
// appealed, oldest first.
func (s *Service) ReviewQueue(ctx context.Context) ([]Application, error) {
	rows, err := s.db.Query(ctx, `SELECT `+applicationCols+` FROM applications WHERE status IN ($1, $2) ORDER BY created_at, id`, Review, Appealed)
	return db.Collect(rows, err, scanApplication)
}

// Resolve is a reviewer's decision on an application in review or
// appealed. Approving grants amount (the rules' figure when 0) and still
// takes its place under the quota and the budget, and the household's one
// benefit; rejecting needs a note the citizen will read, approving may
// have one. Reading the
// registry to decide is audited.
func (s *Service) Resolve(ctx context.Context, id, reviewerID int64, approve bool, amount int64, note string) (Application, error) {
	a, err := s.Application(ctx, id)
	if err != nil {
		return a, err
	}
	if a.Status != Review && a.Status != Appealed {
		return a, errs.New(errs.Conflict, "funds.application_decided")
	}
	if note = strings.TrimSpace(note); !approve || note != "" {
		if note, err = text("note", note); err != nil {
			return a, err
		}
	}
	p, rules, err := s.programmeOf(ctx, a)
	if err != nil {
		return a, err
	}
	resident, err := s.registry.Get(ctx, a.ResidentID)
	if err != nil {
		return a, err
	}
	// The reviewer decides on the registry's facts: it is the record
	// staff can correct, and the card is issued from it.
	facts := FactsOf(resident, s.Now())
	record, _ := json.Marshal(presentationRecord{Source: "registry", Reviewer: reviewerID})
	d := decision{app: a, programme: p, rules: rules, vars: p.needs(rules), facts: facts, presentation: string(record), from: a.Status,
		reviewer: reviewerID, note: note}
	if !approve {
		d.status, d.reason = Rejected, "funds.reason_reviewed"
		return s.decide(ctx, d)
	}
	if amount < 0 {
		return a, errs.Field("amount", "funds.amount_invalid")
	}
	if amount == 0 {
		if _, amount, err = rules.Decide(facts); err != nil || amount <= 0 {
			return a, errs.Field("amount", "funds.amount_needed")
		}
	}
	d.status, d.amount = Approved, amount
	return s.decide(ctx, d)
}

// RecordCoPayment credits the points of an approval that waited for the
// citizen's co-payment, once the payment provider (or the counter) has
// taken it; reference is the provider's receipt number.
func (s *Service) RecordCoPayment(ctx context.Context, id, staffID int64, reference string) (Application, error) {
	reference, err := text("reference", reference)
	if err != nil {
		return Application{}, err
	}
	a, err := s.Application(ctx, id)
	if err != nil {
		return a, err
	}
	p, err := s.Programmes.byID(ctx, s.db.Read(), a.ProgrammeID)
	if err != nil {
		return a, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE applications SET status = $1, review_note = $2 WHERE id = $3 AND status = $4`,
			Approved, "co-payment "+reference, id, AwaitingPay)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "funds.no_co_payment_due")
		}
		if _, err := s.creditTx(ctx, tx, a.ResidentID, p, a.Amount); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "application.co_paid", SubjectType: "resident", SubjectID: a.ResidentID,
			Detail: "application=" + strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return a, err
	}
	return s.Application(ctx, id)
}

// AwaitingCoPayment are the approvals waiting for the citizen's
// co-payment, oldest first, for staff to record it when it arrives.
func (s *Service) AwaitingCoPayment(ctx context.Context) ([]Application, error) {
	rows, err := s.db.Query(ctx, `SELECT `+applicationCols+` FROM applications WHERE status = $1 ORDER BY decided_at, id`, AwaitingPay)
	return db.Collect(rows, err, scanApplication)
}

// ReviewCase is what a reviewer sees of an application: its programme, the
// registry's facts now for the variables its rules read (beside those the
// decision was made on) and what the rules give on them.
type ReviewCase struct {
	Application Application
	Programme   Programme
	Resident    identity.Resident
	Vars        []string
	Registry    map[string]any
	Eligible    bool
	Amount      int64 // the rules' figure on the registry's facts
}

// ReviewCase reads an application and the registry for its reviewer; the
// read of the registry is audited.
func (s *Service) ReviewCase(ctx context.Context, id int64) (ReviewCase, error) {
	a, err := s.Application(ctx, id)
	if err != nil {
		return ReviewCase{}, err
	}
	p, rules, err := s.programmeOf(ctx, a)
	if err != nil {
		return ReviewCase{}, err
	}
	resident, err := s.registry.Get(ctx, a.ResidentID)
	if err != nil {
		return ReviewCase{}, err
	}
	if err := audit.Record(ctx, s.db.Write(), audit.Entry{Action: "application.registry_read", SubjectType: "resident", SubjectID: a.ResidentID,
		Detail: "application=" + strconv.FormatInt(id, 10)}); err != nil {
		return ReviewCase{}, err
	}
	facts := FactsOf(resident, s.Now())
	c := ReviewCase{Application: a, Programme: p, Resident: resident, Vars: p.needs(rules), Registry: facts.vars()}
	if ok, amount, err := rules.Decide(facts); err == nil && ok {
		c.Eligible, c.Amount = true, amount
	}
	return c, nil
}
