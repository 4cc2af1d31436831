package places

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/sheet"
	"github.com/maeul/maeul/internal/web"
)

// The planner's dashboard: for each zone and essential category, the share
// of the zone's people within the walk, as a sortable table, a choropleth
// of one category, and CSV and GeoJSON files.

// WalkMinutes is the walk the 15-minute city promises.
const WalkMinutes = 15

var plannerRoles = []actor.Role{actor.CentreAdmin}

type plannerColumn struct {
	Code, Label string
	Sort        string // "ascending", "descending" or ""
	URL         string
	City        string
}

type plannerRow struct {
	Code, Name string
	Population int64
	Cells      []plannerCell
}

type plannerCell struct {
	Share string
	Low   bool // under half the zone's people
}

type plannerPage struct {
	Pace       Pace
	Category   string
	Categories []web.Option
	Columns    []plannerColumn
	ZoneSort   plannerColumn
	PopSort    plannerColumn
	Rows       []plannerRow
	Gaps       []plannerRow
	Streets    bool
	Took       string
	Query      string
	Island     web.MapData
}

func percent(v float64) string { return strconv.Itoa(int(v*100+0.5)) + " %" }

func (h *Handlers) coverage(r *http.Request) (*CoverageReport, Pace, error) {
	if _, err := auth.Require(r, plannerRoles...); err != nil {
		return nil, "", err
	}
	pace := PaceAdult
	if Pace(r.URL.Query().Get("pace")) == PaceSenior {
		pace = PaceSenior
	}
	rep, err := h.svc.Coverage(r.Context(), pace, WalkMinutes)
	return rep, pace, err
}

func (h *Handlers) planner(w http.ResponseWriter, r *http.Request) error {
	rep, pace, err := h.coverage(r)
	if err != nil {
		return err
	}
	l := i18n.For(lang(r))
	q := r.URL.Query()
	ess := Essential()
	p := plannerPage{Pace: pace, Category: ess[0], Streets: rep.Streets, Took: fmt.Sprintf("%.2f", rep.Took.Seconds())}
	if slices.Contains(ess, q.Get("category")) {
		p.Category = q.Get("category")
	}
	sortBy, desc := q.Get("sort"), q.Get("dir") == "desc"
	if sortBy != "population" && !slices.Contains(ess, sortBy) {
		sortBy = "zone"
	}
	base := "pace=" + string(pace) + "&category=" + p.Category
	p.Query = base
	col := func(code, label string) plannerColumn {
		c := plannerColumn{Code: code, Label: label}
		dir := "asc"
		if code == sortBy {
			c.Sort = "ascending"
			if desc {
				c.Sort = "descending"
			} else {
				dir = "desc"
			}
		}
		c.URL = "/planner?" + base + "&sort=" + code + "&dir=" + dir
		return c
	}
	p.ZoneSort, p.PopSort = col("zone", l.T("places.zone")), col("population", l.T("places.population"))
	for _, c := range ess {
		label := l.T("places.category." + c)
		p.Categories = append(p.Categories, web.Option{Value: c, Label: label})
		pc := col(c, label)
		pc.City = percent(rep.City[c])
		p.Columns = append(p.Columns, pc)
	}
	zones := slices.Clone(rep.Zones)
	slices.SortStableFunc(zones, func(a, b ZoneCoverage) int {
		var c int
		switch sortBy {
		case "zone":
			c = cmp.Compare(a.Zone.Code, b.Zone.Code)
		case "population":
			c = cmp.Compare(a.Zone.Population, b.Zone.Population)
		default:
			c = cmp.Compare(a.Shares[sortBy], b.Shares[sortBy])
		}
		if desc {
			return -c
		}
		return c
	})
	for _, z := range zones {
		row := plannerRow{Code: z.Zone.Code, Name: z.Zone.Name(l.Lang), Population: z.Zone.Population}
		for _, c := range ess {
			row.Cells = append(row.Cells, plannerCell{Share: percent(z.Shares[c]), Low: z.Shares[c] < 0.5})
		}
		p.Rows = append(p.Rows, row)
	}
	// The zones to look at first: the fewest people within reach of the
	// chosen category.
	byShare := slices.Clone(rep.Zones)
	slices.SortStableFunc(byShare, func(a, b ZoneCoverage) int { return cmp.Compare(a.Shares[p.Category], b.Shares[p.Category]) })
	for _, z := range byShare[:min(5, len(byShare))] {
		p.Gaps = append(p.Gaps, plannerRow{Code: z.Zone.Code, Name: z.Zone.Name(l.Lang), Population: z.Zone.Population,
			Cells: []plannerCell{{Share: percent(z.Shares[p.Category])}}})
	}
	p.Island = h.newIsland(r, "choropleth")
	shares := map[string]float64{}
	for _, z := range rep.Zones {
		shares[z.Zone.Code] = z.Shares[p.Category]
	}
	addZones(&p.Island, zonesOf(rep), nil, l.Lang, func(z Zone) map[string]any {
		return map[string]any{"value": shares[z.Code], "label": percent(shares[z.Code])}
	})
	return h.views.Render(w, r, http.StatusOK, "planner", p)
}

func zonesOf(rep *CoverageReport) []Zone {
	out := make([]Zone, len(rep.Zones))
	for i, z := range rep.Zones {
		out[i] = z.Zone
	}
	return out
}

func (h *Handlers) plannerCSV(w http.ResponseWriter, r *http.Request) error {
	rep, pace, err := h.coverage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="coverage-%s-%dmin.csv"`, pace, rep.Minutes))
	w.Write([]byte("\xef\xbb\xbf")) // spreadsheet programs read UTF-8 by this mark
	cw := sheet.NewWriter(w)
	header := []string{"zone", "name_ko", "name_en", "population"}
	ess := Essential()
	for _, c := range ess {
		header = append(header, c)
	}
	cw.Write(header)
	for _, z := range rep.Zones {
		rec := []string{z.Zone.Code, z.Zone.NameKo, z.Zone.NameEn, strconv.FormatInt(z.Zone.Population, 10)}
		for _, c := range ess {
			rec = append(rec, strconv.FormatFloat(z.Shares[c], 'f', 4, 64))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func (h *Handlers) plannerGeoJSON(w http.ResponseWriter, r *http.Request) error {
	rep, pace, err := h.coverage(r)
	if err != nil {
		return err
	}
	fc := web.NewMapZones()
	for _, z := range rep.Zones {
		props := map[string]any{"code": z.Zone.Code, "name_ko": z.Zone.NameKo, "name_en": z.Zone.NameEn, "population": z.Zone.Population,
			"pace": pace, "minutes": rep.Minutes, "streets": rep.Streets}
		for c, v := range z.Shares {
			props["coverage_"+c] = math4(v)
		}
		fc.Add(props, z.Zone.Boundary)
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="coverage-%s-%dmin.geojson"`, pace, rep.Minutes))
	return json.NewEncoder(w).Encode(fc)
}

func math4(v float64) float64 { return float64(int(v*10000+0.5)) / 10000 }
