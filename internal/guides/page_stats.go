package guides

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/chart"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/sheet"
)

// StatsBreakdowns are the tables of the statistics page and its CSV files.
var StatsBreakdowns = []string{"topic", "hotspot", "week", "unvisited"}

type tallyRow struct {
	Tally
	Label string
}

type statsSection struct {
	By    string
	Rows  []tallyRow
	Chart template.HTML
}

type unvisitedRow struct {
	Name      string
	Kind      string
	ZoneName  string
	Peak      int
	LastVisit time.Time
}

type statsPage struct {
	Stats     Stats
	Days      int
	From, To  string
	Sections  []statsSection
	Unvisited []unvisitedRow
}

func statsFilterFrom(r *http.Request) StatsFilter {
	q := r.URL.Query()
	f := StatsFilter{NoVisitDays: formInt(q.Get("days"))}
	if t, err := ParseDay(q.Get("from")); err == nil {
		f.From = t
	}
	if t, err := ParseDay(q.Get("to")); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	return f
}

// tallies labels a breakdown's rows in l.
func (h *Handlers) tallies(l i18n.Localizer, st Stats, by string, names map[int64]string) []tallyRow {
	var src []Tally
	label := func(t Tally) string { return t.Key }
	switch by {
	case "topic":
		src, label = st.ByTopic, func(t Tally) string { return l.T("guides.topic." + t.Key) }
	case "hotspot":
		src = st.ByHotspot
		label = func(t Tally) string { return names[formID(t.Key)] }
	case "week":
		src = st.ByWeek
		label = func(t Tally) string {
			d, _ := ParseDay(t.Key)
			return l.T("guides.week_of", d.Format("01-02"))
		}
	}
	out := make([]tallyRow, 0, len(src))
	for _, t := range src {
		out = append(out, tallyRow{Tally: t, Label: label(t)})
	}
	return out
}

// statistics are the figures the request's filter asks for, and the
// hotspots they name.
func (h *Handlers) statistics(r *http.Request) (Stats, []Hotspot, error) {
	st, err := h.svc.Statistics(r.Context(), statsFilterFrom(r))
	if err != nil {
		return st, nil, err
	}
	hs, err := h.svc.Hotspots(r.Context())
	return st, hs, err
}

// stats shows help by topic, spot and week, with charts, and the spots
// no guide visited lately.
func (h *Handlers) stats(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, adminRoles...); err != nil {
		return err
	}
	st, hs, err := h.statistics(r)
	if err != nil {
		return err
	}
	l := i18n.For(lang(r))
	names := hotspotNames(hs, l.Lang)
	p := statsPage{Stats: st, Days: st.Filter.NoVisitDays, From: DayOf(st.Filter.From), To: DayOf(st.Filter.To.AddDate(0, 0, -1))}
	empty := chart.Options{EmptyText: l.T("guides.stats_no_data")}
	for _, by := range StatsBreakdowns[:3] {
		sec := statsSection{By: by, Rows: h.tallies(l, st, by, names)}
		series := chart.Series{Name: l.T("guides.helps")}
		rows := sec.Rows
		if by == "hotspot" && len(rows) > 10 {
			rows = rows[:10] // the chart shows the ten busiest; the table all
		}
		top := tallyRow{}
		for _, row := range rows {
			series.Points = append(series.Points, chart.Point{Label: row.Label, Value: int64(row.Helps)})
			if row.Helps > top.Helps {
				top = row
			}
		}
		title := l.T("guides.chart_title." + by)
		desc := l.T("guides.chart_desc_none")
		if top.Helps > 0 {
			desc = l.T("guides.chart_desc", top.Label, top.Helps, st.Total.Helps)
		}
		opt := empty
		if by == "week" {
			sec.Chart = chart.Line(title, desc, []chart.Series{series}, opt)
		} else {
			opt.Horizontal = by == "hotspot"
			sec.Chart = chart.Bar(title, desc, []chart.Series{series}, opt)
		}
		p.Sections = append(p.Sections, sec)
	}
	for _, x := range st.Unvisited {
		p.Unvisited = append(p.Unvisited, unvisitedRow{Name: x.Name(l.Lang), Kind: x.Kind, ZoneName: h.svc.zoneName(x.Zone, l.Lang), Peak: x.Profile.Peak(), LastVisit: x.LastVisitAt})
	}
	return h.views.Render(w, r, http.StatusOK, "stats", p)
}

// statsCSV downloads one breakdown as a spreadsheet.
func (h *Handlers) statsCSV(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, adminRoles...); err != nil {
		return err
	}
	by := r.URL.Query().Get("by")
	if !oneOf(by, StatsBreakdowns) {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	st, hs, err := h.statistics(r)
	if err != nil {
		return err
	}
	l := i18n.For(lang(r))
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // so Excel reads UTF-8 and shows Korean
	cw := sheet.NewWriter(&buf)
	cw.UseCRLF = true
	if by == "unvisited" {
		cw.Write([]string{"ref", l.T("guides.col_name"), l.T("guides.col_kind"), l.T("guides.col_zone"), l.T("guides.col_peak"), l.T("guides.col_last_visit")})
		for _, x := range st.Unvisited {
			last := ""
			if !x.LastVisitAt.IsZero() {
				last = DayOf(x.LastVisitAt)
			}
			cw.Write([]string{x.Ref, x.Name(l.Lang), l.T("guides.kind." + x.Kind), x.Zone, strconv.Itoa(x.Profile.Peak()), last})
		}
	} else {
		cw.Write([]string{l.T("guides.col_" + by), l.T("guides.col_key"), l.T("guides.helps"), l.T("guides.minutes"), l.T("guides.referred")})
		for _, row := range h.tallies(l, st, by, hotspotNames(hs, l.Lang)) {
			cw.Write([]string{row.Label, row.Key, strconv.Itoa(row.Helps), strconv.Itoa(row.Minutes), strconv.Itoa(row.Referred)})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="maeul-guides-`+by+`.csv"`)
	_, err = w.Write(buf.Bytes())
	return err
}
