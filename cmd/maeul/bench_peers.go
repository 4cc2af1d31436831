package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"

	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/streets"
)

func init() { benchScenarios["gis-peers"] = benchGISPeers }

// peersDSN is the database tools/install-postgis.sh makes, apart from the
// `test` database the store tests use.
const peersDSN = "postgres://postgres@127.0.0.1:5432/maeul_gis_bench?sslmode=disable"

// peersSRID is the projected system a GIS engineer in Korea measures metres
// in: Korea 2000 / Unified CS, a transverse Mercator on 127.5°E.
const peersSRID = 5179

// The 15-minute walk at the adult pace, the same for both sides.
const (
	peersWalkSeconds = 15 * 60
	peersSpeed       = streets.DefaultSpeed
)

type peersOptions struct {
	facilities, queries, workers int
	nodes, runs                  int
	sources                      []int
}

// benchGISPeers puts our spatial code beside what a GIS engineer would
// reach for, on the same data in one run: the ten nearest facilities from
// the places index against PostGIS's index-assisted <->, and the 15-minute
// walk of streets.Reach against pgRouting's pgr_drivingDistance on the same
// street graph. Each pair is also checked to give the same answer, since a
// fast wrong answer is no benchmark.
func benchGISPeers(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("bench gis-peers", "bench gis-peers [--pg DSN] [--facilities 100000] [--queries 20000] [--workers 2] [--nodes 200000] [--sources 1,50,300] [--runs 5]\n\n"+
		"Our nearest-facilities index and street reach against PostGIS and pgRouting, on the same data.\nInstall the peers first: bash tools/install-postgis.sh")
	dsn := fs.String("pg", peersDSN, "PostgreSQL database with the postgis and pgrouting extensions")
	var o peersOptions
	fs.IntVar(&o.facilities, "facilities", 100000, "facilities to generate (the places-nearest benchmark's, same seed)")
	fs.IntVar(&o.queries, "queries", 20000, "nearest queries, the same points for both")
	fs.IntVar(&o.workers, "workers", 2, "concurrent clients in the second round of queries, the same for both (the first is one client)")
	fs.IntVar(&o.nodes, "nodes", 200000, "nodes of the synthetic street extract")
	sources := fs.String("sources", "1,50,300", "numbers of sources of the 15-minute reach, comma-separated")
	fs.IntVar(&o.runs, "runs", 5, "reach runs for each number of sources, each from other sources")
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, s := range strings.Split(*sources, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("--sources: %q is not a positive number", s)
		}
		o.sources = append(o.sources, n)
	}
	if o.facilities < 10 || o.queries < 1 || o.workers < 1 || o.runs < 1 {
		return errors.New("--facilities must be at least 10, --queries, --workers and --runs at least 1")
	}
	pool, err := peersConnect(ctx, *dsn, o.workers, stdout)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := peersNearest(ctx, pool, o, stdout); err != nil {
		return err
	}
	return peersReach(ctx, pool, o, stdout)
}

// peersConnect opens the peers' database and says what to run when PostGIS
// or pgRouting is not there, rather than fail on the first query.
func peersConnect(ctx context.Context, dsn string, workers int, stdout io.Writer) (*pgxpool.Pool, error) {
	const install = "install them with: bash tools/install-postgis.sh (then --pg " + peersDSN + ")"
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("--pg: %w", err)
	}
	cfg.MaxConns = int32(workers + 1)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	where := fmt.Sprintf("database %s on %s:%d", cfg.ConnConfig.Database, cfg.ConnConfig.Host, cfg.ConnConfig.Port)
	var pgv, gisv, pgrv string
	err = pool.QueryRow(ctx, `SELECT current_setting('server_version'), postgis_lib_version(), pgr_version()`).Scan(&pgv, &gisv, &pgrv)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("PostGIS and pgRouting are not available in %s (%v);\n%s", where, err, install)
	}
	fmt.Fprintf(stdout, "peers: PostgreSQL %s, PostGIS %s, pgRouting %s (%s)\n", pgv, gisv, pgrv, where)
	return pool, nil
}

