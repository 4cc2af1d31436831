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
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// PayPath is the citizen's page of a payment request, which the
// merchant's QR code opens.
func PayPath(requestID string) string { return "/pay/" + requestID }

// registerMerchant serves the pages of a business that takes points: its
// registration, and once staff approved it, its till: a payment QR for an
// amount, which turns into the result when the citizen has paid, and the
// day's payments with their refunds.
func registerMerchant(rt *web.Router, svc *Service, issuer identity.Issuer, opts Options) {
	views := web.MustViews(templateFS)
	owners := []actor.Role{actor.Citizen}

	type listPage struct {
		Merchants  []Merchant
		Form       Merchant
		ShowForm   bool
		Categories []string
		Districts  []web.Option
		District   map[string]string
		Error      string
		Field      string
	}
	list := func(w http.ResponseWriter, r *http.Request, form Merchant, showForm bool, failure error) error {
		a, err := actor.Require(r.Context(), owners...)
		if err != nil {
			return err
		}
		p := listPage{Form: form, Categories: Categories, Districts: opts.districts(web.PrefsFrom(r.Context()).Lang), District: districtNames(opts, r)}
		if p.Merchants, err = svc.MerchantsOf(r.Context(), a.ID); err != nil {
			return err
		}
		p.ShowForm = showForm || len(p.Merchants) == 0
		status, err := web.FormFailure(r, failure, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "merchant", p)
	}
	rt.Handle("GET /merchant", func(w http.ResponseWriter, r *http.Request) error {
		return list(w, r, Merchant{}, r.URL.Query().Get("new") != "", nil)
	})
	rt.Handle("POST /merchant", func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor.Require(r.Context(), owners...)
		if err != nil {
			return err
		}
		form := Merchant{BusinessNumber: r.PostFormValue("business_number"), Name: r.PostFormValue("name"), Category: r.PostFormValue("category"),
			District: r.PostFormValue("district")}
		if form.District != "" && !slices.ContainsFunc(opts.districts(web.PrefsFrom(r.Context()).Lang), func(o web.Option) bool { return o.Value == form.District }) {
			return list(w, r, form, true, errs.Field("district", "funds.district_missing"))
		}
		if _, err := svc.RegisterMerchant(r.Context(), a.ID, form); err != nil {
			return list(w, r, form, true, err)
		}
		return web.Redirect(w, r, "/merchant", "merchant.registered")
	})

	// owned is the merchant of the path if the signed-in account runs it;
	// anyone else's is not found.
	owned := func(r *http.Request) (Merchant, *actor.Actor, error) {
		a, err := actor.Require(r.Context(), owners...)
		if err != nil {
			return Merchant{}, nil, err
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			return Merchant{}, a, errs.New(errs.NotFound, "funds.merchant_not_found")
		}
		m, err := svc.OwnedMerchant(r.Context(), a.ID, id)
		return m, a, err
	}

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
	till := func(w http.ResponseWriter, r *http.Request, p tillPage, failure error) error {
		m, _, err := owned(r)
		if err != nil {
			return err
		}
		if m.Status != MerchantApproved {
			return web.Redirect(w, r, "/merchant", "")
		}
		p.Merchant = m
		from := dayStart(svc.Now())
		pays, err := svc.Payments(r.Context(), m.ID, from, from.AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		for _, pay := range pays {
			p.Payments = append(p.Payments, tillPayment{Payment: pay, Rest: pay.Amount - pay.Refunded, Key: NewKey()})
			p.Total += pay.Amount - pay.Refunded
		}
		status, err := web.FormFailure(r, failure, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "merchant_till", p)
	}
	rt.Handle("GET /merchant/{id}", func(w http.ResponseWriter, r *http.Request) error { return till(w, r, tillPage{}, nil) })
	rt.Handle("POST /merchant/{id}/requests", func(w http.ResponseWriter, r *http.Request) error {
		m, a, err := owned(r)
		if err != nil {
			return err
		}
		typed := strings.TrimSpace(r.PostFormValue("amount"))
		amount, err := krw(typed, "amount")
		if err == nil {
			var req PaymentRequest
			if req, err = svc.RequestPayment(r.Context(), a.ID, m.ID, amount); err == nil {
				return web.Redirect(w, r, requestPath(m.ID, req.ID), "")
			}
		}
		return till(w, r, tillPage{Amount: typed}, err)
	})
	rt.Handle("POST /merchant/{id}/payments/{pid}/refund", func(w http.ResponseWriter, r *http.Request) error {
		m, a, err := owned(r)
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
			pay, err := svc.payment(r.Context(), m.ID, pid, nil)
			if err != nil {
				return err
			}
			amount = pay.Amount - pay.Refunded
		} else if amount, err = krw(typed, "amount"); err != nil {
			return till(w, r, tillPage{RefundFor: pid, Refund: typed}, err)
		}
		pay, err := svc.Refund(r.Context(), a.ID, m.ID, pid, amount, r.PostFormValue("key"))
		if errs.CodeOf(err) == errs.Invalid {
			return till(w, r, tillPage{RefundFor: pid, Refund: typed}, err)
		}
		if err != nil {
			return err
		}
		flash := "merchant.refunded"
		if pay.Refunded == pay.Amount {
			flash = "merchant.refunded_all"
		}
		return web.Redirect(w, r, "/merchant/"+itoa(m.ID), flash)
	})

	type requestPage struct {
		Merchant Merchant
		Request  PaymentRequest
		Payment  *Payment
		Expired  bool
		QR       template.HTML
		Link     template.URL
	}
	request := func(r *http.Request) (requestPage, error) {
		m, _, err := owned(r)
		if err != nil {
			return requestPage{}, err
		}
		req, _, pay, err := svc.PaymentRequest(r.Context(), r.PathValue("rid"))
		if err == nil && req.MerchantID != m.ID {
			err = errs.New(errs.NotFound, "funds.payment_request_not_found")
		}
		return requestPage{Merchant: m, Request: req, Payment: pay, Expired: pay == nil && !svc.Now().Before(req.ExpiresAt)}, err
	}
	rt.Handle("GET /merchant/{id}/requests/{rid}", func(w http.ResponseWriter, r *http.Request) error {
		p, err := request(r)
		if err != nil {
			return err
		}
		if p.Payment == nil && !p.Expired {
			link := issuer.For(r).URL + PayPath(p.Request.ID)
			p.Link = template.URL(link)
			if p.QR, err = qr.SVG(link, 320, web.T(r, "merchant.qr_label", won(p.Request.Amount))); err != nil {
				return err
			}
		}
		return views.Render(w, r, http.StatusOK, "merchant_request", p)
	})
	rt.Handle("GET /merchant/{id}/requests/{rid}/status", func(w http.ResponseWriter, r *http.Request) error {
		p, err := request(r)
		if err != nil {
			return err
		}
		// "answered" is what the waiting pages' script (verify.js) looks for.
		return web.JSON(w, http.StatusOK, map[string]bool{"paid": p.Payment != nil, "expired": p.Expired, "answered": p.Payment != nil || p.Expired})
	})
	rt.AddNav(web.NavItem{Key: "nav.merchant", Href: "/merchant", Group: web.GroupBenefits, Roles: owners})
}

func requestPath(merchantID int64, requestID string) string {
	return "/merchant/" + itoa(merchantID) + "/requests/" + requestID
}

// dayStart is the start of t's day in the city.
func dayStart(t time.Time) time.Time {
	t = t.In(i18n.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, i18n.Zone)
}
