package funds

import (
	"embed"
	"net/http"
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

// Register serves the funds part's pages and API. issuer gives the
// platform's public address, to which wallets answer.
func Register(rt *web.Router, svc *Service, issuer identity.Issuer, opts Options) {
	registerProgrammes(rt, svc.Programmes)
	registerCitizen(rt, svc, issuer)
	registerPaymentsAPI(rt, svc)
	registerMerchant(rt, svc, issuer, opts)
	registerStaff(rt, svc, opts)
	registerGrievances(rt, svc)
}

// registerProgrammes serves the programme admin's pages: the programmes,
// and a form whose every save shows the dry run against today's registry.
func registerProgrammes(rt *web.Router, s *Programmes) {
	views := web.MustViews(templateFS)
	admins := []actor.Role{actor.FundsAdmin}
	type page struct {
		Programmes []Programme
		Form       Programme
		Values     map[string]string // what was typed, for a form shown again
		Categories []string
		Run        *DryRun
		Error      string
		Field      string
	}
	render := func(w http.ResponseWriter, r *http.Request, p page, failure error) error {
		if _, err := actor.Require(r.Context(), admins...); err != nil {
			return err
		}
		var err error
		if p.Programmes, err = s.List(r.Context()); err != nil {
			return err
		}
		p.Categories = Categories
		status, err := web.FormFailure(r, failure, &p.Error, &p.Field)
		if err != nil {
			return err
		}
		return views.Render(w, r, status, "programmes", p)
	}
	formOf := func(p Programme) page {
		return page{Form: p, Values: map[string]string{
			"budget": itoa(p.Budget), "quota": strconv.Itoa(p.Quota), "co_payment": itoa(p.CoPayment),
			"opens_at": day(p.OpensAt), "closes_at": day(p.ClosesAt), "points_expire_at": day(p.PointsExpire),
		}}
	}
	rt.Handle("GET /admin/programmes", func(w http.ResponseWriter, r *http.Request) error {
		p := formOf(Programme{Unit: PerPerson, Mode: OnApplication})
		if slug := r.URL.Query().Get("edit"); slug != "" {
			prog, err := s.BySlug(r.Context(), slug)
			if err != nil {
				return err
			}
			p = formOf(prog)
		}
		return render(w, r, p, nil)
	})
	rt.Handle("POST /admin/programmes", func(w http.ResponseWriter, r *http.Request) error {
		if _, err := actor.Require(r.Context(), admins...); err != nil {
			return err
		}
		r.ParseForm()
		f := r.PostForm
		p := Programme{Slug: strings.TrimSpace(f.Get("slug")), NameKo: strings.TrimSpace(f.Get("name_ko")), NameEn: strings.TrimSpace(f.Get("name_en")),
			DescriptionKo: strings.TrimSpace(f.Get("description_ko")), DescriptionEn: strings.TrimSpace(f.Get("description_en")),
			WhoKo: strings.TrimSpace(f.Get("who_ko")), WhoEn: strings.TrimSpace(f.Get("who_en")),
			Eligibility: f.Get("eligibility"), Benefit: f.Get("benefit"), Unit: f.Get("unit"), Mode: f.Get("mode"), Categories: f["category"]}
		pg := page{Form: p, Values: map[string]string{}}
		for _, k := range []string{"budget", "quota", "co_payment", "opens_at", "closes_at", "points_expire_at"} {
			pg.Values[k] = strings.TrimSpace(f.Get(k))
		}
		var err error
		if p.Budget, err = krw(pg.Values["budget"], "budget"); err != nil {
			return render(w, r, pg, err)
		}
		if p.CoPayment, err = krw(pg.Values["co_payment"], "co_payment"); err != nil {
			return render(w, r, pg, err)
		}
		if p.Quota, err = strconv.Atoi(orZero(pg.Values["quota"])); err != nil {
			return render(w, r, pg, errs.Field("quota", "funds.quota_invalid"))
		}
		for _, d := range []struct {
			field string
			dst   *time.Time
		}{{"opens_at", &p.OpensAt}, {"closes_at", &p.ClosesAt}, {"points_expire_at", &p.PointsExpire}} {
			if *d.dst, err = time.Parse(time.DateOnly, pg.Values[d.field]); err != nil {
				return render(w, r, pg, errs.Field(d.field, "funds.date_invalid"))
			}
		}
		saved, run, err := s.Save(r.Context(), p)
		if err != nil {
			return render(w, r, pg, err)
		}
		out := formOf(saved)
		out.Run = &run
		return render(w, r, out, nil)
	})
	registerAPI(rt, s)
	rt.AddNav(web.NavItem{Key: "nav.programmes", Href: "/admin/programmes", Group: web.GroupWorkFunds, Roles: admins})
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