// ---- The ten nearest facilities ----

type peersFacility struct {
	ref, category string
	stepFree      bool
	at            places.Point
}

type peersQuery struct {
	from     places.Point
	category string // "": any
	stepFree bool
}

// peersFacilities draws what `maeul bench places-nearest` draws, from the
// same seed and in the same order: the facilities, the point of its first
// query, then its query points, so both benchmarks measure the same city.
func peersFacilities(n, queries int) ([]peersFacility, []peersQuery) {
	rng := rand.New(rand.NewPCG(6, 15))
	area := places.Bounds{MinLon: 128.85, MinLat: 35.05, MaxLon: 129.25, MaxLat: 35.30}
	at := func() places.Point {
		return places.Point{Lon: area.MinLon + rng.Float64()*(area.MaxLon-area.MinLon), Lat: area.MinLat + rng.Float64()*(area.MaxLat-area.MinLat)}
	}
	fac := make([]peersFacility, n)
	for i := range fac {
		c := places.Categories[rng.IntN(len(places.Categories))]
		p := at()
		fac[i] = peersFacility{ref: fmt.Sprintf("bench-%d", i), category: c.Code, at: p, stepFree: rng.IntN(3) > 0}
	}
	at() // places-nearest's first query, which loads its index
	qs := make([]peersQuery, queries)
	for i := range qs {
		q := peersQuery{from: at()}
		if i%4 != 0 {
			q.category = places.Categories[rng.IntN(len(places.Categories))].Code
		}
		q.stepFree = i%8 == 1
		qs[i] = q
	}
	return fac, qs
}

// peersMicro rounds as the places store keeps coordinates (whole microdegrees),
// so PostGIS gets exactly the points our index holds.
func peersMicro(p places.Point) places.Point {
	return places.Point{Lon: math.Round(p.Lon*1e6) / 1e6, Lat: math.Round(p.Lat*1e6) / 1e6}
}

