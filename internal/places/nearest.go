package places

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/streets"
)

// Query asks for the facilities nearest a point.
type Query struct {
	From       Point
	Categories []string // none: every category
	Pace       Pace
	StepFree   bool      // only facilities without steps at the entrance
	OpenAt     time.Time // zero: open or not
	Limit      int       // per query, at most MaxResults
}

// MaxResults bounds a nearest query.
const MaxResults = 50

// Result is a facility and the walk to it.
type Result struct {
	Facility
	Walk Estimate
}

// Nearest returns the facilities nearest q.From, nearest first, with the
// estimated walk to each.
func (s *Service) Nearest(ctx context.Context, q Query) ([]Result, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return nil, err
	}
	return s.nearestIn(sn, q), nil
}

func (s *Service) nearestIn(sn *snapshot, q Query) []Result {
	k := min(max(q.Limit, 1), MaxResults)
	want := k
	if sn.graph != nil {
		// The nearest by street are among the nearest in a straight line,
		// but not always in the same order: a river or a motorway between.
		want = min(3*k, MaxResults*3)
	}
	// A few more than wanted: the plane ranks points a little differently
	// from the sphere away from its reference latitude, and the sphere's
	// distances decide.
	ask := want + 8
	var keep func(int32) bool
	if q.StepFree || !q.OpenAt.IsZero() {
		keep = func(id int32) bool {
			f := &sn.facilities[id]
			return (!q.StepFree || f.StepFree) && (q.OpenAt.IsZero() || f.Hours.OpenAt(q.OpenAt))
		}
	}
	cats := q.Categories
	if len(cats) == 0 {
		for c := range sn.byCategory {
			cats = append(cats, c)
		}
	}
	var found []neighbour
	for _, c := range cats {
		found = append(found, sn.byCategory[c].nearest(q.From, ask, keep)...)
	}
	slices.SortFunc(found, func(a, b neighbour) int {
		if less(a, b) {
			return -1
		}
		return 1
	})
	found = found[:min(ask, len(found))]
	out := make([]Result, len(found))
	for i, n := range found {
		f := sn.facilities[n.id]
		out[i] = Result{Facility: f, Walk: s.Walking.Estimate(q.From, f.At, q.Pace)}
	}
	slices.SortStableFunc(out, func(a, b Result) int { return cmp.Compare(a.Walk.Straight, b.Walk.Straight) })
	out = out[:min(want, len(out))]
	if sn.graph != nil && len(out) > 0 {
		s.byStreet(sn, q, out)
	}
	return out[:min(k, len(out))]
}

// byStreet replaces the estimates with walks along the streets, as far as
// twice the longest estimate, and sorts by them; a facility the streets do
// not reach within that keeps its estimate, marked as one.
func (s *Service) byStreet(sn *snapshot, q Query, out []Result) {
	limit := 0.0
	for _, r := range out {
		limit = max(limit, 2*r.Walk.Seconds)
	}
	times := sn.graph.Reach([]streets.Point{{Lon: q.From.Lon, Lat: q.From.Lat}}, limit, s.Walking.profile(q.Pace, q.StepFree))
	speed := s.Walking.Speed(q.Pace)
	for i := range out {
		if sec, ok := times.At(streets.Point{Lon: out[i].At.Lon, Lat: out[i].At.Lat}); ok {
			out[i].Walk = Estimate{Straight: out[i].Walk.Straight, Metres: sec * speed, Seconds: sec, Streets: true}
		}
	}
	slices.SortStableFunc(out, func(a, b Result) int { return cmp.Compare(a.Walk.Seconds, b.Walk.Seconds) })
}
