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

// registerStaff serves the funds staff's desks: merchants waiting for
// approval, applications waiting for review, and co-payments due.
func registerStaff(rt *web.Router, svc *Service, opts Options) {
	views := web.MustViews(templateFS)
	staff := []actor.Role{actor.FundsAdmin}

	type merchantsPage struct {
		Pending  []Merchant
		Decided  []Merchant
		District map[string]string
		Error    string
		Field    string
		For      int64 // the merchant whose decision was refused
	}
	merchants := func(w http.ResponseWriter, r *http.Request, forID int64, failure error) error {
		if _, err := actor.Require(r.Context(), staff...); err != nil {
			return err
		}
		p := merchantsPage{District: districtNames(opts, r), For: forID}
		all, err := svc.Merchants(r.Context(), "")
		if err != nil {
			return err
		}
		for _, m := range all {
			if m.Status == MerchantPending {
				p.Pending = append(p.Pending, m)
			} else {
				p.Decided = append(p.Decided, m)
			}
		}
		status, err := web.FormFailure(r, failure, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "staff_merchants", p)
	}
	rt.Handle("GET /admin/merchants", func(w http.ResponseWriter, r *http.Request) error { return merchants(w, r, 0, nil) })
	rt.Handle("POST /admin/merchants/{id}/decision", func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor.Require(r.Context(), staff...)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id", "funds.merchant_not_found")
		if err != nil {
			return err
		}
		approve := r.PostFormValue("decision") == "approve"
		note := strings.TrimSpace(r.PostFormValue("note"))
		if !approve {
			// The owner reads why, and what to do about it.
			if note, err = text("note", note); err != nil {
				return merchants(w, r, id, err)
			}
		} else if len([]rune(note)) > MaxText {
			return merchants(w, r, id, errs.Field("note", "funds.text_too_long", MaxText))
		}
		if err := svc.DecideMerchant(r.Context(), id, a.ID, approve, note); err != nil {
			return err
		}
		flash := "merchants.refused_flash"
		if approve {
			flash = "merchants.approved_flash"
		}
		return web.Redirect(w, r, "/admin/merchants", flash)
	})

	type queueItem struct {
		Application
		Programme Programme
		Reason    string
	}
	type queuePage struct {
		Queue  []queueItem
		Due    []queueItem
		Error  string
		Field  string
		For    int64
		Values map[string]string
	}
	programmeOf := func(r *http.Request, cache map[int64]Programme, id int64) (Programme, error) {
		if p, ok := cache[id]; ok {
			return p, nil
		}
		p, err := svc.Programmes.byID(r.Context(), svc.db.Read(), id)
		cache[id] = p
		return p, err
	}
	items := func(r *http.Request, list []Application, cache map[int64]Programme) ([]queueItem, error) {
		out := make([]queueItem, 0, len(list))
		for _, a := range list {
			p, err := programmeOf(r, cache, a.ProgrammeID)
			if err != nil {
				return nil, err
			}
			out = append(out, queueItem{Application: a, Programme: p, Reason: reasonText(r, a, p)})
		}
		return out, nil
	}
	queue := func(w http.ResponseWriter, r *http.Request, p queuePage, failure error) error {
		if _, err := actor.Require(r.Context(), staff...); err != nil {
			return err
		}
		cache := map[int64]Programme{}
		list, err := svc.ReviewQueue(r.Context())
		if err != nil {
			return err
		}
		if p.Queue, err = items(r, list, cache); err != nil {
			return err
		}
		if list, err = svc.AwaitingCoPayment(r.Context()); err != nil {
			return err
		}
		if p.Due, err = items(r, list, cache); err != nil {
			return err
		}
		status, err := web.FormFailure(r, failure, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "staff_applications", p)
	}
	rt.Handle("GET /admin/applications", func(w http.ResponseWriter, r *http.Request) error { return queue(w, r, queuePage{}, nil) })
	rt.Handle("POST /admin/applications/{id}/co-payment", func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor.Require(r.Context(), staff...)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id", "funds.application_not_found")
		if err != nil {
			return err
		}
		ref := r.PostFormValue("reference")
		if _, err := svc.RecordCoPayment(r.Context(), id, a.ID, ref); err != nil {
			return queue(w, r, queuePage{For: id, Values: map[string]string{"reference": ref}}, err)
		}
		return web.Redirect(w, r, "/admin/applications", "review.co_paid_flash")
	})

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
	reviewCase := func(w http.ResponseWriter, r *http.Request, p casePage, failure error) error {
		if _, err := actor.Require(r.Context(), staff...); err != nil {
			return err
		}
		id, err := pathID(r, "id", "funds.application_not_found")
		if err != nil {
			return err
		}
		if p.ReviewCase, err = svc.ReviewCase(r.Context(), id); err != nil {
			return err
		}
		a := p.Application
		p.Reason = reasonText(r, a, p.Programme)
		p.Open = a.Status == Review || a.Status == Appealed
		if failure == nil && p.ReviewCase.Amount > 0 {
			p.Amount = itoa(p.ReviewCase.Amount)
		}
		names := districtNames(opts, r)
		for _, v := range p.Vars {
			f := reviewFact{Name: web.T(r, "review.fact."+v), Registry: factText(r, v, p.Registry[v], names)}
			if got, ok := a.Facts[v]; ok {
				f.Decided = factText(r, v, got, names)
			}
			f.Differ = f.Decided != "" && f.Decided != f.Registry
			p.Facts = append(p.Facts, f)
		}
		status, err := web.FormFailure(r, failure, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "staff_application", p)
	}
	rt.Handle("GET /admin/applications/{id}", func(w http.ResponseWriter, r *http.Request) error {
		return reviewCase(w, r, casePage{}, nil)
	})
	rt.Handle("POST /admin/applications/{id}/decision", func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor.Require(r.Context(), staff...)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id", "funds.application_not_found")
		if err != nil {
			return err
		}
		approve := r.PostFormValue("decision") == "approve"
		p := casePage{Amount: strings.TrimSpace(r.PostFormValue("amount")), Note: r.PostFormValue("note")}
		var amount int64
		if approve {
			if amount, err = krw(p.Amount, "amount"); err != nil {
				return reviewCase(w, r, p, err)
			}
		}
		if _, err := svc.Resolve(r.Context(), id, a.ID, approve, amount, p.Note); err != nil {
			if _, ok := errs.As(err); ok && errs.CodeOf(err) != errs.NotFound {
				return reviewCase(w, r, p, err)
			}
			return err
		}
		flash := "review.rejected_flash"
		if approve {
			flash = "review.approved_flash"
		}
		return web.Redirect(w, r, "/admin/applications", flash)
	})
	rt.AddNav(web.NavItem{Key: "nav.funds_merchants", Href: "/admin/merchants", Group: web.GroupWorkFunds, Roles: staff},
		web.NavItem{Key: "nav.funds_review", Href: "/admin/applications", Group: web.GroupWorkFunds, Roles: staff})
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
