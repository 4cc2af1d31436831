package places

import (
	"context"
	"slices"
	"time"
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
	k := min(max(q.Limit, 1), MaxResults)
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
		found = append(found, sn.byCategory[c].nearest(q.From, k, keep)...)
	}
	slices.SortFunc(found, func(a, b neighbour) int {
		if less(a, b) {
			return -1
		}
		return 1
	})
	found = found[:min(k, len(found))]
	out := make([]Result, len(found))
	for i, n := range found {
		f := sn.facilities[n.id]
		out[i] = Result{Facility: f, Walk: s.Walking.Estimate(q.From, f.At, q.Pace)}
	}
	return out, nil
}
