package funds

import (
	"embed"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves the funds part's pages and API.
type Handlers struct {
	svc    *Service
	issuer identity.Issuer
	opts   Options
	views  *web.Views
}

// staff are the roles of the funds' staff desks.
var staff = []actor.Role{actor.FundsAdmin}

// Register serves the funds part's pages and API. issuer gives the
// platform's public address, to which wallets answer.
func Register(rt *web.Router, svc *Service, issuer identity.Issuer, opts Options) {
	h := &Handlers{svc: svc, issuer: issuer, opts: opts, views: web.MustViews(templateFS)}
	// The programme admin's pages (page_programmes.go) and API (api.go).
	rt.Handle("GET /admin/programmes", h.programmesPage)
	rt.Handle("POST /admin/programmes", h.saveProgramme)
	rt.Handle("GET /api/v1/programmes", h.programmesAPI)
	rt.Handle("POST /api/v1/programmes", h.saveProgrammeAPI)
	// The citizen's: page_benefits.go, page_application.go, page_points.go, page_pay.go.
	rt.Handle("GET /benefits", h.benefitsPage)
	rt.Handle("POST /benefits/{slug}/apply", h.apply)
	rt.Handle("GET /benefits/applications/{id}", h.applicationPage)
	rt.Handle("GET /benefits/applications/{id}/status", h.applicationStatus)
	rt.Handle("POST /benefits/applications/{id}/appeal", h.appeal)
	rt.Handle("GET /points", h.points)
	rt.Handle("GET /points/receipts/{movement}", h.receipt)
	rt.Handle("GET /pay/{request}", h.payForm)
	rt.Handle("POST /pay/{request}", h.pay)
	// Payments as JSON (funds_api.go).
	rt.Handle("POST /api/v1/payment-requests", h.requestPaymentAPI)
	rt.Handle("POST /api/v1/payments", h.payAPI)
	rt.Handle("GET /api/v1/points", h.pointsAPI)
	rt.Handle("GET /api/v1/points/receipts/{movement}", h.receiptAPI)
	// A business that takes points: page_merchant.go, page_till.go, page_payment_request.go.
	rt.Handle("GET /merchant", h.merchantPage)
	rt.Handle("POST /merchant", h.registerMerchant)
	rt.Handle("GET /merchant/{id}", h.tillPage)
	rt.Handle("POST /merchant/{id}/requests", h.requestPayment)
	rt.Handle("POST /merchant/{id}/payments/{pid}/refund", h.refund)
	rt.Handle("GET /merchant/{id}/requests/{rid}", h.paymentRequestPage)
	rt.Handle("GET /merchant/{id}/requests/{rid}/status", h.paymentRequestStatus)
	// The staff's desks: page_staff_merchants.go, page_review_queue.go, page_review_case.go.
	rt.Handle("GET /admin/merchants", h.staffMerchantsPage)
	rt.Handle("POST /admin/merchants/{id}/decision", h.decideMerchant)
	rt.Handle("GET /admin/applications", h.reviewQueuePage)
	rt.Handle("POST /admin/applications/{id}/co-payment", h.recordCoPayment)
	rt.Handle("GET /admin/applications/{id}", h.reviewCasePage)
	rt.Handle("POST /admin/applications/{id}/decision", h.decide)
	// Grievances, each side on its own pages (the path says whose): page_grievances.go, page_grievance.go.
	rt.Handle("GET /my/grievances", h.grievances)
	rt.Handle("POST /my/grievances", h.fileGrievance)
	rt.Handle("GET /my/grievances/{gid}", h.grievance)
	rt.Handle("POST /my/grievances/{gid}/messages", h.answerGrievance)
	rt.Handle("GET /merchant/{id}/grievances", h.grievances)
	rt.Handle("POST /merchant/{id}/grievances", h.fileGrievance)
	rt.Handle("GET /merchant/{id}/grievances/{gid}", h.grievance)
	rt.Handle("POST /merchant/{id}/grievances/{gid}/messages", h.answerGrievance)
	rt.Handle("GET /admin/grievances", h.grievances)
	rt.Handle("GET /admin/grievances/{gid}", h.grievance)
	rt.Handle("POST /admin/grievances/{gid}/messages", h.answerGrievance)
	rt.Handle("POST /admin/grievances/{gid}/close", h.closeGrievance)

	citizens := []actor.Role{actor.Citizen}
	rt.AddNav(
		web.NavItem{Key: "nav.benefits", Href: "/benefits", Group: web.GroupBenefits, Roles: citizens},
		web.NavItem{Key: "nav.my_points", Href: "/points", Group: web.GroupBenefits, Roles: citizens},
		web.NavItem{Key: "nav.merchant", Href: "/merchant", Group: web.GroupBenefits, Roles: citizens},
		web.NavItem{Key: "nav.my_grievances", Href: "/my/grievances", Group: web.GroupBenefits, Roles: citizens},
		web.NavItem{Key: "nav.programmes", Href: "/admin/programmes", Group: web.GroupWorkFunds, Roles: staff},
		web.NavItem{Key: "nav.funds_merchants", Href: "/admin/merchants", Group: web.GroupWorkFunds, Roles: staff},
		web.NavItem{Key: "nav.funds_review", Href: "/admin/applications", Group: web.GroupWorkFunds, Roles: staff},
		web.NavItem{Key: "nav.funds_grievances", Href: "/admin/grievances", Group: web.GroupWorkFunds, Roles: staff},
	)
}

// krw reads an amount of won as people write it: digits, with or without
// thousands separators.
func krw(s, field string) (int64, error) {
	n, err := strconv.ParseInt(strings.NewReplacer(",", "", " ", "", "원", "").Replace(orZero(s)), 10, 64)
	if err != nil || n < 0 {
		return 0, errs.Field(field, "funds.amount_invalid")
	}
	return n, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// Has reports whether the form's categories include c, for the checkboxes.
func (p Programme) Has(c string) bool { return slices.Contains(p.Categories, c) }