func peersNearest(ctx context.Context, pool *pgxpool.Pool, o peersOptions, stdout io.Writer) error {
	fac, qs := peersFacilities(o.facilities, o.queries)
	at := make(map[string]places.Point, len(fac))
	for i := range fac {
		fac[i].at = peersMicro(fac[i].at)
		at[fac[i].ref] = fac[i].at
	}

	d, done, err := benchOpen(ctx, "")
	if err != nil {
		return err
	}
	defer done()
	svc := places.New(d)
	file := &places.ImportFile{Kind: places.ImportFacilities}
	for i, f := range fac {
		file.Facilities = append(file.Facilities, places.ImportFacility{Line: i + 2, Facility: places.Facility{
			Ref: f.ref, Category: f.category, NameKo: fmt.Sprintf("시설 %d", i), At: f.at, HoursText: "Mo-Fr 09:00-18:00", StepFree: f.stepFree}})
	}
	start := time.Now()
	if _, err := svc.Import(ctx, file); err != nil {
		return err
	}
	// The index is built on the first query after an import.
	if _, err := svc.Nearest(ctx, places.Query{From: qs[0].from, Limit: 10}); err != nil {
		return err
	}
	oursLoad := time.Since(start)
	start = time.Now()
	if err := peersLoadFacilities(ctx, pool, fac); err != nil {
		return err
	}
	theirsLoad := time.Since(start)
	fmt.Fprintf(stdout, "\n== ten nearest facilities: %d facilities, %d queries (3 in 4 of one category, 1 in 8 step-free) ==\n", len(fac), len(qs))
	fmt.Fprintf(stdout, "load: ours %s (SQLite import + 2-d trees), PostGIS %s (COPY, geography and EPSG:%d columns, a GiST index on each)\n",
		oursLoad.Round(time.Millisecond), theirsLoad.Round(time.Millisecond), peersSRID)

	ours := func(ctx context.Context, q peersQuery) ([]string, error) {
		pq := places.Query{From: q.from, Limit: 10, StepFree: q.stepFree}
		if q.category != "" {
			pq.Categories = []string{q.category}
		}
		res, err := svc.Nearest(ctx, pq)
		refs := make([]string, len(res))
		for i, r := range res {
			refs[i] = r.Ref
		}
		return refs, err
	}
	peers := []struct {
		name string
		run  func(context.Context, peersQuery) ([]string, error)
	}{
		{"ours: places.Nearest (2-d tree)", ours},
		// geography's <-> is the distance on the sphere, as ours is meant to be.
		{"PostGIS geography <->", peersKNN(pool, "geog", "ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography")},
		{fmt.Sprintf("PostGIS EPSG:%d geometry <->", peersSRID), peersKNN(pool, "geom", fmt.Sprintf("ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), %d)", peersSRID))},
	}
	answers := make([][][]string, len(peers))
	for _, workers := range slices.Compact([]int{1, o.workers}) {
		fmt.Fprintf(stdout, "%d client(s), one query at a time each:\n", workers)
		var base loadResult
		for k, p := range peers {
			got := make([][]string, len(qs))
			if _, err := p.run(ctx, qs[0]); err != nil { // a warm-up, and the first error in full
				return fmt.Errorf("%s: %w", p.name, err)
			}
			r := runN(workers, len(qs), func(i int) error {
				refs, err := p.run(ctx, qs[i])
				if err == nil && len(refs) != 10 {
					err = fmt.Errorf("%d results", len(refs))
				}
				got[i] = refs
				return err
			})
			if r.failed > 0 {
				return fmt.Errorf("%s: %d of %d queries failed", p.name, r.failed, r.n)
			}
			if answers[k] == nil {
				answers[k] = got
			}
			line := fmt.Sprintf("  %-34s %s", p.name, peersLatency(r))
			if k == 0 {
				base = r
			} else {
				line += "  " + peersRatio(base, r)
			}
			fmt.Fprintln(stdout, line)
		}
		// What of theirs is the wire and not the query: a statement that
		// does nothing, from the same pool.
		r := runN(workers, len(qs), func(i int) error {
			var n int64
			return pool.QueryRow(ctx, `SELECT $1::int8`, int64(i)).Scan(&n)
		})
		fmt.Fprintf(stdout, "  %-34s %s\n", "(PostgreSQL round trip alone)", peersLatency(r))
	}
	fmt.Fprintln(stdout, "agreement with ours (ties count as agreement: answers compared rank by rank by great-circle distance, within 1 cm):")
	for k := 1; k < len(peers); k++ {
		a := peersAgree(qs, answers[0], answers[k], at)
		fmt.Fprintf(stdout, "  %-34s %s\n", peers[k].name, a)
	}
	return nil
}

