package funds

import (
	"net/http"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// programmeJSON is a programme in the JSON API; dates are YYYY-MM-DD.
type programmeJSON struct {
	Slug          string   `json:"slug"`
	NameKo        string   `json:"name_ko"`
	NameEn        string   `json:"name_en"`
	DescriptionKo string   `json:"description_ko"`
	DescriptionEn string   `json:"description_en"`
	WhoKo         string   `json:"who_ko"`
	WhoEn         string   `json:"who_en"`
	Budget        int64    `json:"budget"`
	Eligibility   string   `json:"eligibility"`
	Benefit       string   `json:"benefit"`
	Quota         int      `json:"quota"`
	CoPayment     int64    `json:"co_payment"`
	Unit          string   `json:"unit"`
	Mode          string   `json:"mode"`
	Categories    []string `json:"categories"`
	OpensAt       string   `json:"opens_at"`
	ClosesAt      string   `json:"closes_at"`
	PointsExpire  string   `json:"points_expire_at"`
}

func toJSON(p Programme) programmeJSON {
	return programmeJSON{p.Slug, p.NameKo, p.NameEn, p.DescriptionKo, p.DescriptionEn, p.WhoKo, p.WhoEn, p.Budget, p.Eligibility, p.Benefit,
		p.Quota, p.CoPayment, p.Unit, p.Mode, p.Categories, day(p.OpensAt), day(p.ClosesAt), day(p.PointsExpire)}
}

func (j programmeJSON) programme() (Programme, error) {
	p := Programme{Slug: j.Slug, NameKo: j.NameKo, NameEn: j.NameEn, DescriptionKo: j.DescriptionKo, DescriptionEn: j.DescriptionEn,
		WhoKo: j.WhoKo, WhoEn: j.WhoEn, Budget: j.Budget, Eligibility: j.Eligibility, Benefit: j.Benefit, Quota: j.Quota, CoPayment: j.CoPayment, Unit: j.Unit,
		Mode: j.Mode, Categories: j.Categories}
	for _, d := range []struct {
		field, value string
		dst          *time.Time
	}{{"opens_at", j.OpensAt, &p.OpensAt}, {"closes_at", j.ClosesAt, &p.ClosesAt}, {"points_expire_at", j.PointsExpire, &p.PointsExpire}} {
		t, err := time.Parse(time.DateOnly, d.value)
		if err != nil {
			return p, errs.Field(d.field, "funds.date_invalid")
		}
		*d.dst = t
	}
	return p, nil
}

type dryRunJSON struct {
	Residents     int64 `json:"residents"`
	Eligible      int64 `json:"eligible"`
	Beneficiaries int64 `json:"beneficiaries"`
	Cost          int64 `json:"cost"`
	OverBudget    bool  `json:"over_budget"`
	Failures      int   `json:"failures"`
}

// programmesAPI lists the programmes as JSON for programme admins.
func (h *Handlers) programmesAPI(w http.ResponseWriter, r *http.Request) error {
	if _, err := actor.Require(r.Context(), staff...); err != nil {
		return err
	}
	ps, err := h.svc.Programmes.List(r.Context())
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"programmes": web.JSONList(ps, toJSON)})
}

// saveProgrammeAPI saves a programme sent as JSON, answering with its dry run.
func (h *Handlers) saveProgrammeAPI(w http.ResponseWriter, r *http.Request) error {
	if _, err := actor.Require(r.Context(), staff...); err != nil {
		return err
	}
	var in programmeJSON
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := in.programme()
	if err != nil {
		return err
	}
	saved, run, err := h.svc.Programmes.Save(r.Context(), p)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"programme": toJSON(saved), "dry_run": dryRunJSON{
		run.Residents, run.Eligible, run.Beneficiaries, run.Cost, run.OverBudget, run.Failures}})
}
