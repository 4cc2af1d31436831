package learn

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/chart"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/sheet"
	"github.com/maeul/maeul/internal/web"
)

// The pages and API of mobile-class requests, participation statistics and
// CSV import.

func reqLang(r *http.Request) i18n.Localizer { return i18n.For(web.PrefsFrom(r.Context()).Lang) }

// ---- Mobile classes ----

var mobileFields = []string{"centre_name", "centre_kind", "district", "address", "contact_name", "contact_phone", "theme", "preferred_dates", "learners", "notes"}

type mobileRequestPage struct {
	Form      web.FormState
	Kinds     []choice
	Themes    []choice
	Districts []choice
}

func (h *Handlers) renderMobileRequest(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	l := reqLang(r)
	if form.Values == nil {
		form.Values = map[string]string{"learners": "10"}
	}
	p := mobileRequestPage{Form: form,
		Kinds:  choices(CentreKinds, func(v string) string { return l.T("mobile.kind." + v) }, form.Values["centre_kind"]),
		Themes: choices(Themes, func(v string) string { return l.T("theme." + v) }, form.Values["theme"])}
	for _, d := range h.districts(r) {
		p.Districts = append(p.Districts, choice{Value: d.Value, Label: d.Label, Selected: d.Value == form.Values["district"]})
	}
	return h.views.Render(w, r, status, "mobile_request", p)
}

func (h *Handlers) mobileRequestPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderMobileRequest(w, r, http.StatusOK, web.FormState{})
}

func (h *Handlers) mobileRequestSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r); err != nil {
		return err
	}
	vals := map[string]string{}
	for _, f := range mobileFields {
		vals[f] = r.PostFormValue(f)
	}
	m := MobileRequest{CentreName: vals["centre_name"], CentreKind: vals["centre_kind"], District: vals["district"], Address: vals["address"],
		ContactName: vals["contact_name"], ContactPhone: vals["contact_phone"], Theme: vals["theme"], PreferredDates: vals["preferred_dates"],
		Notes: vals["notes"]}
	n, err := strconv.Atoi(strings.TrimSpace(vals["learners"]))
	if err != nil {
		err = errs.Field("learners", "mobile.learners_invalid")
	} else {
		m.Learners = n
		_, err = h.svc.RequestMobileClass(r.Context(), m)
	}
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderMobileRequest(w, r, status, form)
		})
	}
	return web.Redirect(w, r, "/mobile-classes/mine", "mobile.flash_requested")
}

// mobileView is a request as the pages show it.
type mobileView struct {
	MobileRequest
	DistrictName string
	Phone        string
}

func (h *Handlers) mobileViews(r *http.Request, ms []MobileRequest) []mobileView {
	out := make([]mobileView, len(ms))
	for i, m := range ms {
		out[i] = mobileView{MobileRequest: m, DistrictName: h.districtName(r, m.District), Phone: auth.FormatPhone(m.ContactPhone)}
	}
	return out
}

func (h *Handlers) mobileMine(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r); err != nil {
		return err
	}
	ms, err := h.svc.MyMobileRequests(r.Context())
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "mobile_mine", map[string]any{"Requests": h.mobileViews(r, ms)})
}

func (h *Handlers) mobileQueue(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	if !oneOf(status, MobileStatuses) && status != "all" {
		status = MobileRequested
	}
	q := status
	if q == "all" {
		q = ""
	}
	ms, err := h.svc.MobileRequests(r.Context(), q)
	if err != nil {
		return err
	}
	l := reqLang(r)
	statuses := choices(append([]string{"all"}, MobileStatuses...), func(v string) string { return l.T("mobile.status." + v) }, status)
	return h.views.Render(w, r, http.StatusOK, "mobile_admin", map[string]any{"Requests": h.mobileViews(r, ms), "Statuses": statuses, "Status": status})
}

type mobileDetailPage struct {
	Req      mobileView
	Courses  []choice
	Session  *Session
	Schedule web.FormState
	Decline  web.FormState
}

