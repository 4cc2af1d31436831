package funds

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// A reviewer's case: the application, the facts its decision read beside
// what the registry has now, and the decision.

type casePage struct {
	ReviewCase
	Reason string
	Facts  []reviewFact
	Open   bool
	Amount string
	Note   string
	Error  string
	Field  string
}

func (h *Handlers) renderCase(w http.ResponseWriter, r *http.Request, p casePage, failure error) error {
	if _, err := actor.Require(r.Context(), staff...); err != nil {
		return err
	}
	id, err := pathID(r, "id", "funds.application_not_found")
	if err != nil {
		return err
	}
	if p.ReviewCase, err = h.svc.ReviewCase(r.Context(), id); err != nil {
		return err
	}
	a := p.Application
	p.Reason = reasonText(r, a, p.Programme)
	p.Open = a.Status == Review || a.Status == Appealed
	if failure == nil && p.ReviewCase.Amount > 0 {
		p.Amount = itoa(p.ReviewCase.Amount)
	}
	names := districtNames(h.opts, r)
	for _, v := range p.Vars {
		f := reviewFact{Name: web.T(r, "review.fact."+v), Registry: factText(r, v, p.Registry[v], names)}
		if got, ok := a.Facts[v]; ok {
			f.Decided = factText(r, v, got, names)
		}
		f.Differ = f.Decided != "" && f.Decided != f.Registry
		p.Facts = append(p.Facts, f)
	}
	return h.views.RenderFailure(w, r, "staff_application", failure, &p.Error, &p.Field, &p)
}

func (h *Handlers) reviewCasePage(w http.ResponseWriter, r *http.Request) error {
	return h.renderCase(w, r, casePage{}, nil)
}

func (h *Handlers) decide(w http.ResponseWriter, r *http.Request) error {
	a, id, approve, err := staffDecision(r, "funds.application_not_found")
	if err != nil {
		return err
	}
	p := casePage{Amount: strings.TrimSpace(r.PostFormValue("amount")), Note: r.PostFormValue("note")}
	var amount int64
	if approve {
		if amount, err = krw(p.Amount, "amount"); err != nil {
			return h.renderCase(w, r, p, err)
		}
	}
	if _, err := h.svc.Resolve(r.Context(), id, a.ID, approve, amount, p.Note); err != nil {
		if _, ok := errs.As(err); ok && errs.CodeOf(err) != errs.NotFound {
			return h.renderCase(w, r, p, err)
		}
		return err
	}
	return web.Redirect(w, r, "/admin/applications", flashOf(approve, "review.approved_flash", "review.rejected_flash"))
}

// reviewFact is one fact a decision read, as the card gave it and as the
// registry has it now.
type reviewFact struct {
	Name     string
	Decided  string
	Registry string
	Differ   bool
}

// reasonText says why an application is in a reviewer's queue, in words:
// for a mismatch, which facts differed, by their names.
func reasonText(r *http.Request, a Application, p Programme) string {
	switch a.Reason {
	case "":
		return ""
	case "funds.review_mismatch":
		var names []string
		for _, v := range strings.Split(a.Detail, ", ") {
			names = append(names, web.T(r, "review.fact."+v))
		}
		return web.T(r, "review.mismatch", strings.Join(names, ", "))
	case "funds.review_rule_failed":
		return web.T(r, "review.rule_failed", a.Detail)
	case "funds.reason_rules":
		return web.T(r, a.Reason, p.Who(web.PrefsFrom(r.Context()).Lang))
	}
	return web.T(r, a.Reason)
}

// factText says a fact's value in words: yes or no, a district's name.
func factText(r *http.Request, variable string, v any, districts map[string]string) string {
	switch x := v.(type) {
	case bool:
		if x {
			return web.T(r, "review.yes")
		}
		return web.T(r, "review.no")
	case float64:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		if variable == "district" && districts[x] != "" {
			return districts[x]
		}
		return x
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func districtNames(opts Options, r *http.Request) map[string]string {
	names := map[string]string{}
	for _, d := range opts.districts(web.PrefsFrom(r.Context()).Lang) {
		names[d.Value] = d.Label
	}
	return names
}

// pathID reads a numeric id of the path; anything else is not found.
func pathID(r *http.Request, name, notFound string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.New(errs.NotFound, notFound)
	}
	return id, nil
}
