package funds

import (
	"net/http"
	"slices"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// A business that takes points: the owner's list of their businesses and
// the form that registers one; once staff approved it, its till
// (page_till.go).

// owners are who may run a business that takes points.
var owners = []actor.Role{actor.Citizen}

type merchantPage struct {
	Merchants  []Merchant
	Form       Merchant
	ShowForm   bool
	Categories []string
	Districts  []web.Option
	District   map[string]string
	Error      string
	Field      string
}

func (h *Handlers) renderMerchants(w http.ResponseWriter, r *http.Request, form Merchant, showForm bool, failure error) error {
	a, err := actor.Require(r.Context(), owners...)
	if err != nil {
		return err
	}
	p := merchantPage{Form: form, Categories: Categories, Districts: h.opts.districts(lang(r)), District: districtNames(h.opts, r)}
	if p.Merchants, err = h.svc.MerchantsOf(r.Context(), a.ID); err != nil {
		return err
	}
	p.ShowForm = showForm || len(p.Merchants) == 0
	return h.views.RenderFailure(w, r, "merchant", failure, &p.Error, &p.Field, &p)
}

func (h *Handlers) merchantPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderMerchants(w, r, Merchant{}, r.URL.Query().Get("new") != "", nil)
}

func (h *Handlers) registerMerchant(w http.ResponseWriter, r *http.Request) error {
	a, err := actor.Require(r.Context(), owners...)
	if err != nil {
		return err
	}
	form := Merchant{BusinessNumber: r.PostFormValue("business_number"), Name: r.PostFormValue("name"), Category: r.PostFormValue("category"),
		District: r.PostFormValue("district")}
	if form.District != "" && !slices.ContainsFunc(h.opts.districts(lang(r)), func(o web.Option) bool { return o.Value == form.District }) {
		return h.renderMerchants(w, r, form, true, errs.Field("district", "funds.district_missing"))
	}
	if _, err := h.svc.RegisterMerchant(r.Context(), a.ID, form); err != nil {
		return h.renderMerchants(w, r, form, true, err)
	}
	return web.Redirect(w, r, "/merchant", "merchant.registered")
}

// owned is the merchant of the path if the signed-in account runs it;
// anyone else's is not found.
func (h *Handlers) owned(r *http.Request) (Merchant, *actor.Actor, error) {
	a, err := actor.Require(r.Context(), owners...)
	if err != nil {
		return Merchant{}, nil, err
	}
	id, err := pathID(r, "id", "funds.merchant_not_found")
	if err != nil {
		return Merchant{}, a, err
	}
	m, err := h.svc.OwnedMerchant(r.Context(), a.ID, id)
	return m, a, err
}
