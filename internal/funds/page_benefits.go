package funds

import (
	"net/http"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/web"
)

// The citizen's side of the funds: the programmes they may apply to,
// their applications, their points and paying with them. An operator or
// guide acting for a citizen sees the citizen's pages and may apply or
// appeal for them, but only the citizen may pay.

// citizenOf is the resident whose pages a request shows: the signed-in
// citizen's, or that of the citizen an operator or guide acts for; nil
// when they have not yet proved who they are.
func (h *Handlers) citizenOf(r *http.Request) (*actor.Actor, *identity.Resident, error) {
	a, err := actor.Require(r.Context())
	if err != nil {
		return nil, nil, err
	}
	if a.ActingFor == nil && !a.Is(actor.Citizen) {
		return a, nil, errs.New(errs.Forbidden, "error.forbidden")
	}
	res, err := h.svc.registry.ResidentOf(r.Context(), a.Subject().ID)
	if errs.CodeOf(err) == errs.NotFound {
		return a, nil, nil
	}
	if err != nil {
		return a, nil, err
	}
	return a, &res, nil
}

// resident is citizenOf for the pages that need a proofed citizen.
func (h *Handlers) resident(r *http.Request) (identity.Resident, error) {
	_, res, err := h.citizenOf(r)
	if err != nil {
		return identity.Resident{}, err
	}
	if res == nil {
		return identity.Resident{}, errs.New(errs.Conflict, "funds.citizen.needs_card").Needs("/my/card", "needs.get_card")
	}
	return *res, nil
}

func lang(r *http.Request) string { return web.PrefsFrom(r.Context()).Lang }

// lastDay is the last day before an exclusive end, as people say "until".
func lastDay(end time.Time) time.Time { return end.Add(-time.Second) }

// categoryWords names the kinds of shop points may be spent at.
func categoryWords(r *http.Request, cats []string) string {
	words := make([]string, len(cats))
	for i, c := range cats {
		words[i] = web.T(r, "funds.category."+c)
	}
	return strings.Join(words, ", ")
}

// benefitRow is one open programme as the benefits page lists it.
type benefitRow struct {
	Programme
	Name, Description, Who, Categories string
	LastDay, PointsUntil               time.Time
	Applies                            bool   // citizens apply; otherwise everyone eligible is paid
	Estimate                           string // "yes" or "no" by the registry, "" when unknown
	EstimateAmount                     int64
	Application                        *Application
	Status                             string // the application's status in words
	CanApply                           bool
}

func (h *Handlers) benefits(w http.ResponseWriter, r *http.Request, ferr error) error {
	type page struct {
		SignedIn, Citizen, Proofed, Acting bool
		Rows                               []benefitRow
		Error, Field                       string
	}
	var p page
	a, res, err := h.citizenOf(r)
	switch errs.CodeOf(err) {
	case errs.Unauthorized, errs.Forbidden:
		// Anyone may read what the programmes are; only a citizen sees
		// their own standing.
	default:
		if err != nil {
			return err
		}
	}
	p.SignedIn, p.Citizen, p.Proofed, p.Acting = a != nil, a != nil && err == nil, res != nil, a != nil && a.ActingFor != nil
	ctx := r.Context()
	all, err := h.svc.Programmes.List(ctx)
	if err != nil {
		return err
	}
	var apps map[int64]Application
	if res != nil {
		if apps, err = h.svc.ApplicationsOf(ctx, res.ID); err != nil {
			return err
		}
	}
	now := h.svc.Now()
	l := lang(r)
	for _, prog := range all {
		if !prog.Open(now) {
			continue
		}
		row := benefitRow{Programme: prog, Name: prog.Name(l), Description: prog.Description(l), Who: prog.Who(l),
			Categories: categoryWords(r, prog.Categories), LastDay: lastDay(prog.ClosesAt), PointsUntil: lastDay(prog.PointsExpire),
			Applies: prog.Mode == OnApplication}
		if res != nil {
			if rules, err := prog.rules(); err == nil {
				if ok, amount, err := rules.Decide(FactsOf(*res, now)); err == nil {
					row.Estimate, row.EstimateAmount = "no", amount
					if ok {
						row.Estimate = "yes"
					}
				}
			}
			if app, ok := apps[prog.ID]; ok {
				row.Application, row.Status = &app, web.T(r, "funds.citizen.status."+app.Status)
			}
			row.CanApply = row.Applies && (row.Application == nil || Retryable(row.Application.Status))
		}
		p.Rows = append(p.Rows, row)
	}
	return h.views.RenderFailure(w, r, "benefits", ferr, &p.Error, &p.Field, &p)
}

func (h *Handlers) apply(w http.ResponseWriter, r *http.Request) error {
	res, err := h.resident(r)
	if err != nil {
		return h.benefits(w, r, err)
	}
	a, _, err := h.svc.Apply(r.Context(), res.ID, r.PathValue("slug"), h.issuer.For(r).URL)
	if err != nil {
		return h.benefits(w, r, err)
	}
	return web.Redirect(w, r, ApplicationPath(a.ID), "")
}

func (h *Handlers) benefitsPage(w http.ResponseWriter, r *http.Request) error {
	return h.benefits(w, r, nil)
}
