package places

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/sheet"
)

// Imports of zones (GeoJSON), facilities (CSV or GeoJSON) and events (CSV).
// A file is checked whole before anything is written and written in one
// transaction; every problem is reported with its line so staff can fix
// the file in one pass.

// Import kinds.
const (
	ImportZones      = "zones"
	ImportFacilities = "facilities"
	ImportEvents     = "events"
)

// MaxImportBytes is the largest file accepted: the city's zones with
// detailed boundaries, or some hundred thousand facilities.
const MaxImportBytes = 64 << 20

// ImportFile is a parsed, checked file of one kind.
type ImportFile struct {
	Kind       string
	Zones      []ImportZone
	Facilities []ImportFacility
	Events     []ImportEvent
}

// Rows is how many zones, facilities or events the file holds.
func (f *ImportFile) Rows() int { return len(f.Zones) + len(f.Facilities) + len(f.Events) }

// ImportZone is a zone and the line its feature starts on.
type ImportZone struct {
	Line int
	Zone
}

// ImportFacility is a facility and its line.
type ImportFacility struct {
	Line int
	Facility
}

// ImportEvent is an event, its facility still by reference.
type ImportEvent struct {
	Line        int
	FacilityRef string
	Event
}

// FacilityColumns and EventColumns are the columns of the CSV files,
// required ones first.
var (
	FacilityColumns = []string{"ref", "category", "name_ko", "lon", "lat", "name_en", "address_ko", "address_en", "hours", "step_free", "accessible_toilet", "hearing_loop", "phone", "website"}
	EventColumns    = []string{"ref", "facility_ref", "title_ko", "date", "start", "end", "title_en", "summary_ko", "summary_en", "free"}
	ZoneProperties  = []string{"code", "name_ko", "population", "name_en", "district"}
)

var requiredColumns = map[string]int{ImportFacilities: 5, ImportEvents: 6, ImportZones: 3}

// Required is the number of leading columns of a kind that are required.
func Required(kind string) int { return requiredColumns[kind] }

// ParseImport reads a file: GeoJSON when it starts with "{", CSV
// otherwise. A CSV's kind is read from its header.
func ParseImport(r io.Reader) (*ImportFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, errs.New(errs.Invalid, "places.import_too_big", MaxImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return parseGeoJSON(data)
	}
	return parseCSV(data)
}

func parseCSV(data []byte) (*ImportFile, error) {
	var ps sheet.Problems
	t, err := sheet.Read(bytes.NewReader(data), &ps)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, ps.Err()
	}
	f := &ImportFile{Kind: ImportFacilities}
	cols := FacilityColumns
	if t.Has("facility_ref") {
		f.Kind, cols = ImportEvents, EventColumns
	}
	t.Check(cols, cols[:requiredColumns[f.Kind]], &ps)
	if ps.Len() > 0 {
		return nil, ps.Err()
	}
	for _, row := range t.Rows {
		if ps.Full() {
			break
		}
		switch f.Kind {
		case ImportFacilities:
			fac, ok := facilityFrom(row.Line, "", row.Get, nil, &ps)
			if ok {
				f.Facilities = append(f.Facilities, fac)
			}
		case ImportEvents:
			if ev, ok := eventFrom(row, &ps); ok {
				f.Events = append(f.Events, ev)
			}
		}
	}
	checkRefs(f, &ps)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// facilityFrom builds a facility from a row's fields (a CSV row, or a
