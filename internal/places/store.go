package places

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/sheet"
)

func (s *Service) loadZones(ctx context.Context) ([]Zone, error) {
	rows, err := s.db.Query(ctx, `SELECT code, district, name_ko, name_en, population, boundary, centre_lon, centre_lat, demo FROM zones ORDER BY code`)
	return db.Collect(rows, err, func(sc db.Scanner) (Zone, error) {
		var z Zone
		var boundary string
		var lon, lat int64
		if err := sc.Scan(&z.Code, &z.District, &z.NameKo, &z.NameEn, &z.Population, &boundary, &lon, &lat, &z.Demo); err != nil {
			return z, err
		}
		if err := json.Unmarshal([]byte(boundary), &z.Boundary); err != nil {
			return z, err
		}
		z.Centre = Point{Lon: degrees(lon), Lat: degrees(lat)}
		z.bound = z.Boundary.Bound()
		return z, nil
	})
}

const facilityCols = `id, ref, category, name_ko, name_en, address_ko, address_en, lon, lat, zone_code, hours, step_free, accessible_toilet, hearing_loop, phone, website, demo, updated_at`

func (s *Service) loadFacilities(ctx context.Context) ([]Facility, error) {
	rows, err := s.db.Query(ctx, `SELECT `+facilityCols+` FROM facilities ORDER BY category, name_ko, id`)
	return db.Collect(rows, err, func(sc db.Scanner) (Facility, error) {
		var f Facility
		var lon, lat int64
		if err := sc.Scan(&f.ID, &f.Ref, &f.Category, &f.NameKo, &f.NameEn, &f.AddressKo, &f.AddressEn, &lon, &lat, &f.Zone,
			&f.HoursText, &f.StepFree, &f.AccessibleToilet, &f.HearingLoop, &f.Phone, &f.Website, &f.Demo, &f.UpdatedAt); err != nil {
			return f, err
		}
		f.At = Point{Lon: degrees(lon), Lat: degrees(lat)}
		// Stored hours were checked when imported; hours this version
		// cannot read show as unknown rather than failing every page.
		f.Hours, _ = ParseHours(f.HoursText)
		return f, nil
	})
}

// ImportResult is what an import wrote.
type ImportResult struct {
	Kind    string
	Rows    int
	Created int
	Updated int
}

// Import writes a checked file in one transaction. Zones replace the
// city's zones and every facility is placed in its zone again; facilities
// and events are created or updated by their reference. An event whose
// facility is unknown refuses the file, naming its line.
func (s *Service) Import(ctx context.Context, f *ImportFile) (ImportResult, error) {
	res := ImportResult{Kind: f.Kind, Rows: f.Rows()}
	if err := f.check(); err != nil {
		return res, err
	}
	var refs map[string]int64
	if f.Kind == ImportEvents {
		var err error
		if refs, err = s.facilityRefs(ctx); err != nil {
			return res, err
		}
		var ps sheet.Problems
		for _, ev := range f.Events {
			if _, ok := refs[ev.FacilityRef]; !ok {
				ps.Add(ev.Line, "facility_ref", "places.facility_unknown", ev.FacilityRef)
			}
		}
		if err := ps.Err(); err != nil {
			return res, err
		}
	}
	var zones []Zone
	if f.Kind == ImportFacilities {
		var err error
		if zones, err = s.loadZones(ctx); err != nil {
			return res, err
		}
	}
	now := db.Time(s.Now())
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		table := map[string]string{ImportZones: "zones", ImportFacilities: "facilities", ImportEvents: "place_events"}[f.Kind]
		var before, after int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&before); err != nil {
			return err
		}
		var err error
		switch f.Kind {
		case ImportZones:
			err = writeZones(ctx, tx, f.Zones)
		case ImportFacilities:
			err = writeFacilities(ctx, tx, f.Facilities, zones, now)
		case ImportEvents:
			err = writeEvents(ctx, tx, f.Events, refs)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&after); err != nil {
			return err
		}
		res.Created = after - before
		res.Updated = res.Rows - res.Created
		if f.Kind == ImportZones {
			res.Created, res.Updated = after, 0
		}
		_, err = tx.ExecContext(ctx, `UPDATE places_version SET version = version + 1 WHERE id = 1`)
		return err
	})
	if err != nil {
		return ImportResult{}, err
	}
	s.changed()
	return res, nil
}

