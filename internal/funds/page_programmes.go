package funds

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
)

// The programme admin's page: the programmes, and a form whose every save
// shows the dry run against today's registry.

type programmesPage struct {
	Programmes []Programme
	Form       Programme
	Values     map[string]string // what was typed, for a form shown again
	Categories []string
	Run        *DryRun
	Error      string
	Field      string
}

func (h *Handlers) renderProgrammes(w http.ResponseWriter, r *http.Request, p programmesPage, failure error) error {
	if _, err := actor.Require(r.Context(), staff...); err != nil {
		return err
	}
	var err error
	if p.Programmes, err = h.svc.Programmes.List(r.Context()); err != nil {
		return err
	}
	p.Categories = Categories
	return h.views.RenderFailure(w, r, "programmes", failure, &p.Error, &p.Field, &p)
}

// programmeForm is the form filled in with a saved programme.
func programmeForm(p Programme) programmesPage {
	return programmesPage{Form: p, Values: map[string]string{
		"budget": itoa(p.Budget), "quota": strconv.Itoa(p.Quota), "co_payment": itoa(p.CoPayment),
		"opens_at": day(p.OpensAt), "closes_at": day(p.ClosesAt), "points_expire_at": day(p.PointsExpire),
	}}
}

func (h *Handlers) programmesPage(w http.ResponseWriter, r *http.Request) error {
	p := programmeForm(Programme{Unit: PerPerson, Mode: OnApplication})
	if slug := r.URL.Query().Get("edit"); slug != "" {
		prog, err := h.svc.Programmes.BySlug(r.Context(), slug)
		if err != nil {
			return err
		}
		p = programmeForm(prog)
	}
	return h.renderProgrammes(w, r, p, nil)
}

func (h *Handlers) saveProgramme(w http.ResponseWriter, r *http.Request) error {
	if _, err := actor.Require(r.Context(), staff...); err != nil {
		return err
	}
	r.ParseForm()
	f := r.PostForm
	p := Programme{Slug: strings.TrimSpace(f.Get("slug")), NameKo: strings.TrimSpace(f.Get("name_ko")), NameEn: strings.TrimSpace(f.Get("name_en")),
		DescriptionKo: strings.TrimSpace(f.Get("description_ko")), DescriptionEn: strings.TrimSpace(f.Get("description_en")),
		WhoKo: strings.TrimSpace(f.Get("who_ko")), WhoEn: strings.TrimSpace(f.Get("who_en")),
		Eligibility: f.Get("eligibility"), Benefit: f.Get("benefit"), Unit: f.Get("unit"), Mode: f.Get("mode"), Categories: f["category"]}
	pg := programmesPage{Form: p, Values: map[string]string{}}
	for _, k := range []string{"budget", "quota", "co_payment", "opens_at", "closes_at", "points_expire_at"} {
		pg.Values[k] = strings.TrimSpace(f.Get(k))
	}
	var err error
	if p.Budget, err = krw(pg.Values["budget"], "budget"); err != nil {
		return h.renderProgrammes(w, r, pg, err)
	}
	if p.CoPayment, err = krw(pg.Values["co_payment"], "co_payment"); err != nil {
		return h.renderProgrammes(w, r, pg, err)
	}
	if p.Quota, err = strconv.Atoi(orZero(pg.Values["quota"])); err != nil {
		return h.renderProgrammes(w, r, pg, errs.Field("quota", "funds.quota_invalid"))
	}
	for _, d := range []struct {
		field string
		dst   *time.Time
	}{{"opens_at", &p.OpensAt}, {"closes_at", &p.ClosesAt}, {"points_expire_at", &p.PointsExpire}} {
		if *d.dst, err = time.Parse(time.DateOnly, pg.Values[d.field]); err != nil {
			return h.renderProgrammes(w, r, pg, errs.Field(d.field, "funds.date_invalid"))
		}
	}
	saved, run, err := h.svc.Programmes.Save(r.Context(), p)
	if err != nil {
		return h.renderProgrammes(w, r, pg, err)
	}
	out := programmeForm(saved)
	out.Run = &run
	return h.renderProgrammes(w, r, out, nil)
}
