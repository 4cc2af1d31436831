package funds

import (
	"net/http"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// The staff's desk of merchants: those waiting for approval and those
// decided.

type staffMerchantsPage struct {
	Pending  []Merchant
	Decided  []Merchant
	District map[string]string
	Error    string
	Field    string
	For      int64 // the merchant whose decision was refused
}

func (h *Handlers) renderStaffMerchants(w http.ResponseWriter, r *http.Request, forID int64, failure error) error {
	if _, err := actor.Require(r.Context(), staff...); err != nil {
		return err
	}
	p := staffMerchantsPage{District: districtNames(h.opts, r), For: forID}
	all, err := h.svc.Merchants(r.Context(), "")
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
	return h.views.RenderFailure(w, r, "staff_merchants", failure, &p.Error, &p.Field, &p)
}

func (h *Handlers) staffMerchantsPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderStaffMerchants(w, r, 0, nil)
}

func (h *Handlers) decideMerchant(w http.ResponseWriter, r *http.Request) error {
	a, id, approve, err := staffDecision(r, "funds.merchant_not_found")
	if err != nil {
		return err
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if !approve {
		// The owner reads why, and what to do about it.
		if note, err = text("note", note); err != nil {
			return h.renderStaffMerchants(w, r, id, err)
		}
	} else if len([]rune(note)) > MaxText {
		return h.renderStaffMerchants(w, r, id, errs.Field("note", "funds.text_too_long", MaxText))
	}
	if err := h.svc.DecideMerchant(r.Context(), id, a.ID, approve, note); err != nil {
		return err
	}
	return web.Redirect(w, r, "/admin/merchants", flashOf(approve, "merchants.approved_flash", "merchants.refused_flash"))
}

// staffDecision reads a staff decision: who decides, on the id of the path
// (notFound when there is none) and whether they approve.
func staffDecision(r *http.Request, notFound string) (*actor.Actor, int64, bool, error) {
	a, err := actor.Require(r.Context(), staff...)
	if err != nil {
		return nil, 0, false, err
	}
	id, err := pathID(r, "id", notFound)
	if err != nil {
		return nil, 0, false, err
	}
	return a, id, r.PostFormValue("decision") == "approve", nil
}

// flashOf is the flash message of an approval or a refusal.
func flashOf(approve bool, approved, refused string) string {
	if approve {
		return approved
	}
	return refused
}
