package funds

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// A merchant's till: a payment QR for an amount (page_payment_request.go),
// and the day's payments with their refunds.

type tillPayment struct {
	Payment
	Rest int64 // what may still be refunded
	Key  string
}

type tillPage struct {
	Merchant  Merchant
	Amount    string
	Payments  []tillPayment
	Total     int64
	Error     string
	Field     string
	RefundFor int64 // the payment whose refund was refused
	Refund    string
}

func (h *Handlers) renderTill(w http.ResponseWriter, r *http.Request, p tillPage, failure error) error {
	m, _, err := h.owned(r)
	if err != nil {
		return err
	}
	if m.Status != MerchantApproved {
		return web.Redirect(w, r, "/merchant", "")
	}
	p.Merchant = m
	from := dayStart(h.svc.Now())
	pays, err := h.svc.Payments(r.Context(), m.ID, from, from.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	for _, pay := range pays {
		p.Payments = append(p.Payments, tillPayment{Payment: pay, Rest: pay.Amount - pay.Refunded, Key: NewKey()})
		p.Total += pay.Amount - pay.Refunded
	}
	return h.views.RenderFailure(w, r, "merchant_till", failure, &p.Error, &p.Field, &p)
}

func (h *Handlers) tillPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderTill(w, r, tillPage{}, nil)
}

func (h *Handlers) requestPayment(w http.ResponseWriter, r *http.Request) error {
	m, a, err := h.owned(r)
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(r.PostFormValue("amount"))
	amount, err := krw(typed, "amount")
	if err == nil {
		var req PaymentRequest
		if req, err = h.svc.RequestPayment(r.Context(), a.ID, m.ID, amount); err == nil {
			return web.Redirect(w, r, requestPath(m.ID, req.ID), "")
		}
	}
	return h.renderTill(w, r, tillPage{Amount: typed}, err)
}

func (h *Handlers) refund(w http.ResponseWriter, r *http.Request) error {
	m, a, err := h.owned(r)
	if err != nil {
		return err
	}
	pid, err := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "funds.payment_not_found")
	}
	typed := strings.TrimSpace(r.PostFormValue("amount"))
	var amount int64
	if typed == "" {
		// Empty: all that is left of the payment.
		pay, err := h.svc.payment(r.Context(), m.ID, pid, nil)
		if err != nil {
			return err
		}
		amount = pay.Amount - pay.Refunded
	} else if amount, err = krw(typed, "amount"); err != nil {
		return h.renderTill(w, r, tillPage{RefundFor: pid, Refund: typed}, err)
	}
	pay, err := h.svc.Refund(r.Context(), a.ID, m.ID, pid, amount, r.PostFormValue("key"))
	if errs.CodeOf(err) == errs.Invalid {
		return h.renderTill(w, r, tillPage{RefundFor: pid, Refund: typed}, err)
	}
	if err != nil {
		return err
	}
	flash := "merchant.refunded"
	if pay.Refunded == pay.Amount {
		flash = "merchant.refunded_all"
	}
	return web.Redirect(w, r, "/merchant/"+itoa(m.ID), flash)
}

// dayStart is the start of t's day in the city.
func dayStart(t time.Time) time.Time {
	t = t.In(i18n.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, i18n.Zone)
}