func (h *Handlers) renderMobileDetail(w http.ResponseWriter, r *http.Request, id int64, status int, sched, decline web.FormState) error {
	m, err := h.svc.MobileRequest(r.Context(), id)
	if err != nil {
		return err
	}
	p := mobileDetailPage{Req: h.mobileViews(r, []MobileRequest{m})[0], Schedule: sched, Decline: decline}
	if p.Schedule.Values == nil {
		p.Schedule.Values = map[string]string{"start": "10:00", "end": "12:00"}
	}
	if m.SessionID != 0 {
		s, err := h.svc.Session(r.Context(), m.SessionID)
		if err != nil {
			return err
		}
		p.Session = &s
	}
	if !m.Decided() {
		cs, err := h.svc.Courses(r.Context(), m.Theme)
		if err != nil {
			return err
		}
		l := reqLang(r)
		for _, c := range cs {
			v := strconv.FormatInt(c.ID, 10)
			p.Courses = append(p.Courses, choice{Value: v, Label: l.Pick(c.TitleKo, c.TitleEn) + " (" + l.T("level."+c.Level) + ")",
				Selected: v == p.Schedule.Values["course"]})
		}
	}
	return h.views.Render(w, r, status, "mobile_admin_detail", p)
}

func (h *Handlers) mobileDetail(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderMobileDetail(w, r, id, http.StatusOK, web.FormState{}, web.FormState{})
}

// scheduleFromForm reads the schedule form: a date and two clock times in
// city time, as <input type="date"> and <input type="time"> send them.
func scheduleFromForm(r *http.Request) (MobileSchedule, map[string]string, error) {
	vals := map[string]string{}
	for _, f := range []string{"course", "date", "start", "end", "tutor"} {
		vals[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	in := MobileSchedule{TutorUsername: vals["tutor"]}
	in.CourseID, _ = strconv.ParseInt(vals["course"], 10, 64)
	if in.CourseID <= 0 {
		return in, vals, errs.Field("course", "mobile.course_required")
	}
	day, ok := importDate(vals["date"])
	if !ok {
		return in, vals, errs.Field("date", "mobile.date_invalid")
	}
	sh, sm, ok := importClock(vals["start"])
	if !ok {
		return in, vals, errs.Field("start", "mobile.clock_invalid")
	}
	eh, em, ok := importClock(vals["end"])
	if !ok {
		return in, vals, errs.Field("end", "mobile.clock_invalid")
	}
	in.StartsAt, in.EndsAt = importAt(day, sh, sm), importAt(day, eh, em)
	return in, vals, nil
}

func (h *Handlers) mobileSchedule(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, vals, err := scheduleFromForm(r)
	if err == nil {
		_, err = h.svc.ScheduleMobileClass(r.Context(), id, in)
	}
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			if status == http.StatusNotFound {
				return err
			}
			return h.renderMobileDetail(w, r, id, status, form, web.FormState{})
		})
	}
	return web.Redirect(w, r, "/admin/mobile-classes/"+strconv.FormatInt(id, 10), "mobile.flash_scheduled")
}

func (h *Handlers) mobileDecline(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	vals := map[string]string{"reason": r.PostFormValue("reason")}
	if _, err := h.svc.DeclineMobileClass(r.Context(), id, vals["reason"]); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			if status == http.StatusNotFound {
				return err
			}
			return h.renderMobileDetail(w, r, id, status, web.FormState{}, form)
		})
	}
	return web.Redirect(w, r, "/admin/mobile-classes/"+strconv.FormatInt(id, 10), "mobile.flash_declined")
}

// mobileAsked is what a centre asks for in a mobile class request, as the
// API reads it and writes it back.
type mobileAsked struct {
	CentreName     string `json:"centre_name"`
	CentreKind     string `json:"centre_kind"`
	District       string `json:"district"`
	Address        string `json:"address"`
	ContactName    string `json:"contact_name"`
	ContactPhone   string `json:"contact_phone"`
	Theme          string `json:"theme"`
	PreferredDates string `json:"preferred_dates"`
	Learners       int    `json:"learners"`
	Notes          string `json:"notes,omitempty"`
}

func (a mobileAsked) request() MobileRequest {
	return MobileRequest{CentreName: a.CentreName, CentreKind: a.CentreKind, District: a.District, Address: a.Address,
		ContactName: a.ContactName, ContactPhone: a.ContactPhone, Theme: a.Theme, PreferredDates: a.PreferredDates,
		Learners: a.Learners, Notes: a.Notes}
}

