package funds

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// citizenPages are the citizen's side of the funds: the programmes they
// may apply to, their applications, their points and paying with them.
// An operator or guide acting for a citizen sees the citizen's pages and
// may apply or appeal for them, but only the citizen may pay.
type citizenPages struct {
	svc    *Service
	issuer identity.Issuer
	views  *web.Views
}

// registerCitizen serves the citizen's funds pages.
func registerCitizen(rt *web.Router, svc *Service, issuer identity.Issuer) {
	h := &citizenPages{svc: svc, issuer: issuer, views: web.MustViews(templateFS)}
	rt.Handle("GET /benefits", func(w http.ResponseWriter, r *http.Request) error { return h.benefits(w, r, nil) })
	rt.Handle("POST /benefits/{slug}/apply", h.apply)
	rt.Handle("GET /benefits/applications/{id}", func(w http.ResponseWriter, r *http.Request) error { return h.application(w, r, "", nil) })
	rt.Handle("GET /benefits/applications/{id}/status", h.applicationStatus)
	rt.Handle("POST /benefits/applications/{id}/appeal", h.appeal)
	rt.Handle("GET /points", h.points)
	rt.Handle("GET /points/receipts/{movement}", h.receipt)
	rt.Handle("GET /pay/{request}", func(w http.ResponseWriter, r *http.Request) error { return h.payPage(w, r, nil) })
	rt.Handle("POST /pay/{request}", h.pay)
	citizens := []actor.Role{actor.Citizen}
	rt.AddNav(web.NavItem{Key: "nav.benefits", Href: "/benefits", Group: web.GroupBenefits, Roles: citizens},
		web.NavItem{Key: "nav.my_points", Href: "/points", Group: web.GroupBenefits, Roles: citizens})
}

