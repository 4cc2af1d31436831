package funds

import (
	"html/template"
	"net/http"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// A payment request at the till: its QR code for the citizen's phone,
// which turns into the result when the citizen has paid.

// PayPath is the citizen's page of a payment request, which the
// merchant's QR code opens.
func PayPath(requestID string) string { return "/pay/" + requestID }

func requestPath(merchantID int64, requestID string) string {
	return "/merchant/" + itoa(merchantID) + "/requests/" + requestID
}

type requestPage struct {
	Merchant Merchant
	Request  PaymentRequest
	Payment  *Payment
	Expired  bool
	QR       template.HTML
	Link     template.URL
}

func (h *Handlers) paymentRequest(r *http.Request) (requestPage, error) {
	m, _, err := h.owned(r)
	if err != nil {
		return requestPage{}, err
	}
	req, _, pay, err := h.svc.PaymentRequest(r.Context(), r.PathValue("rid"))
	if err == nil && req.MerchantID != m.ID {
		err = errs.New(errs.NotFound, "funds.payment_request_not_found")
	}
	return requestPage{Merchant: m, Request: req, Payment: pay, Expired: pay == nil && !h.svc.Now().Before(req.ExpiresAt)}, err
}

func (h *Handlers) paymentRequestPage(w http.ResponseWriter, r *http.Request) error {
	p, err := h.paymentRequest(r)
	if err != nil {
		return err
	}
	if p.Payment == nil && !p.Expired {
		link := h.issuer.For(r).URL + PayPath(p.Request.ID)
		p.Link = template.URL(link)
		if p.QR, err = qr.SVG(link, 320, web.T(r, "merchant.qr_label", won(p.Request.Amount))); err != nil {
			return err
		}
	}
	return h.views.Render(w, r, http.StatusOK, "merchant_request", p)
}

func (h *Handlers) paymentRequestStatus(w http.ResponseWriter, r *http.Request) error {
	p, err := h.paymentRequest(r)
	if err != nil {
		return err
	}
	// "answered" is what the waiting pages' script (verify.js) looks for.
	return web.JSON(w, http.StatusOK, map[string]bool{"paid": p.Payment != nil, "expired": p.Expired, "answered": p.Payment != nil || p.Expired})
}