type mobileJSON struct {
	ID int64 `json:"id"`
	mobileAsked
	Status        string     `json:"status"`
	DeclineReason string     `json:"decline_reason,omitempty"`
	SessionID     int64      `json:"session_id,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
}

func toMobileJSON(m MobileRequest) mobileJSON {
	j := mobileJSON{ID: m.ID, mobileAsked: mobileAsked{CentreName: m.CentreName, CentreKind: m.CentreKind, District: m.District, Address: m.Address,
		ContactName: m.ContactName, ContactPhone: m.ContactPhone, Theme: m.Theme, PreferredDates: m.PreferredDates, Learners: m.Learners,
		Notes: m.Notes}, Status: m.Status, DeclineReason: m.DeclineReason, SessionID: m.SessionID, CreatedAt: m.CreatedAt}
	if !m.DecidedAt.IsZero() {
		t := m.DecidedAt
		j.DecidedAt = &t
	}
	return j
}

func (h *Handlers) apiMobileCreate(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r); err != nil {
		return err
	}
	var in mobileAsked
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.RequestMobileClass(r.Context(), in.request())
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"mobile_request": toMobileJSON(m)})
}

func (h *Handlers) apiMobileList(w http.ResponseWriter, r *http.Request) error {
	ms, err := h.svc.MobileRequests(r.Context(), r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"mobile_requests": web.JSONList(ms, toMobileJSON)})
}

func (h *Handlers) apiMobileSchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		CourseID int64     `json:"course_id"`
		StartsAt time.Time `json:"starts_at"`
		EndsAt   time.Time `json:"ends_at"`
		Tutor    string    `json:"tutor"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.ScheduleMobileClass(r.Context(), id, MobileSchedule{CourseID: in.CourseID, StartsAt: in.StartsAt, EndsAt: in.EndsAt, TutorUsername: in.Tutor})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"mobile_request": toMobileJSON(m)})
}

func (h *Handlers) apiMobileDecline(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.DeclineMobileClass(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"mobile_request": toMobileJSON(m)})
}

// ---- Statistics ----

// statsFilterFromQuery reads from=YYYY-MM, to=YYYY-MM and theme; values
// that do not parse are ignored, as in the catalogue's filters.
func statsFilterFromQuery(q url.Values) StatsFilter {
	var f StatsFilter
	if t, err := time.ParseInLocation("2006-01", q.Get("from"), i18n.Zone); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation("2006-01", q.Get("to"), i18n.Zone); err == nil {
		f.To = t
	}
	if oneOf(q.Get("theme"), Themes) {
		f.Theme = q.Get("theme")
	}
	return f
}

// statsLabel names a group of a breakdown in the reader's language.
func statsLabel(l i18n.Localizer, by, key string) string {
	switch by {
	case "district":
		if d, ok := city.DistrictByCode(key); ok {
			return d.Name(l.Lang)
		}
		return l.T("stats.unknown")
	case "age_group":
		return l.T("stats.age." + key)
	case "disability":
		return l.T("stats.disability." + key)
	case "theme":
		if oneOf(key, Themes) {
			return l.T("theme." + key)
		}
		return key
	}
	return key
}

// statsTableRow is a row as the tables show it, numbers grouped by
// thousands in Go (templates have no int64 conversion).
type statsTableRow struct {
	Label                                  string
	Learners, Attendances, Seats, Sessions string
}

func statsTableRowOf(l i18n.Localizer, label string, r StatsRow) statsTableRow {
	return statsTableRow{Label: label, Learners: l.Number(int64(r.Learners)), Attendances: l.Number(int64(r.Attendances)),
		Seats: l.Number(int64(r.Seats)), Sessions: l.Number(int64(r.Sessions))}
}

type statsSection struct {
	By          string
	Heading     string
	Column      string
	Chart       template.HTML
	Map         template.HTML
	Rows        []statsTableRow
	HasSessions bool
	CSVURL      string
}

type statsPage struct {
	Stats    Stats
	Total    statsTableRow
	From, To string
	Themes   []choice
	Sections []statsSection
}

