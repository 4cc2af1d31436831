package guides

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/sheet"
)

// The hotspot file (see doc.go for why this layout): one row per hotspot
// and group of days, with the people expected in each hour in h00..h23.
// A hotspot's first row names and places it; its later rows may leave
// those columns blank. Days without a row expect nobody.

// HotspotColumns are the columns of the file, required ones first.
var HotspotColumns = append([]string{"ref", "days", "name_ko", "kind", "lat", "lon", "name_en", "zone"}, hourColumns()...)

// requiredHotspotColumns: the hours may be left out of the header (a file
// of names and places only); the first rows of each ref must have a name.
const requiredHotspotColumns = 6

// describing are the columns a hotspot's first row fills and later rows
// repeat or leave blank.
var describing = []string{"name_ko", "kind", "lat", "lon", "name_en", "zone"}

func hourColumn(h int) string { return fmt.Sprintf("h%02d", h) }

func hourColumns() []string {
	out := make([]string, 24)
	for h := range out {
		out[h] = hourColumn(h)
	}
	return out
}

// MaxImportBytes bounds a hotspot file: a city has hundreds of spots, not
// hundreds of thousands.
const MaxImportBytes = 5 << 20

// HotspotFile is a parsed, checked file.
type HotspotFile struct {
	Hotspots []Hotspot
	Lines    []int // the first line of each hotspot
}

// ImportResult says what an import did.
type ImportResult struct {
	Rows    int `json:"rows"`
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// IsHotspotSheet reports whether a CSV header is a hotspot file's, for the
// command line that imports every kind of file.
func IsHotspotSheet(header []string) bool {
	has := map[string]bool{}
	for _, h := range header {
		has[strings.ToLower(strings.TrimSpace(h))] = true
	}
	return has["ref"] && has["days"] && has["h00"]
}

// ParseHotspots reads and checks a hotspot file whole. It returns a
// *sheet.Error listing every problem with its line and column, or the
// hotspots ready for Service.Import.
func ParseHotspots(r io.Reader) (*HotspotFile, error) {
	var ps sheet.Problems
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, errs.Field("file", "import.too_large", MaxImportBytes>>20)
	}
	t, err := sheet.Read(strings.NewReader(string(data)), &ps)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, ps.Err()
	}
	t.Check(HotspotColumns, HotspotColumns[:requiredHotspotColumns], &ps)
	if ps.Len() > 0 {
		return nil, ps.Err()
	}
	f := &HotspotFile{}
	index := map[string]int{}       // ref -> position in f.Hotspots
	firstDay := map[string][7]int{} // ref -> line that set each day
	for _, row := range t.Rows {
		if ps.Full() {
			break
		}
		n := ps.Len()
		ref := row.Get("ref")
		if !refOK(ref) {
			ps.Add(row.Line, "ref", "guides.ref_invalid", 60)
			continue
		}
		days, ok := parseDays(row.Get("days"))
		if !ok {
			ps.Add(row.Line, "days", "guides.days_invalid")
		}
		var hours [24]int
		for h := range hours {
			v := row.Get(hourColumn(h))
			if v == "" {
				continue
			}
			k, err := strconv.Atoi(strings.ReplaceAll(v, ",", ""))
			if err != nil || k < 0 || k > MaxPeople {
				ps.Add(row.Line, hourColumn(h), "guides.people_range", MaxPeople)
				continue
			}
			hours[h] = k
		}
		i, seen := index[ref]
		if !seen {
			h, ok := hotspotFrom(row, &ps)
			if !ok {
				continue
			}
			i = len(f.Hotspots)
			index[ref] = i
			f.Hotspots = append(f.Hotspots, h)
			f.Lines = append(f.Lines, row.Line)
		} else {
			checkRepeated(row, f.Hotspots[i], f.Lines[i], &ps)
		}
		if ps.Len() > n {
			continue
		}
		set := firstDay[ref]
		for d, on := range days {
			if !on {
				continue
			}
			if set[d] != 0 {
				ps.Add(row.Line, "days", "guides.day_twice", set[d])
				continue
			}
			set[d] = row.Line
			f.Hotspots[i].Profile[d] = hours
		}
		firstDay[ref] = set
	}
	if ps.Len() == 0 && len(f.Hotspots) == 0 {
		ps.Add(0, "", "sheet.no_rows")
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// hotspotFrom reads the columns that name and place a hotspot.
func hotspotFrom(row sheet.Row, ps *sheet.Problems) (Hotspot, bool) {
	h := Hotspot{Ref: row.Get("ref"), NameKo: row.Get("name_ko"), NameEn: row.Get("name_en"), Kind: row.Get("kind"), Zone: row.Get("zone")}
	lat, errLat := strconv.ParseFloat(row.Get("lat"), 64)
	lon, errLon := strconv.ParseFloat(row.Get("lon"), 64)
	if errLat != nil || errLon != nil {
		ps.Add(row.Line, "lat", "guides.coordinates_invalid")
		return h, false
	}
	h.At = Point{Lat: lat, Lon: lon}
	if err := h.validate(); err != nil {
		e, _ := errs.As(err)
		ps.Add(row.Line, e.Field, e.Key, e.Args...)
		return h, false
	}
	return h, true
}

// checkRepeated refuses a later row of a hotspot that describes it
// differently from its first: one of the two is a mistake.
func checkRepeated(row sheet.Row, h Hotspot, first int, ps *sheet.Problems) {
	was := map[string]string{"name_ko": h.NameKo, "kind": h.Kind, "name_en": h.NameEn, "zone": h.Zone}
	for _, c := range describing {
		v := row.Get(c)
		if v == "" {
			continue
		}
		same := v == was[c]
		if c == "lat" || c == "lon" {
			x, err := strconv.ParseFloat(v, 64)
			want := h.At.Lat
			if c == "lon" {
				want = h.At.Lon
			}
			same = err == nil && micro(x) == micro(want)
		}
		if !same {
			ps.Add(row.Line, c, "guides.differs_from_first", first)
		}
	}
}

var dayNames = map[string]int{
	"mon": 0, "monday": 0, "월": 0, "월요일": 0,
	"tue": 1, "tuesday": 1, "화": 1, "화요일": 1,
	"wed": 2, "wednesday": 2, "수": 2, "수요일": 2,
	"thu": 3, "thursday": 3, "목": 3, "목요일": 3,
	"fri": 4, "friday": 4, "금": 4, "금요일": 4,
	"sat": 5, "saturday": 5, "토": 5, "토요일": 5,
	"sun": 6, "sunday": 6, "일": 6, "일요일": 6,
}

var dayGroups = map[string][7]bool{
	"all": {true, true, true, true, true, true, true}, "매일": {true, true, true, true, true, true, true},
	"weekdays": {true, true, true, true, true}, "평일": {true, true, true, true, true},
	"weekend": {5: true, 6: true}, "주말": {5: true, 6: true},
}

// parseDays reads the days a row is for, the ways a coordinator writes
// them: mon-fri, sat sun, 월~금, 토·일, 평일, 주말, all.
func parseDays(s string) ([7]bool, bool) {
	var out [7]bool
	tokens := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '/' || r == '·'
	})
	if len(tokens) == 0 {
		return out, false
	}
	for _, tok := range tokens {
		if g, ok := dayGroups[tok]; ok {
			for d, on := range g {
				out[d] = out[d] || on
			}
			continue
		}
		a, b, isRange := strings.Cut(strings.ReplaceAll(tok, "~", "-"), "-")
		from, ok1 := dayNames[a]
		to := from
		ok2 := true
		if isRange {
			to, ok2 = dayNames[b]
		}
		if !ok1 || !ok2 || to < from {
			return out, false
		}
		for d := from; d <= to; d++ {
			out[d] = true
		}
	}
	return out, true
}

