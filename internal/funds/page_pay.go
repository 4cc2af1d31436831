package funds

import (
	"net/http"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/web"
)

// payer is the citizen paying in person: nobody pays for someone else,
// not even an operator acting for them.
func (h *Handlers) payer(r *http.Request) (identity.Resident, error) {
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

func (h *Handlers) payPage(w http.ResponseWriter, r *http.Request, ferr error) error {
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

func (h *Handlers) pay(w http.ResponseWriter, r *http.Request) error {
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
func (h *Handlers) paid(w http.ResponseWriter, r *http.Request, v payView, p Payment, residentID int64) error {
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

func (h *Handlers) payForm(w http.ResponseWriter, r *http.Request) error {
	return h.payPage(w, r, nil)
}
