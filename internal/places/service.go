package places

import (
	"context"
	"sync"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/streets"
)

// Service answers what is where: zones, facilities, events and what is
// near a point.
type Service struct {
	db      *db.DB
	Walking Walking
	Now     func() time.Time
	// Fresh is how long a snapshot is trusted before the database is asked
	// whether another instance changed the places; this instance's own
	// changes are seen at once.
	Fresh time.Duration
	// Landmarks lists the stations and markets people name as where they
	// are (the digital guides' spots, passed in by the app); nil: none.
	// The locator asks at most once per Fresh.
	Landmarks func(ctx context.Context) ([]Landmark, error)

	mu       sync.Mutex
	current  *snapshot
	previous *snapshot // kept after a change, so that an unchanged street graph is not built again
	checked  time.Time
	coverage map[coverageKey]*CoverageReport

	locMu sync.Mutex
	names *nameIndex // the locator's, of a snapshot's version and the landmarks
}

// New returns the places service on d.
func New(d *db.DB) *Service {
	return &Service{db: d, Walking: DefaultWalking(), Now: time.Now, Fresh: time.Second}
}

// snapshot is every zone and facility of one version of the places, with
// the spatial index of each category: the read model of every page.
type snapshot struct {
	version    int64
	zones      []Zone
	facilities []Facility
	byID       map[int64]int32
	byCategory map[string]*index
	graph      *streets.Graph // nil: no street extract, times are estimates
	extract    Extract
}

// snap returns the current snapshot, loading a new one when the places
// changed.
func (s *Service) snap(ctx context.Context) (*snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	if s.current != nil && now.Sub(s.checked) < s.Fresh {
		return s.current, nil
	}
	var version int64
	if err := s.db.QueryRow(ctx, `SELECT version FROM places_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, err
	}
	if s.current == nil || s.current.version != version {
		sn, err := s.load(ctx, version, s.previous)
		if err != nil {
			return nil, err
		}
		s.current, s.previous = sn, sn
	}
	s.checked = now
	return s.current, nil
}

// changed forgets the snapshot after this instance wrote.
func (s *Service) changed() {
	s.mu.Lock()
	s.current = nil
	s.mu.Unlock()
}

func (s *Service) load(ctx context.Context, version int64, prev *snapshot) (*snapshot, error) {
	graph, extract, err := s.loadStreets(ctx, prev)
	if err != nil {
		return nil, err
	}
	zones, err := s.loadZones(ctx)
	if err != nil {
		return nil, err
	}
	facilities, err := s.loadFacilities(ctx)
	if err != nil {
		return nil, err
	}
	sn := &snapshot{version: version, zones: zones, facilities: facilities, byID: make(map[int64]int32, len(facilities)),
		byCategory: map[string]*index{}, graph: graph, extract: extract}
	nodes := map[string][]indexNode{}
	for i, f := range facilities {
		sn.byID[f.ID] = int32(i)
		x, y := project(f.At)
		nodes[f.Category] = append(nodes[f.Category], indexNode{x: x, y: y, id: int32(i)})
	}
	for c, ns := range nodes {
		sn.byCategory[c] = buildIndex(ns)
	}
	return sn, nil
}

// Zones returns every zone, in code order.
func (s *Service) Zones(ctx context.Context) ([]Zone, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return nil, err
	}
	return sn.zones, nil
}

// Zone returns one zone.
func (s *Service) Zone(ctx context.Context, code string) (Zone, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return Zone{}, err
	}
	for _, z := range sn.zones {
		if z.Code == code {
			return z, nil
		}
	}
	return Zone{}, errs.New(errs.NotFound, "places.zone_not_found")
}

// Facility returns one facility.
func (s *Service) Facility(ctx context.Context, id int64) (Facility, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return Facility{}, err
	}
	i, ok := sn.byID[id]
	if !ok {
		return Facility{}, errs.New(errs.NotFound, "places.facility_not_found")
	}
	return sn.facilities[i], nil
}

// FacilitiesIn returns a zone's facilities, by category and name.
func (s *Service) FacilitiesIn(ctx context.Context, zone string) ([]Facility, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return nil, err
	}
	var out []Facility
	for _, f := range sn.facilities {
		if f.Zone == zone {
			out = append(out, f)
		}
	}
	return out, nil
}

// Counts is how many facilities there are of each category.
func (s *Service) Counts(ctx context.Context) (map[string]int, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for c, ix := range sn.byCategory {
		out[c] = len(ix.nodes)
	}
	return out, nil
}