var dayCodes = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// WriteHotspots writes hotspots as an import file, days with the same
// hours on one row, so that a coordinator can download, edit and send the
// file back.
func WriteHotspots(w io.Writer, hs []Hotspot) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil { // so Excel reads UTF-8
		return err
	}
	cw := sheet.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(HotspotColumns); err != nil {
		return err
	}
	for _, h := range hs {
		done := [7]bool{}
		first := true
		for d := range h.Profile {
			if done[d] {
				continue
			}
			var days []string
			for e := d; e < 7; e++ {
				if !done[e] && h.Profile[e] == h.Profile[d] {
					done[e] = true
					days = append(days, dayCodes[e])
				}
			}
			rec := []string{h.Ref, strings.Join(days, " "), "", "", "", "", "", ""}
			if first {
				rec = []string{h.Ref, strings.Join(days, " "), h.NameKo, h.Kind, strconv.FormatFloat(h.At.Lat, 'f', 6, 64),
					strconv.FormatFloat(h.At.Lon, 'f', 6, 64), h.NameEn, h.Zone}
				first = false
			}
			for _, n := range h.Profile[d] {
				rec = append(rec, strconv.Itoa(n))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Import writes a checked file in one transaction: hotspots are created,
// or updated when their ref exists. Without an actor in ctx the caller is
// the command line.
func (s *Service) Import(ctx context.Context, f *HotspotFile) (ImportResult, error) {
	if a := actor.From(ctx); a != nil && !a.Is(actor.CentreAdmin) {
		return ImportResult{}, errs.New(errs.Forbidden, "error.forbidden")
	}
	if f == nil || len(f.Hotspots) == 0 {
		return ImportResult{}, &sheet.Error{Problems: []sheet.Problem{{Key: "sheet.no_rows"}}}
	}
	res, err := db.TxValue(ctx, s.db, func(tx *sql.Tx) (ImportResult, error) { return s.importTx(ctx, tx, f) })
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

func (s *Service) importTx(ctx context.Context, tx *sql.Tx, f *HotspotFile) (ImportResult, error) {
	res := ImportResult{Rows: len(f.Hotspots)}
	now := s.Now()
	for _, h := range f.Hotspots {
		if err := h.validate(); err != nil {
			return res, err
		}
		_, created, err := saveHotspot(ctx, tx, h, now)
		if err != nil {
			return res, err
		}
		if created {
			res.Created++
		} else {
			res.Updated++
		}
	}
	return res, audit.Record(ctx, tx, audit.Entry{Action: "import.hotspots", SubjectType: "hotspots",
		Detail: fmt.Sprintf("rows=%d created=%d updated=%d", res.Rows, res.Created, res.Updated)})
}

// ImportCSV parses and imports a hotspot file: what `maeul import` calls.
func (s *Service) ImportCSV(ctx context.Context, r io.Reader) (ImportResult, error) {
	f, err := ParseHotspots(r)
	if err != nil {
		return ImportResult{}, err
	}
	return s.Import(ctx, f)
}
