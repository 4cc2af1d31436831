package funds

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// Grievances, each side on its own pages: the citizen under
// /my/grievances, a merchant under its till, staff under
// /admin/grievances. This is the list with the form that files one; one
// grievance and its messages are in page_grievance.go.

// grievanceDesk is one side's view of grievances: who it is, where its
// pages are, and what it may complain about.
type grievanceDesk struct {
	side  Side
	base  string
	title string // catalogue key of the pages' heading
	about func(r *http.Request) ([]web.Option, error)
}

func (h *Handlers) citizenDesk(r *http.Request) (grievanceDesk, error) {
	a, err := actor.Require(r.Context(), actor.Citizen)
	if err != nil {
		return grievanceDesk{}, err
	}
	res, err := h.svc.registry.ResidentOf(r.Context(), a.ID)
	if errs.CodeOf(err) == errs.NotFound {
		return grievanceDesk{}, errs.New(errs.Conflict, "funds.citizen.needs_card").Needs("/my/card", "needs.get_card")
	}
	if err != nil {
		return grievanceDesk{}, err
	}
	d := grievanceDesk{side: AsCitizen(a.ID, res.ID), base: "/my/grievances", title: "nav.my_grievances"}
	d.about = func(r *http.Request) ([]web.Option, error) { return h.svc.citizenSubjects(r, res.ID) }
	return d, nil
}

func (h *Handlers) merchantDesk(r *http.Request) (grievanceDesk, error) {
	m, a, err := h.owned(r)
	if err != nil {
		return grievanceDesk{}, err
	}
	d := grievanceDesk{side: AsMerchant(a.ID, m.ID), base: "/merchant/" + itoa(m.ID) + "/grievances", title: "grievance.shop_h"}
	d.about = func(r *http.Request) ([]web.Option, error) { return h.svc.merchantSubjects(r, m.ID) }
	return d, nil
}

func (h *Handlers) staffDesk(r *http.Request) (grievanceDesk, error) {
	a, err := actor.Require(r.Context(), staff...)
	if err != nil {
		return grievanceDesk{}, err
	}
	return grievanceDesk{side: AsStaff(a.ID), base: "/admin/grievances", title: "nav.funds_grievances"}, nil
}

// desk is the side whose page the request is on, or a refusal.
func (h *Handlers) desk(r *http.Request) (grievanceDesk, error) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/my/"):
		return h.citizenDesk(r)
	case strings.HasPrefix(r.URL.Path, "/merchant/"):
		return h.merchantDesk(r)
	}
	return h.staffDesk(r)
}

type grievancesPage struct {
	Side       string
	Base       string
	Title      string
	Grievances []Grievance
	About      []web.Option
	Chosen     string
	Text       string
	Error      string
	Field      string
}

func (h *Handlers) renderGrievances(w http.ResponseWriter, r *http.Request, d grievanceDesk, p grievancesPage, failure error) error {
	p.Side, p.Base, p.Title = d.side.Kind, d.base, d.title
	var err error
	if p.Grievances, err = h.svc.Grievances(r.Context(), d.side); err != nil {
		return err
	}
	if d.about != nil {
		if p.About, err = d.about(r); err != nil {
			return err
		}
	}
	return h.views.RenderFailure(w, r, "grievances", failure, &p.Error, &p.Field, &p)
}

func (h *Handlers) grievances(w http.ResponseWriter, r *http.Request) error {
	d, err := h.desk(r)
	if err != nil {
		return err
	}
	p := grievancesPage{}
	for _, k := range []string{"application", "payment"} {
		if v := r.URL.Query().Get(k); v != "" {
			p.Chosen = k + ":" + v
		}
	}
	return h.renderGrievances(w, r, d, p, nil)
}

func (h *Handlers) fileGrievance(w http.ResponseWriter, r *http.Request) error {
	d, err := h.desk(r)
	if err != nil {
		return err
	}
	p := grievancesPage{Chosen: r.PostFormValue("about"), Text: r.PostFormValue("text")}
	kind, n, _ := strings.Cut(p.Chosen, ":")
	id, _ := strconv.ParseInt(n, 10, 64)
	var app, pay int64
	switch kind {
	case "application":
		app = id
	case "payment":
		pay = id
	}
	g, err := h.svc.FileGrievance(r.Context(), d.side, app, pay, p.Text)
	if err != nil {
		return h.renderGrievances(w, r, d, p, err)
	}
	return web.Redirect(w, r, d.base+"/"+itoa(g.ID), "grievance.filed")
}

// citizenSubjects are what a citizen may complain about: their decided
// applications and their payments.
func (s *Service) citizenSubjects(r *http.Request, residentID int64) ([]web.Option, error) {
	ctx := r.Context()
	apps, err := s.ApplicationsOf(ctx, residentID)
	if err != nil {
		return nil, err
	}
	lang := web.PrefsFrom(ctx).Lang
	programmes, err := s.Programmes.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []web.Option
	for _, p := range programmes {
		if a, ok := apps[p.ID]; ok && a.Status != Waiting {
			out = append(out, web.Option{Value: "application:" + itoa(a.ID), Label: web.T(r, "grievance.about_application", p.Name(lang))})
		}
	}
	moves, err := s.Movements(ctx, residentID, 200)
	if err != nil {
		return nil, err
	}
	for _, m := range moves {
		if m.Kind == Spent {
			out = append(out, web.Option{Value: "payment:" + itoa(m.PaymentID),
				Label: web.T(r, "grievance.about_payment", m.Merchant, won(m.Amount), when(m.At))})
		}
	}
	return out, nil
}

// merchantSubjects are a merchant's payments of the last 90 days.
func (s *Service) merchantSubjects(r *http.Request, merchantID int64) ([]web.Option, error) {
	now := s.Now()
	pays, err := s.Payments(r.Context(), merchantID, now.AddDate(0, 0, -90), now.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	out := make([]web.Option, 0, len(pays))
	for _, p := range pays {
		out = append(out, web.Option{Value: "payment:" + itoa(p.ID), Label: web.T(r, "grievance.about_shop_payment", won(p.Amount), when(p.PaidAt))})
	}
	return out, nil
}

// when is a moment a message shows, in the reader's language.
type when time.Time

func (w when) Localize(l i18n.Localizer) string { return l.DateTime(time.Time(w)) }