func (h *Handlers) statsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	st, err := h.svc.Statistics(r.Context(), statsFilterFromQuery(r.URL.Query()))
	if err != nil {
		return err
	}
	l := reqLang(r)
	f := st.Filter
	p := statsPage{Stats: st, From: f.From.Format("2006-01"), To: f.To.Format("2006-01"),
		Themes: choices(Themes, func(v string) string { return l.T("theme." + v) }, f.Theme), Total: statsTableRowOf(l, "", st.Total)}
	q := url.Values{"from": {p.From}, "to": {p.To}}
	if f.Theme != "" {
		q.Set("theme", f.Theme)
	}
	empty := chart.Options{EmptyText: l.T("stats.no_data")}
	for _, by := range StatsBreakdowns {
		sec := statsSection{By: by, Heading: l.T("stats.by." + by), Column: l.T("stats.col." + by), HasSessions: st.HasSessions[by]}
		q.Set("by", by)
		sec.CSVURL = "/admin/stats.csv?" + q.Encode()
		learners := chart.Series{Name: l.T("stats.learners")}
		attended := chart.Series{Name: l.T("stats.attendances")}
		sessions := chart.Series{Name: l.T("stats.sessions")}
		values := map[string]int64{}
		top, topLabel := StatsRow{}, ""
		for _, row := range st.By[by] {
			label := statsLabel(l, by, row.Key)
			sec.Rows = append(sec.Rows, statsTableRowOf(l, label, row))
			learners.Points = append(learners.Points, chart.Point{Label: label, Value: int64(row.Learners)})
			attended.Points = append(attended.Points, chart.Point{Label: label, Value: int64(row.Attendances)})
			sessions.Points = append(sessions.Points, chart.Point{Label: label, Value: int64(row.Sessions)})
			if row.Key != "unknown" {
				values[row.Key] = int64(row.Learners)
			}
			if row.Learners > top.Learners {
				top, topLabel = row, label
			}
		}
		title := l.T("stats.chart_title", sec.Heading)
		desc := l.T("stats.chart_desc_none")
		if top.Learners > 0 {
			desc = l.T("stats.chart_desc", topLabel, top.Learners, st.Total.Learners)
		}
		switch by {
		case "month":
			series := []chart.Series{learners, attended}
			if sec.HasSessions {
				series = append(series, sessions)
			}
			sec.Chart = chart.Line(title, desc, series, empty)
		case "district":
			sec.Map = city.DistrictMapSVG(values, l.T("stats.map_title"), l.Lang)
			opt := empty
			opt.Horizontal = true
			sec.Chart = chart.Bar(title, desc, []chart.Series{learners, attended}, opt)
		default:
			sec.Chart = chart.Bar(title, desc, []chart.Series{learners, attended}, empty)
		}
		p.Sections = append(p.Sections, sec)
	}
	return h.views.Render(w, r, http.StatusOK, "stats", p)
}