// citizenOf is the resident whose pages a request shows: the signed-in
// citizen's, or that of the citizen an operator or guide acts for; nil
// when they have not yet proved who they are.
func (h *citizenPages) citizenOf(r *http.Request) (*actor.Actor, *identity.Resident, error) {
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
func (h *citizenPages) resident(r *http.Request) (identity.Resident, error) {
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

func (h *citizenPages) benefits(w http.ResponseWriter, r *http.Request, ferr error) error {
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
	status, err := web.FormFailure(r, ferr, &p.Error, &p.Field)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, status, "benefits", p)
}

func (h *citizenPages) apply(w http.ResponseWriter, r *http.Request) error {
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

// own is an application of the request's citizen; anyone else's is not
// found, so that its number tells nothing.
func (h *citizenPages) own(r *http.Request) (identity.Resident, Application, error) {
	res, err := h.resident(r)
	if err != nil {
		return res, Application{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return res, Application{}, errs.New(errs.NotFound, "funds.application_not_found")
	}
	a, err := h.svc.Application(r.Context(), id)
	if err == nil && a.ResidentID != res.ID {
		err = errs.New(errs.NotFound, "funds.application_not_found")
	}
	return res, a, err
}

func (h *citizenPages) application(w http.ResponseWriter, r *http.Request, appeal string, ferr error) error {
	type page struct {
		App                  Application
		Name, Who, Slug      string
		Categories           string
		PointsUntil          time.Time
		CoPayment            int64
		Wallet               template.URL
		OtherApp             template.URL // the openid4vp:// link for any other wallet app
		QR                   template.HTML
		Asked                []string // what the wallet is asked for, in words
		Reason               string
		Differ               []string // the facts the registry and the card disagree on
		CanAppeal, CanRetry  bool
		Appeal, Error, Field string
	}
	_, a, err := h.own(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	base := h.issuer.For(r).URL
	if a, err = h.svc.Settle(ctx, a.ID, base); err != nil {
		return err
	}
	prog, err := h.svc.Programmes.byID(ctx, h.svc.db.Read(), a.ProgrammeID)
	if err != nil {
		return err
	}
	l := lang(r)
	p := page{App: a, Name: prog.Name(l), Who: prog.Who(l), Slug: prog.Slug, Categories: categoryWords(r, prog.Categories), PointsUntil: lastDay(prog.PointsExpire),
		CoPayment: prog.CoPayment, CanAppeal: a.Status == NotEligible || a.Status == Full, CanRetry: Retryable(a.Status), Appeal: appeal}
	if a.Status == Waiting {
		// The request itself says what was asked and where the wallet
		// answers, exactly as the wallet will read it.
		req, _, err := h.svc.pres.Outcome(ctx, a.RequestID, base)
		if err != nil {
			return err
		}
		p.Wallet, p.OtherApp = template.URL(req.WalletLink), template.URL(req.OpenIDLink)
		if p.QR, err = qr.SVG(req.WalletLink, 320, web.T(r, "funds.citizen.qr_label")); err != nil {
			return err
		}
		for _, c := range req.Claims {
			p.Asked = append(p.Asked, web.T(r, "identity.claim."+identity.ClaimKey(c)))
		}
	}
	switch {
	case a.Reason == "":
	case a.Reason == "funds.reason_rules":
		p.Reason = web.T(r, a.Reason, prog.Who(l))
	case a.Reason == "funds.review_mismatch":
		p.Reason = web.T(r, a.Reason)
		for _, v := range strings.Split(a.Detail, ", ") {
			if path, ok := claimOf[v]; ok {
				p.Differ = append(p.Differ, web.T(r, "identity.claim."+identity.ClaimKey(path)))
			}
		}
	case a.Reason == "funds.review_rule_failed" || a.Detail == "":
		// A failing rule's detail is for staff, not for the citizen.
		p.Reason = web.T(r, a.Reason)
	default:
		p.Reason = web.T(r, a.Reason, a.Detail)
	}
	status, err := web.FormFailure(r, ferr, &p.Error, &p.Field)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, status, "application", p)
}

// applicationStatus tells the waiting page's script (verify.js) whether
// the wallet has answered, without reading the answer.
func (h *citizenPages) applicationStatus(w http.ResponseWriter, r *http.Request) error {
	_, a, err := h.own(r)
	if err != nil {
		return err
	}
	answered := a.Status != Waiting
	if !answered {
		req, outcome, err := h.svc.pres.Outcome(r.Context(), a.RequestID, h.issuer.For(r).URL)
		switch {
		case errs.CodeOf(err) == errs.NotFound:
			answered = true
		case err != nil:
			return err
		default:
			answered = outcome != identity.OutcomePending || !h.svc.Now().Before(req.ExpiresAt)
		}
	}
	return web.JSON(w, http.StatusOK, map[string]bool{"answered": answered})
}

func (h *citizenPages) appeal(w http.ResponseWriter, r *http.Request) error {
	res, a, err := h.own(r)
	if err != nil {
		return err
	}
	text := r.PostFormValue("appeal")
	if _, err := h.svc.Appeal(r.Context(), res.ID, a.ID, text); err != nil {
		return h.application(w, r, text, err)
	}
	return web.Redirect(w, r, ApplicationPath(a.ID), "funds.citizen.appeal_sent")
}

func (h *citizenPages) points(w http.ResponseWriter, r *http.Request) error {
	type account struct {
		Account
		Name, Categories string
		Until            time.Time
		Usable, Soon     bool
	}
	type movement struct {
		Movement
		Name string
	}
	type page struct {
		Accounts  []account
		Movements []movement
	}
	res, err := h.resident(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	accounts, err := h.svc.Accounts(ctx, res.ID)
	if err != nil {
		return err
	}
	moves, err := h.svc.Movements(ctx, res.ID, 200)
	if err != nil {
		return err
	}
	now, l := h.svc.Now(), lang(r)
	names := map[string]string{}
	var p page
	for _, a := range accounts {
		names[a.Programme.Slug] = a.Programme.Name(l)
		p.Accounts = append(p.Accounts, account{Account: a, Name: a.Programme.Name(l), Categories: categoryWords(r, a.Programme.Categories),
			Until: lastDay(a.ExpiresAt), Usable: a.Usable(now), Soon: a.Balance > 0 && a.Usable(now) && a.ExpiresAt.Sub(now) <= 30*24*time.Hour})
	}
	for _, m := range moves {
		p.Movements = append(p.Movements, movement{Movement: m, Name: names[m.Programme]})
	}
	return h.views.Render(w, r, http.StatusOK, "points", p)
}

// receipt is the ledger receipt of one of the citizen's movements, which
// the points page checks in the browser (receipt.js) and which can be
// downloaded and checked offline.
func (h *citizenPages) receipt(w http.ResponseWriter, r *http.Request) error {
	res, err := h.resident(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("movement"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "ledger.entry_not_found")
	}
	receipt, err := h.svc.Receipt(r.Context(), res.ID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="maeul-points-receipt-`+strconv.FormatInt(id, 10)+`.json"`)
	return web.JSON(w, http.StatusOK, receipt)
}

// payer is the citizen paying in person: nobody pays for someone else,
// not even an operator acting for them.
func (h *citizenPages) payer(r *http.Request) (identity.Resident, error) {
	if err := payingInPerson(r.Context()); err != nil {
		return identity.Resident{}, err
	}
	if _, err := actor.Require(r.Context(), actor.Citizen); err != nil {
		return identity.Resident{}, err
	}
	return h.resident(r)
}

type payView struct {
	Quote
	Category  string
	Programme string // the name of the points that would pay
	Until     time.Time
	Key       string
	Refusal   string
	Error     string
	Field     string
	Done      *Payment
	Spending  Movement
}

func (h *citizenPages) payPage(w http.ResponseWriter, r *http.Request, ferr error) error {
	res, err := h.payer(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	q, err := h.svc.Quote(ctx, res.ID, r.PathValue("request"))
	if err != nil {
		return err
	}
	v := payView{Quote: q, Category: web.T(r, "funds.category."+q.Merchant.Category), Key: NewKey()}
	if q.Paid != nil && q.Paid.ResidentID == res.ID {
		// Paid already, by this citizen: the result again.
		return h.paid(w, r, v, *q.Paid, res.ID)
	}
	if q.Refusal != nil {
		v.Refusal = web.Message(r, q.Refusal)
	} else {
		v.Programme, v.Until = q.Account.Programme.Name(lang(r)), lastDay(q.Account.ExpiresAt)
	}
	status, err := web.FormFailure(r, ferr, &v.Error, &v.Field)
	if err != nil {
		return err
	}
	if v.Error == v.Refusal {
		v.Error = ""
	}
	return h.views.Render(w, r, status, "pay", v)
}

func (h *citizenPages) pay(w http.ResponseWriter, r *http.Request) error {
	res, err := h.payer(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Pay(r.Context(), res.ID, r.PathValue("request"), r.PostFormValue("key"))
	if err != nil {
		return h.payPage(w, r, err)
	}
	q, err := h.svc.Quote(r.Context(), res.ID, p.RequestID)
	if err != nil {
		return err
	}
	return h.paid(w, r, payView{Quote: q, Category: web.T(r, "funds.category."+q.Merchant.Category)}, p, res.ID)
}

// paid shows a payment made: the amount, where, and the balance it left,
// with its receipt. A reload of the form sends the same key again and
// shows this same payment.
func (h *citizenPages) paid(w http.ResponseWriter, r *http.Request, v payView, p Payment, residentID int64) error {
	m, err := h.svc.Spending(r.Context(), residentID, p.ID)
	if err != nil {
		return err
	}
	v.Done, v.Spending, v.Refusal = &p, m, ""
	accounts, err := h.svc.Accounts(r.Context(), residentID)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(accounts, func(a Account) bool { return a.Programme.Slug == p.Programme }); i >= 0 {
		v.Programme = accounts[i].Programme.Name(lang(r))
	}
	return h.views.Render(w, r, http.StatusOK, "pay", v)
}
