package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/streets"
)

// benchCoverage measures the planner's figure: for every zone and essential
// category, the share of people within a 15-minute walk, on the demo city
// with a generated city-sized street extract.
func benchCoverage(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("bench coverage", "bench coverage [--nodes 200000]\n\nImports the demo city's zones and facilities and a generated street extract of N nodes,\nthen computes the 15-minute coverage of every zone and essential category, straight-line\nand along the streets, at both paces.")
	nodes := fs.Int("nodes", 200000, "nodes of the generated street extract")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, done, err := benchOpen(ctx, "")
	if err != nil {
		return err
	}
	defer done()
	svc := places.New(d)
	zones, facilities, _, err := demo.ImportPlaces(ctx, svc, 0, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo places               %d zones, %d facilities\n", zones, facilities)
	report := func(label string) error {
		for _, pace := range []places.Pace{places.PaceAdult, places.PaceSenior} {
			rep, err := svc.Coverage(ctx, pace, places.WalkMinutes)
			if err != nil {
				return err
			}
			cells := 0
			for _, z := range rep.Zones {
				cells += z.Cells
			}
			fmt.Fprintf(stdout, "coverage %-8s %-6s  %8s  (%d zones × %d categories, %d grid points; senior centres city-wide %.1f %%)\n",
				label, pace, rep.Took.Round(time.Millisecond), len(rep.Zones), len(places.Essential()), cells, 100*rep.City["senior"])
		}
		return nil
	}
	if err := report("straight"); err != nil {
		return err
	}
	var buf bytes.Buffer
	st, err := streets.Synthesize(&buf, streets.SynthOptions{Seed: 1, Nodes: *nodes})
	if err != nil {
		return err
	}
	start := time.Now()
	gs, err := svc.ImportStreets(ctx, "synthetic.osm.pbf", buf.Bytes())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "street extract            %d nodes in the file (%.1f MB), graph %d nodes, %d segments, imported in %s\n",
		st.Nodes, float64(st.Bytes)/1e6, gs.Nodes, gs.Segments, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if _, _, err := svc.Streets(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "graph built from database  %8s\n", time.Since(start).Round(time.Millisecond))
	return report("streets")
}