// GeoJSON feature's properties and its point at); column prefixes the
// problems' columns.
func facilityFrom(line int, column string, get func(string) string, at *Point, ps *sheet.Problems) (ImportFacility, bool) {
	fac := Facility{
		Ref: get("ref"), Category: get("category"), NameKo: get("name_ko"), NameEn: get("name_en"),
		AddressKo: get("address_ko"), AddressEn: get("address_en"), HoursText: get("hours"),
		Phone: get("phone"), Website: get("website"),
	}
	ok := true
	for _, c := range []struct {
		name string
		dst  *bool
	}{{"step_free", &fac.StepFree}, {"accessible_toilet", &fac.AccessibleToilet}, {"hearing_loop", &fac.HearingLoop}} {
		v, good := yesNo(get(c.name))
		if !good {
			ps.Add(line, column+c.name, "places.yes_no", get(c.name))
			ok = false
		}
		*c.dst = v
	}
	if at != nil {
		fac.At = *at
	} else {
		lon, errLon := strconv.ParseFloat(get("lon"), 64)
		lat, errLat := strconv.ParseFloat(get("lat"), 64)
		if errLon != nil || errLat != nil {
			ps.Add(line, "lon", "places.coordinates_invalid", get("lon"), get("lat"))
			return ImportFacility{}, false
		}
		fac.At = Point{Lon: lon, Lat: lat}
	}
	if !ok {
		return ImportFacility{}, false
	}
	if err := fac.validate(); err != nil {
		addProblem(ps, line, column, err)
		return ImportFacility{}, false
	}
	return ImportFacility{Line: line, Facility: fac}, true
}

func eventFrom(row sheet.Row, ps *sheet.Problems) (ImportEvent, bool) {
	ev := ImportEvent{Line: row.Line, FacilityRef: row.Get("facility_ref"), Event: Event{
		Ref: row.Get("ref"), TitleKo: row.Get("title_ko"), TitleEn: row.Get("title_en"),
		SummaryKo: row.Get("summary_ko"), SummaryEn: row.Get("summary_en"),
	}}
	day, err := time.ParseInLocation("2006-01-02", row.Get("date"), i18n.Zone)
	if err != nil {
		ps.Add(row.Line, "date", "places.date_invalid", row.Get("date"))
		return ev, false
	}
	start, okStart := parseClock(row.Get("start"))
	end, okEnd := parseClock(row.Get("end"))
	if !okStart || !okEnd {
		ps.Add(row.Line, "start", "places.time_invalid", row.Get("start"), row.Get("end"))
		return ev, false
	}
	ev.StartsAt = day.Add(time.Duration(start) * time.Minute)
	ev.EndsAt = day.Add(time.Duration(end) * time.Minute)
	free, ok := yesNo(row.Get("free"))
	if !ok {
		ps.Add(row.Line, "free", "places.yes_no", row.Get("free"))
		return ev, false
	}
	ev.Free = free || row.Get("free") == ""
	if ev.FacilityRef == "" {
		ps.Add(row.Line, "facility_ref", "places.facility_ref_required")
		return ev, false
	}
	if err := ev.validate(); err != nil {
		addProblem(ps, row.Line, "", err)
		return ev, false
	}
	return ev, true
}

// checkRefs refuses a reference used twice in one file: the second row
// would silently replace the first.
func checkRefs(f *ImportFile, ps *sheet.Problems) {
	seen := map[string]int{}
	check := func(line int, column, ref string) {
		if first, dup := seen[ref]; dup {
			ps.Add(line, column, "places.duplicate_ref", ref, first)
			return
		}
		seen[ref] = line
	}
	for _, fac := range f.Facilities {
		check(fac.Line, "ref", fac.Ref)
	}
	for _, ev := range f.Events {
		check(ev.Line, "ref", ev.Ref)
	}
}

func addProblem(ps *sheet.Problems, line int, column string, err error) {
	e, ok := errs.As(err)
	if !ok {
		ps.Add(line, column, "places.row_invalid")
		return
	}
	ps.Add(line, column+e.Field, e.Key, e.Args...)
}

// yesNo reads a yes/no cell the ways staff write one; blank is no.
func yesNo(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "no", "n", "false", "0", "아니오", "아니요", "x":
		return false, true
	case "yes", "y", "true", "1", "예", "네", "o":
		return true, true
	}
	return false, false
}
