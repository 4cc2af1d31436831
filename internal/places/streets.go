package places

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/streets"
)

// MaxExtractBytes bounds an OpenStreetMap extract: a whole metropolitan
// region's .osm.pbf is a few tens of megabytes.
const MaxExtractBytes = 256 << 20

// Extract describes the street extract walking times follow.
type Extract struct {
	ID         int64
	Name       string
	Nodes      int
	Segments   int
	ImportedAt time.Time
}

// ImportStreets reads an OpenStreetMap extract (.osm.pbf) and, when it
// holds a walkable network, makes it the city's: walking times then follow
// its streets instead of the straight-line estimate.
func (s *Service) ImportStreets(ctx context.Context, name string, data []byte) (streets.Stats, error) {
	if len(data) > MaxExtractBytes {
		return streets.Stats{}, errs.New(errs.Invalid, "places.osm_too_big", MaxExtractBytes>>20)
	}
	g, err := streets.Load(bytes.NewReader(data))
	if err != nil {
		return streets.Stats{}, errs.New(errs.Invalid, "places.osm_invalid", err.Error())
	}
	st := g.Stats()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM street_extracts`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO street_extracts (name, data, nodes, segments, imported_at) VALUES ($1, $2, $3, $4, $5)`,
			name, data, st.Nodes, st.Segments, db.Time(s.Now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE places_version SET version = version + 1 WHERE id = 1`)
		return err
	})
	if err != nil {
		return streets.Stats{}, err
	}
	s.changed()
	return st, nil
}

// loadStreets returns the graph of the newest extract, reusing prev when
// it is the same extract: building a city's graph takes a second.
func (s *Service) loadStreets(ctx context.Context, prev *snapshot) (*streets.Graph, Extract, error) {
	var e Extract
	err := s.db.QueryRow(ctx, `SELECT id, name, nodes, segments, imported_at FROM street_extracts ORDER BY id DESC LIMIT 1`).
		Scan(&e.ID, &e.Name, &e.Nodes, &e.Segments, &e.ImportedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Extract{}, nil
	}
	if err != nil {
		return nil, Extract{}, err
	}
	if prev != nil && prev.extract.ID == e.ID {
		return prev.graph, e, nil
	}
	var data []byte
	if err := s.db.QueryRow(ctx, `SELECT data FROM street_extracts WHERE id = $1`, e.ID).Scan(&data); err != nil {
		return nil, Extract{}, err
	}
	g, err := streets.Load(bytes.NewReader(data))
	if err != nil {
		return nil, Extract{}, err
	}
	return g, e, nil
}

// Streets describes the extract walking times follow; ok is false when
// they are straight-line estimates.
func (s *Service) Streets(ctx context.Context) (Extract, bool, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return Extract{}, false, err
	}
	return sn.extract, sn.graph != nil, nil
}

func (w Walking) profile(p Pace, stepFree bool) streets.Profile {
	return streets.Profile{MetresPerSecond: w.Speed(p), StepFree: stepFree}
}