// peersLoadFacilities puts the facilities in PostGIS as a GIS engineer
// would: a point column in geography (metres on the sphere) and one in the
// national projected system, each with its GiST index.
func peersLoadFacilities(ctx context.Context, pool *pgxpool.Pool, fac []peersFacility) error {
	if _, err := pool.Exec(ctx, `DROP TABLE IF EXISTS gis_peers_facilities, gis_peers_facilities_in;
		CREATE UNLOGGED TABLE gis_peers_facilities_in (ref text, category text, step_free boolean, lon float8, lat float8)`); err != nil {
		return err
	}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"gis_peers_facilities_in"}, []string{"ref", "category", "step_free", "lon", "lat"},
		pgx.CopyFromSlice(len(fac), func(i int) ([]any, error) {
			f := fac[i]
			return []any{f.ref, f.category, f.stepFree, f.at.Lon, f.at.Lat}, nil
		}))
	if err != nil {
		return err
	}
	_, err = pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE gis_peers_facilities AS
			SELECT ref, category, step_free,
				ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog,
				ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), %d) AS geom
			FROM gis_peers_facilities_in;
		DROP TABLE gis_peers_facilities_in;
		CREATE INDEX ON gis_peers_facilities USING gist (geog);
		CREATE INDEX ON gis_peers_facilities USING gist (geom);
		ANALYZE gis_peers_facilities`, peersSRID))
	return err
}

// peersKNN is the ten-nearest query on a column: ORDER BY <-> LIMIT 10,
// which PostgreSQL answers from the GiST index nearest first, filtering by
// category and step-free as it goes. pgx prepares each text once a
// connection, as a Go service would.
func peersKNN(pool *pgxpool.Pool, col, point string) func(context.Context, peersQuery) ([]string, error) {
	const q = `SELECT ref FROM gis_peers_facilities WHERE %s (step_free OR NOT $3) ORDER BY %s <-> %s LIMIT 10`
	anyCategory := fmt.Sprintf(q, "", col, point)
	oneCategory := fmt.Sprintf(q, "category = $4 AND", col, point)
	return func(ctx context.Context, pq peersQuery) ([]string, error) {
		var rows pgx.Rows
		var err error
		if pq.category == "" {
			rows, err = pool.Query(ctx, anyCategory, pq.from.Lon, pq.from.Lat, pq.stepFree)
		} else {
			rows, err = pool.Query(ctx, oneCategory, pq.from.Lon, pq.from.Lat, pq.stepFree, pq.category)
		}
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowTo[string])
	}
}

// peersAgreement counts how often two answers to the same queries agree.
type peersAgreement struct {
	queries, sameRefs, sameDistances int
	theirsNearer, oursNearer         int     // of those that differ, by the sum of the ten distances
	worst                            float64 // metres, the largest difference at one rank
	worstQuery                       int
}

func (a peersAgreement) String() string {
	pct := func(n int) float64 { return 100 * float64(n) / float64(a.queries) }
	s := fmt.Sprintf("same ten refs %6.2f%%, same ten distances %6.2f%% (%d of %d queries differ)",
		pct(a.sameRefs), pct(a.sameDistances), a.queries-a.sameDistances, a.queries)
	if a.sameDistances < a.queries {
		s += fmt.Sprintf("; of those, theirs nearer on the sphere in %d, ours in %d; largest difference at one rank %.2f m (query %d)",
			a.theirsNearer, a.oursNearer, a.worst, a.worstQuery)
	}
	return s
}

// peersAgree compares answers rank by rank by great-circle distance from
// the query point: two facilities at the same distance are equally right,
// so a different ref there is not a disagreement, while a nearer facility
// one side missed is.
func peersAgree(qs []peersQuery, ours, theirs [][]string, at map[string]places.Point) peersAgreement {
	a := peersAgreement{queries: len(qs)}
	dist := func(from places.Point, refs []string) []float64 {
		d := make([]float64, len(refs))
		for i, r := range refs {
			d[i] = places.Metres(from, at[r])
		}
		slices.Sort(d)
		return d
	}
	for i, q := range qs {
		if slices.Equal(ours[i], theirs[i]) {
			a.sameRefs++
		}
		do, dt := dist(q.from, ours[i]), dist(q.from, theirs[i])
		same := len(do) == len(dt)
		for k := range min(len(do), len(dt)) {
			if diff := math.Abs(do[k] - dt[k]); diff > 0.01 {
				same = false
				if diff > a.worst {
					a.worst, a.worstQuery = diff, i
				}
			}
		}
		if same {
			a.sameDistances++
			continue
		}
		switch so, st := peersSum(do), peersSum(dt); {
		case st < so-0.01:
			a.theirsNearer++
		case so < st-0.01:
			a.oursNearer++
		}
	}
	return a
}

func peersSum(d []float64) float64 {
	var s float64
	for _, v := range d {
		s += v
	}
	return s
}

func peersQuantile(lat []time.Duration, p float64) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[int(p*float64(len(s)-1))]
}

func peersLatency(r loadResult) string {
	return fmt.Sprintf("p50 %8s  p99 %8s  %8.0f q/s", peersQuantile(r.lat, 0.5).Round(time.Microsecond),
		peersQuantile(r.lat, 0.99).Round(time.Microsecond), float64(r.n)/r.took.Seconds())
}

// peersRatio is ours over theirs: latencies below 1 and throughput above 1
// mean ours is faster.
func peersRatio(ours, theirs loadResult) string {
	return fmt.Sprintf("ours/theirs: p50 %.3f, p99 %.3f, throughput %.1f×",
		float64(peersQuantile(ours.lat, 0.5))/float64(peersQuantile(theirs.lat, 0.5)),
		float64(peersQuantile(ours.lat, 0.99))/float64(peersQuantile(theirs.lat, 0.99)),
		(float64(ours.n)/ours.took.Seconds())/(float64(theirs.n)/theirs.took.Seconds()))
}

// ---- The 15-minute walk ----

// peersStreets is the street graph of an extract as pgRouting takes it: the
// walkable segments between OSM nodes, found by reading the file again as
// streets.Load does, since the Graph does not give out its arcs.
type peersStreets struct {
	nodes       []peersNode // used by some segment, in order of id
	index       map[int64]int
	edges       []peersEdge
	notStepFree int
}

type peersNode struct {
	id       int64
	lon, lat float64 // rounded to OSM's e7, as streets keeps them
}

type peersEdge struct {
	source, target int64
	metres         float32 // as the Graph keeps an arc's length
}

// peersReadStreets reads an .osm.pbf with the rules of streets.Load: visible
// nodes, the first of a repeated id; visible ways that peersWalkable keeps,
// with two nodes or more; a segment for each pair of consecutive references
// that are both in the file and not the same node.
func peersReadStreets(r io.Reader) (*peersStreets, error) {
	type way struct {
		refs     []int64
		stepFree bool
	}
	pos := map[int64][2]float64{}
	var ways []way
	sc := osmpbf.New(context.Background(), r, 1)
	defer sc.Close()
	sc.SkipRelations = true
	e7 := func(d float64) float64 { return math.Round(d*1e7) / 1e7 }
	sc.FilterNode = func(n *osm.Node) bool {
		if _, seen := pos[int64(n.ID)]; n.Visible && !seen {
			pos[int64(n.ID)] = [2]float64{e7(n.Lon), e7(n.Lat)}
		}
		return false
	}
	sc.FilterWay = func(w *osm.Way) bool {
		if ok, stepFree := streets.Walkable(w.Tags); ok && w.Visible && len(w.Nodes) >= 2 {
			refs := make([]int64, len(w.Nodes))
			for i, n := range w.Nodes {
				refs[i] = int64(n.ID)
			}
			ways = append(ways, way{refs, stepFree})
		}
		return false
	}
	for sc.Scan() {
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	s := &peersStreets{index: map[int64]int{}}
	used := map[int64]bool{}
	for _, w := range ways {
		for i := 1; i < len(w.refs); i++ {
			a, b := w.refs[i-1], w.refs[i]
			pa, oka := pos[a]
			pb, okb := pos[b]
			if !oka || !okb || a == b {
				continue
			}
			m := float32(places.Metres(places.Point{Lon: pa[0], Lat: pa[1]}, places.Point{Lon: pb[0], Lat: pb[1]}))
			s.edges = append(s.edges, peersEdge{a, b, m})
			used[a], used[b] = true, true
			if !w.stepFree {
				s.notStepFree++
			}
		}
	}
	for id := range used {
		s.nodes = append(s.nodes, peersNode{id: id, lon: pos[id][0], lat: pos[id][1]})
	}
	slices.SortFunc(s.nodes, func(a, b peersNode) int { return cmp.Compare(a.id, b.id) })
	for i, n := range s.nodes {
		s.index[n.id] = i
	}
	return s, nil
}

// check says how the export differs from the Graph streets.Load built, if
// it does: the same nodes at the same places and the same segments.
func (s *peersStreets) check(g *streets.Graph) error {
	st := g.Stats()
	if len(s.nodes) > 0 && s.nodes[0].id <= 0 {
		return fmt.Errorf("node id %d: the virtual source of the pgRouting queries needs ids above 0", s.nodes[0].id)
	}
	if len(s.nodes) != st.Nodes || len(s.edges) != st.Segments || s.notStepFree != st.NotStepFree {
		return fmt.Errorf("the export has %d nodes, %d segments (%d not step-free); streets.Load has %d, %d (%d)",
			len(s.nodes), len(s.edges), s.notStepFree, st.Nodes, st.Segments, st.NotStepFree)
	}
	for _, n := range s.nodes {
		if _, m, ok := g.Snap(n.lon, n.lat); !ok || m > 0.01 {
			return fmt.Errorf("node %d of the export is %.2f m from the Graph's nearest node", n.id, m)
		}
	}
	return nil
}

func peersReach(ctx context.Context, pool *pgxpool.Pool, o peersOptions, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "maeul-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "city.osm.pbf")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	syn, err := streets.Synthesize(f, streets.SynthOptions{Nodes: o.nodes})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}

	start := time.Now()
	f, err = os.Open(path)
	if err != nil {
		return err
	}
	g, err := streets.Load(f)
	f.Close()
	if err != nil {
		return err
	}
	oursLoad := time.Since(start)
	f, err = os.Open(path)
	if err != nil {
		return err
	}
	ex, err := peersReadStreets(f)
	f.Close()
	if err != nil {
		return err
	}
	if err := ex.check(g); err != nil {
		return fmt.Errorf("the export to pgRouting is not the Graph: %w", err)
	}
	start = time.Now()
	if err := peersLoadStreets(ctx, pool, ex); err != nil {
		return err
	}
	theirsLoad := time.Since(start)
	fmt.Fprintf(stdout, "\n== 15-minute walk at %.1f m/s: synthetic extract of %d nodes (%.1f MB), graph of %d nodes and %d segments ==\n",
		peersSpeed, syn.Nodes, float64(syn.Bytes)/1e6, g.Stats().Nodes, g.Stats().Segments)
	fmt.Fprintf(stdout, "load: ours streets.Load %s; pgRouting tables %s (COPY of the same segments, cost = metres / %.1f s both ways, GiST index on the edges)\n",
		oursLoad.Round(time.Millisecond), theirsLoad.Round(time.Millisecond), peersSpeed)

	rng := rand.New(rand.NewPCG(15, 6))
	profile := streets.Profile{MetresPerSecond: peersSpeed}
	variants := peersReachVariants()
	for _, n := range o.sources {
		fmt.Fprintf(stdout, "%d source(s), %d runs from other graph nodes each:\n", n, o.runs)
		var oursTook []time.Duration
		reached := 0
		theirsTook := make([][]time.Duration, len(variants))
		agree := make([]peersReachAgreement, len(variants))
		for run := -1; run < o.runs; run++ { // run -1 warms both up, untimed
			// Sources at graph nodes, so that both walks start from the same
			// vertex: pgRouting takes vertex ids, ours snaps points (at 0 m here).
			src := make([]int64, 0, n)
			pts := make([]streets.Point, 0, n)
			for _, i := range rng.Perm(len(ex.nodes))[:min(n, len(ex.nodes))] {
				src = append(src, ex.nodes[i].id)
				pts = append(pts, streets.Point{Lon: ex.nodes[i].lon, Lat: ex.nodes[i].lat})
			}
			t0 := time.Now()
			times := g.Reach(pts, peersWalkSeconds, profile)
			if run >= 0 {
				oursTook = append(oursTook, time.Since(t0))
			}
			ours := ex.reached(times)
			reached += len(ours)
			for k, v := range variants {
				if v.multiOnly && n == 1 {
					continue
				}
				t0 := time.Now()
				got, err := v.run(ctx, pool, src)
				if err != nil {
					return fmt.Errorf("%s: %w", v.name, err)
				}
				if run >= 0 {
					theirsTook[k] = append(theirsTook[k], time.Since(t0))
					agree[k].add(ours, got)
				}
			}
		}
		om := peersMedian(oursTook)
		fmt.Fprintf(stdout, "  %-44s median %10s  (%d nodes reached a run on average)\n", "ours: Graph.Reach", om.Round(time.Microsecond), reached/(o.runs+1))
		for k, v := range variants {
			if theirsTook[k] == nil {
				continue
			}
			tm := peersMedian(theirsTook[k])
			fmt.Fprintf(stdout, "  %-44s median %10s  ours/theirs %.4f\n    agreement: %s\n", v.name, tm.Round(time.Microsecond), float64(om)/float64(tm), agree[k])
		}
	}
	return nil
}

// peersReachVariant is one way of asking pgRouting for a multi-source walk.
type peersReachVariant struct {
	name      string
	multiOnly bool // the same as another variant for one source
	run       func(ctx context.Context, pool *pgxpool.Pool, src []int64) (map[int64]float64, error)
}

// peersReachVariants are the ways a GIS engineer would ask pgRouting for
// the nodes within the walk of a set of sources, each node with its time
// from the nearest source.
func peersReachVariants() []peersReachVariant {
	const whole = "SELECT id, source, target, cost, reverse_cost FROM gis_peers_edges"
	// The edges a walk of the limit could use are within the limit's straight
	// line of a source; EPSG:5179 shortens lengths here by under 0.02%, hence
	// the margin. This is what one does for isochrones on a big network.
	near := func(src []int64) string {
		return fmt.Sprintf(`SELECT DISTINCT e.id, e.source, e.target, e.cost, e.reverse_cost
			FROM gis_peers_vertices v JOIN gis_peers_edges e ON e.geom && ST_Expand(v.geom, %.0f)
			WHERE v.id = ANY('%s'::bigint[])`, peersWalkSeconds*peersSpeed*1.001+1, peersArray(src))
	}
	// A virtual vertex 0 (OSM ids start at 1) with a free one-way edge to
	// every source makes the walk one single-source Dijkstra.
	virtual := func(edges string, src []int64) string {
		return fmt.Sprintf(`%s UNION ALL SELECT -s.i, 0, s.v, 0, -1 FROM unnest('%s'::bigint[]) WITH ORDINALITY AS s(v, i)`, edges, peersArray(src))
	}
	return []peersReachVariant{
		{"pgr_drivingDistance equicost, whole graph", true, func(ctx context.Context, pool *pgxpool.Pool, src []int64) (map[int64]float64, error) {
			return peersDrivingDistance(ctx, pool, whole, src, true)
		}},
		{"pgr_drivingDistance each + min, whole graph", false, func(ctx context.Context, pool *pgxpool.Pool, src []int64) (map[int64]float64, error) {
			return peersDrivingDistance(ctx, pool, whole, src, false)
		}},
		{"pgr_drivingDistance virtual source, whole", true, func(ctx context.Context, pool *pgxpool.Pool, src []int64) (map[int64]float64, error) {
			got, err := peersDrivingDistance(ctx, pool, virtual(whole, src), []int64{0}, false)
			delete(got, 0)
			return got, err
		}},
		{"pgr_drivingDistance virtual source, near", false, func(ctx context.Context, pool *pgxpool.Pool, src []int64) (map[int64]float64, error) {
			got, err := peersDrivingDistance(ctx, pool, virtual(near(src), src), []int64{0}, false)
			delete(got, 0)
			return got, err
		}},
	}
}

func peersArray(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return "{" + strings.Join(s, ",") + "}"
}

// peersLoadStreets writes the export as pgRouting's edges table, with the
// vertices in EPSG:5179 for picking the edges near a source.
func peersLoadStreets(ctx context.Context, pool *pgxpool.Pool, s *peersStreets) error {
	if _, err := pool.Exec(ctx, `DROP TABLE IF EXISTS gis_peers_edges, gis_peers_vertices, gis_peers_edges_in, gis_peers_vertices_in;
		CREATE UNLOGGED TABLE gis_peers_vertices_in (id bigint, lon float8, lat float8);
		CREATE UNLOGGED TABLE gis_peers_edges_in (id bigint, source bigint, target bigint, cost float8)`); err != nil {
		return err
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"gis_peers_vertices_in"}, []string{"id", "lon", "lat"},
		pgx.CopyFromSlice(len(s.nodes), func(i int) ([]any, error) {
			n := s.nodes[i]
			return []any{n.id, n.lon, n.lat}, nil
		})); err != nil {
		return err
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"gis_peers_edges_in"}, []string{"id", "source", "target", "cost"},
		pgx.CopyFromSlice(len(s.edges), func(i int) ([]any, error) {
			e := s.edges[i]
			return []any{int64(i + 1), e.source, e.target, float64(e.metres) / peersSpeed}, nil
		})); err != nil {
		return err
	}
	_, err := pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE gis_peers_vertices AS
			SELECT id, ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), %d) AS geom FROM gis_peers_vertices_in;
		ALTER TABLE gis_peers_vertices ADD PRIMARY KEY (id);
		CREATE INDEX ON gis_peers_vertices USING gist (geom);
		CREATE TABLE gis_peers_edges AS
			SELECT e.id, e.source, e.target, e.cost, e.cost AS reverse_cost, ST_MakeLine(a.geom, b.geom) AS geom
			FROM gis_peers_edges_in e JOIN gis_peers_vertices a ON a.id = e.source JOIN gis_peers_vertices b ON b.id = e.target;
		ALTER TABLE gis_peers_edges ADD PRIMARY KEY (id);
		CREATE INDEX ON gis_peers_edges USING gist (geom);
		DROP TABLE gis_peers_edges_in, gis_peers_vertices_in;
		ANALYZE gis_peers_vertices;
		ANALYZE gis_peers_edges`, peersSRID))
	return err
}

