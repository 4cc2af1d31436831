package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/streets"
)

// benchPlacesNearest measures the nearest-facilities query: N facilities
// spread over the city, then queries from random points in it, each for
// the ten nearest of one category or of all, as the places page asks.
func benchPlacesNearest(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("bench places-nearest", "bench places-nearest [--db DSN] [--facilities 100000] [--queries 200000] [--workers 2]\n\nImports N generated facilities, then measures the ten-nearest query (spatial index, walking estimate) from random points of the city.")
	dsn := fs.String("db", "", "database to use; empty: a fresh SQLite file in a temporary directory")
	n := fs.Int("facilities", 100000, "facilities to generate")
	queries := fs.Int("queries", 200000, "queries to run")
	workers := fs.Int("workers", 2, "concurrent queries")
	nodes := fs.Int("streets", 0, "also measure along a generated street extract of this many nodes (0: straight-line estimates only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, done, err := benchOpen(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	svc := places.New(d)

	rng := rand.New(rand.NewPCG(6, 15))
	// Busan's built-up area, where the facilities are.
	area := places.Bounds{MinLon: 128.85, MinLat: 35.05, MaxLon: 129.25, MaxLat: 35.30}
	at := func() places.Point {
		return places.Point{Lon: area.MinLon + rng.Float64()*(area.MaxLon-area.MinLon), Lat: area.MinLat + rng.Float64()*(area.MaxLat-area.MinLat)}
	}
	file := &places.ImportFile{Kind: places.ImportFacilities}
	for i := range *n {
		c := places.Categories[rng.IntN(len(places.Categories))]
		file.Facilities = append(file.Facilities, places.ImportFacility{Line: i + 2, Facility: places.Facility{
			Ref: fmt.Sprintf("bench-%d", i), Category: c.Code, NameKo: fmt.Sprintf("시설 %d", i), At: at(),
			HoursText: "Mo-Fr 09:00-18:00", StepFree: rng.IntN(3) > 0}})
	}
	start := time.Now()
	if _, err := svc.Import(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "import %d facilities     %8s\n", *n, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if _, err := svc.Nearest(ctx, places.Query{From: at(), Limit: 10}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "first query (loads index) %8s\n", time.Since(start).Round(time.Millisecond))

	origins := make([]places.Query, *queries)
	for i := range origins {
		q := places.Query{From: at(), Limit: 10, Pace: places.PaceSenior}
		if i%4 != 0 {
			q.Categories = []string{places.Categories[rng.IntN(len(places.Categories))].Code}
		}
		if i%8 == 1 {
			q.StepFree = true
		}
		origins[i] = q
	}
	run := func(label string) error {
		res := runN(*workers, *queries, func(i int) error {
			got, err := svc.Nearest(ctx, origins[i])
			if err == nil && len(got) != 10 {
				err = fmt.Errorf("%d results", len(got))
			}
			return err
		})
		fmt.Fprintf(stdout, "nearest 10 of %d, %-8s %s\n", *n, label, res)
		if res.failed > 0 {
			return fmt.Errorf("%d queries failed", res.failed)
		}
		return nil
	}
	if err := run("straight"); err != nil || *nodes == 0 {
		return err
	}
	var buf bytes.Buffer
	if _, err := streets.Synthesize(&buf, streets.SynthOptions{Seed: 1, Nodes: *nodes}); err != nil {
		return err
	}
	if _, err := svc.ImportStreets(ctx, "synthetic.osm.pbf", buf.Bytes()); err != nil {
		return err
	}
	if _, _, err := svc.Streets(ctx); err != nil {
		return err
	}
	return run("streets")
}