func (h *Handlers) statsCSV(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	by := r.URL.Query().Get("by")
	if !oneOf(by, StatsBreakdowns) {
		return errs.Field("by", "stats.by_invalid", strings.Join(StatsBreakdowns, ", "))
	}
	st, err := h.svc.Statistics(r.Context(), statsFilterFromQuery(r.URL.Query()))
	if err != nil {
		return err
	}
	l := reqLang(r)
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // so Excel reads UTF-8 and shows Korean
	cw := sheet.NewWriter(&buf)
	cw.UseCRLF = true
	header := []string{l.T("stats.col." + by), l.T("stats.code"), l.T("stats.learners"), l.T("stats.attendances"), l.T("stats.seats")}
	if st.HasSessions[by] {
		header = append(header, l.T("stats.sessions"))
	}
	cw.Write(header)
	for _, row := range st.By[by] {
		rec := []string{statsLabel(l, by, row.Key), row.Key, strconv.Itoa(row.Learners), strconv.Itoa(row.Attendances), strconv.Itoa(row.Seats)}
		if st.HasSessions[by] {
			rec = append(rec, strconv.Itoa(row.Sessions))
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	name := "maeul-stats-" + by + "-" + st.Filter.From.Format("2006-01") + "-" + st.Filter.To.Format("2006-01")
	if st.Filter.Theme != "" {
		name += "-" + st.Filter.Theme
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

type statsRowJSON struct {
	Key         string `json:"key"`
	LabelKo     string `json:"label_ko"`
	LabelEn     string `json:"label_en"`
	Learners    int    `json:"learners"`
	Attendances int    `json:"attendances"`
	Seats       int    `json:"seats"`
	Sessions    *int   `json:"sessions_held,omitempty"`
}

func (h *Handlers) apiStats(w http.ResponseWriter, r *http.Request) error {
	st, err := h.svc.Statistics(r.Context(), statsFilterFromQuery(r.URL.Query()))
	if err != nil {
		return err
	}
	ko, en := i18n.For("ko"), i18n.For("en")
	by := map[string][]statsRowJSON{}
	for _, b := range StatsBreakdowns {
		by[b] = []statsRowJSON{}
		for _, row := range st.By[b] {
			j := statsRowJSON{Key: row.Key, LabelKo: statsLabel(ko, b, row.Key), LabelEn: statsLabel(en, b, row.Key),
				Learners: row.Learners, Attendances: row.Attendances, Seats: row.Seats}
			if st.HasSessions[b] {
				n := row.Sessions
				j.Sessions = &n
			}
			by[b] = append(by[b], j)
		}
	}
	return web.JSON(w, http.StatusOK, map[string]any{
		"from": st.Filter.From.Format("2006-01"), "to": st.Filter.To.Format("2006-01"), "theme": st.Filter.Theme,
		"total": map[string]int{"learners": st.Total.Learners, "attendances": st.Total.Attendances, "seats": st.Total.Seats, "sessions_held": st.Total.Sessions},
		"by":    by,
	})
}

// ---- CSV import ----

// MaxImportBytes is the largest file the import page and API accept.
const MaxImportBytes = 5 << 20

type importPage struct {
	web.ImportOutcome
	Result   *ImportResult
	Columns  map[string][]string
	Required map[string][]string
}

func (h *Handlers) renderImport(w http.ResponseWriter, r *http.Request, status int, p importPage) error {
	p.Columns, p.Required = ImportColumns, requiredColumns
	return h.views.Render(w, r, status, "import", p)
}

func (h *Handlers) importPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	return h.renderImport(w, r, http.StatusOK, importPage{})
}

func (h *Handlers) importSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	return web.ImportForm(w, r, MaxImportBytes, func(file io.Reader) (ImportResult, error) {
		f, err := ParseImport(file)
		if err != nil {
			return ImportResult{}, err
		}
		return h.svc.Import(r.Context(), f, nil)
	}, func(status int, res *ImportResult, out web.ImportOutcome) error {
		return h.renderImport(w, r, status, importPage{ImportOutcome: out, Result: res})
	})
}

// importSample offers an example file of each kind to start a sheet from.
func (h *Handlers) importSample(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	kind := r.URL.Query().Get("kind")
	var rows [][]string
	switch kind {
	case ImportCourses:
		rows = [][]string{ImportColumns[ImportCourses],
			{"KIOSK-101", "everyday", "beginner", "생활 속 키오스크", "Everyday kiosks", "패스트푸드 키오스크로 주문해 봅니다.", "Order at a fast-food kiosk.", "1"}}
	case ImportSessions:
		day := h.svc.Now().In(i18n.Zone).AddDate(0, 1, 0).Format("2006-01-02")
		rows = [][]string{ImportColumns[ImportSessions],
			{"KIOSK-101-A", "KIOSK-101", "hub-sodambang", day, "10:00", "12:00", "20", "", "first_come", "", "휠체어 출입 가능", "Wheelchair accessible"}}
	default:
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := sheet.NewWriter(&buf)
	cw.UseCRLF = true
	cw.WriteAll(rows)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="maeul-`+kind+`-sample.csv"`)
	_, err := w.Write(buf.Bytes())
	return err
}

type importProblemJSON struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Key     string `json:"key"`
	Message string `json:"message"`
}

func (h *Handlers) apiImport(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	if r.ContentLength > MaxImportBytes {
		return errs.New(errs.Invalid, "import.too_large", MaxImportBytes>>20)
	}
	body := http.MaxBytesReader(w, r.Body, MaxImportBytes)
	f, err := ParseImport(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errs.New(errs.Invalid, "import.too_large", MaxImportBytes>>20)
	}
	var res ImportResult
	if err == nil {
		res, err = h.svc.Import(r.Context(), f, nil)
	}
	var ie *ImportError
	if errors.As(err, &ie) {
		l := reqLang(r)
		ps := make([]importProblemJSON, len(ie.Problems))
		for i, p := range ie.Problems {
			ps[i] = importProblemJSON{Line: p.Line, Column: p.Column, Key: p.Key, Message: l.T(p.Key, p.Args...)}
		}
		return web.JSON(w, http.StatusUnprocessableEntity, map[string]any{
			"error":    map[string]any{"code": errs.Invalid, "message": web.Message(r, err)},
			"problems": ps, "capped": ie.Capped})
	}
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"result": res})
}