func writeZones(ctx context.Context, tx *sql.Tx, zones []ImportZone) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM zones`); err != nil {
		return err
	}
	placed := make([]Zone, len(zones))
	for i, z := range zones {
		boundary, err := json.Marshal(z.Boundary)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO zones (code, district, name_ko, name_en, population, boundary, centre_lon, centre_lat, demo)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			z.Code, z.District, z.NameKo, z.NameEn, z.Population, string(boundary), micro(z.Centre.Lon), micro(z.Centre.Lat), z.Demo); err != nil {
			return err
		}
		placed[i] = z.Zone
	}
	// Every facility is placed in the new zones.
	rows, err := tx.QueryContext(ctx, `SELECT id, lon, lat, zone_code FROM facilities`)
	if err != nil {
		return err
	}
	type move struct {
		id   int64
		zone string
	}
	var moves []move
	for rows.Next() {
		var id, lon, lat int64
		var zone string
		if err := rows.Scan(&id, &lon, &lat, &zone); err != nil {
			rows.Close()
			return err
		}
		if z := zoneOf(placed, Point{Lon: degrees(lon), Lat: degrees(lat)}); z != zone {
			moves = append(moves, move{id, z})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range moves {
		if _, err := tx.ExecContext(ctx, `UPDATE facilities SET zone_code = $1 WHERE id = $2`, m.zone, m.id); err != nil {
			return err
		}
	}
	return nil
}

const facilityInsertCols = 17

func writeFacilities(ctx context.Context, tx *sql.Tx, fs []ImportFacility, zones []Zone, now time.Time) error {
	for start := 0; start < len(fs); start += db.RowsPerInsert {
		batch := fs[start:min(start+db.RowsPerInsert, len(fs))]
		args := make([]any, 0, len(batch)*facilityInsertCols)
		for _, f := range batch {
			args = append(args, f.Ref, f.Category, f.NameKo, f.NameEn, f.AddressKo, f.AddressEn, micro(f.At.Lon), micro(f.At.Lat),
				zoneOf(zones, f.At), f.HoursText, f.StepFree, f.AccessibleToilet, f.HearingLoop, f.Phone, f.Website, f.Demo, now)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO facilities (ref, category, name_ko, name_en, address_ko, address_en, lon, lat,
			zone_code, hours, step_free, accessible_toilet, hearing_loop, phone, website, demo, updated_at)
			VALUES `+db.Values(len(batch), facilityInsertCols)+`
			ON CONFLICT (ref) DO UPDATE SET category = excluded.category, name_ko = excluded.name_ko, name_en = excluded.name_en,
			address_ko = excluded.address_ko, address_en = excluded.address_en, lon = excluded.lon, lat = excluded.lat,
			zone_code = excluded.zone_code, hours = excluded.hours, step_free = excluded.step_free,
			accessible_toilet = excluded.accessible_toilet, hearing_loop = excluded.hearing_loop, phone = excluded.phone,
			website = excluded.website, demo = excluded.demo, updated_at = excluded.updated_at`, args...); err != nil {
			return err
		}
	}
	return nil
}

const eventInsertCols = 10

func writeEvents(ctx context.Context, tx *sql.Tx, evs []ImportEvent, refs map[string]int64) error {
	for start := 0; start < len(evs); start += db.RowsPerInsert {
		batch := evs[start:min(start+db.RowsPerInsert, len(evs))]
		args := make([]any, 0, len(batch)*eventInsertCols)
		for _, e := range batch {
			args = append(args, e.Ref, refs[e.FacilityRef], e.TitleKo, e.TitleEn, e.SummaryKo, e.SummaryEn, db.Time(e.StartsAt), db.Time(e.EndsAt), e.Free, e.Demo)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO place_events (ref, facility_id, title_ko, title_en, summary_ko, summary_en, starts_at, ends_at, free, demo)
			VALUES `+db.Values(len(batch), eventInsertCols)+`
			ON CONFLICT (ref) DO UPDATE SET facility_id = excluded.facility_id, title_ko = excluded.title_ko, title_en = excluded.title_en,
			summary_ko = excluded.summary_ko, summary_en = excluded.summary_en, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
			free = excluded.free, demo = excluded.demo`, args...); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) facilityRefs(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT ref, id FROM facilities`)
	return db.CollectMap(rows, err, map[string]int64{})
}

// check validates a file built in Go rather than parsed (the demo city's),
// so that no caller can store what an import would refuse.
func (f *ImportFile) check() error {
	var ps sheet.Problems
	for i := range f.Zones {
		z := &f.Zones[i]
		if len(z.Boundary) == 0 || !zoneCode.MatchString(z.Code) || z.NameKo == "" || z.Population < 0 {
			ps.Add(z.Line, "code", "places.zone_code_invalid", z.Code)
			continue
		}
		z.Centre = centre(z.Boundary)
		if z.NameEn == "" {
			z.NameEn = z.NameKo
		}
	}
	for i := range f.Facilities {
		if err := f.Facilities[i].validate(); err != nil {
			addProblem(&ps, f.Facilities[i].Line, "", err)
		}
	}
	for i := range f.Events {
		if err := f.Events[i].validate(); err != nil {
			addProblem(&ps, f.Events[i].Line, "", err)
		}
	}
	return ps.Err()
}