// peersDrivingDistance is each reached node's time from its nearest start.
// With equicost pgRouting gives each node to one start (its nearest, it
// says); without, each start has its own tree, and the minimum over them is
// the answer. Only that answer crosses the wire, as ours stays in memory.
func peersDrivingDistance(ctx context.Context, pool *pgxpool.Pool, edges string, src []int64, equicost bool) (map[int64]float64, error) {
	rows, err := pool.Query(ctx, `SELECT node, min(agg_cost) FROM pgr_drivingDistance($1, $2::bigint[], $3::float8, true, $4) GROUP BY node`,
		edges, src, float64(peersWalkSeconds), equicost)
	if err != nil {
		return nil, err
	}
	got := map[int64]float64{}
	var node int64
	var secs float64
	_, err = pgx.ForEachRow(rows, []any{&node, &secs}, func() error {
		got[node] = secs
		return nil
	})
	return got, err
}

// peersReachAgreement compares the reached nodes of ours and pgRouting's,
// summed over runs.
type peersReachAgreement struct {
	ours, theirs, both int
	off                int     // nodes in both whose times differ by over 10 ms
	worst              float64 // seconds, the largest difference in a node's time
}

// reached is ours as pgRouting gives it: the time of each node reached,
// by OSM id. Times.At snaps each node to itself (the check saw to that).
func (s *peersStreets) reached(t *streets.Times) map[int64]float64 {
	got := map[int64]float64{}
	for _, n := range s.nodes {
		if secs, ok := t.At(streets.Point{Lon: n.lon, Lat: n.lat}); ok {
			got[n.id] = secs
		}
	}
	return got
}

func (a *peersReachAgreement) add(ours, theirs map[int64]float64) {
	for id, secs := range ours {
		if th, ok := theirs[id]; ok {
			a.both++
			a.worst = max(a.worst, math.Abs(th-secs))
			if math.Abs(th-secs) > 0.01 {
				a.off++
			}
		}
	}
	a.ours += len(ours)
	a.theirs += len(theirs)
}

func (a peersReachAgreement) String() string {
	return fmt.Sprintf("reached nodes ours %d, pgRouting %d, both %d (only ours %d, only pgRouting %d); times differ by over 10 ms on %d, by at most %.3f ms",
		a.ours, a.theirs, a.both, a.ours-a.both, a.theirs-a.both, a.off, a.worst*1000)
}

func peersMedian(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
