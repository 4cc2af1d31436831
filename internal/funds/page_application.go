package funds

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// A citizen's application: its page, the status its waiting page asks
// for, and the appeal.

// own is an application of the request's citizen; anyone else's is not
// found, so that its number tells nothing.
func (h *Handlers) own(r *http.Request) (identity.Resident, Application, error) {
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

func (h *Handlers) application(w http.ResponseWriter, r *http.Request, appeal string, ferr error) error {
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
	return h.views.RenderFailure(w, r, "application", ferr, &p.Error, &p.Field, &p)
}

// applicationStatus tells the waiting page's script (verify.js) whether
// the wallet has answered, without reading the answer.
func (h *Handlers) applicationStatus(w http.ResponseWriter, r *http.Request) error {
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

func (h *Handlers) appeal(w http.ResponseWriter, r *http.Request) error {
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

func (h *Handlers) applicationPage(w http.ResponseWriter, r *http.Request) error {
	return h.application(w, r, "", nil)
}
