package places

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/streets"
)

// testExtract is a small synthetic street grid over the test zones.
func testExtract(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := streets.Synthesize(&buf, streets.SynthOptions{Seed: 3, Nodes: 4000, West: 129.09, South: 35.14, East: 129.21, North: 35.21}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWalkingFollowsTheStreets(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := New(d)
		f, _ := ParseImport(strings.NewReader(facilitiesCSV))
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
		from := Point{Lon: 129.1205, Lat: 35.1705}
		before, _ := s.Nearest(ctx, Query{From: from, Limit: 3, Pace: PaceSenior})
		if before[0].Walk.Streets {
			t.Fatal("walked along streets before any extract")
		}
		if _, err := s.ImportStreets(ctx, "bad.osm.pbf", []byte("not a pbf")); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("a broken extract: %v", err)
		}
		st, err := s.ImportStreets(ctx, "test.osm.pbf", testExtract(t))
		if err != nil {
			t.Fatal(err)
		}
		if st.Nodes < 1000 {
			t.Fatalf("extract graph: %+v", st)
		}
		// Another instance on the same database sees the streets too.
		for _, svc := range []*Service{s, New(d)} {
			after, err := svc.Nearest(ctx, Query{From: from, Limit: 3, Pace: PaceSenior})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range after {
				if !r.Walk.Streets {
					t.Fatalf("result %d (%s) not walked along the streets", i, r.Ref)
				}
				// No street is shorter than the straight line.
				if r.Walk.Seconds < r.Walk.Straight/0.8-0.5 {
					t.Errorf("%s: %.0f s along the streets, less than the straight line's %.0f s", r.Ref, r.Walk.Seconds, r.Walk.Straight/0.8)
				}
				if i > 0 && r.Walk.Seconds < after[i-1].Walk.Seconds {
					t.Errorf("results not sorted by street time")
				}
			}
			if ex, ok, _ := svc.Streets(ctx); !ok || ex.Name != "test.osm.pbf" {
				t.Errorf("extract %+v %v", ex, ok)
			}
		}
	})
}
