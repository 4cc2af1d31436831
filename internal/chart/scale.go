package chart

import "math"

// scale maps values onto an axis whose ends and ticks are round numbers.
type scale struct{ lo, hi, step float64 }

// targetTicks is about as many gridlines as fit a 360px chart without the
// labels crowding at 200% zoom.
const targetTicks = 5

// niceScale covers [min, max] and zero, which bars must start from. Steps
// are 1, 2 or 5 times a power of ten and never below 1, because the data
// are counts and a tick at 2.5 people would mislead.
func niceScale(min, max int64) scale {
	lo, hi := math.Min(0, float64(min)), math.Max(0, float64(max))
	if lo == hi {
		// All zero or no data: an honest empty axis rather than 0/0.
		return scale{lo: 0, hi: 1, step: 1}
	}
	raw := (hi - lo) / targetTicks
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	step = math.Max(step, 1)
	return scale{lo: math.Floor(lo/step) * step, hi: math.Ceil(hi/step) * step, step: step}
}

func (s scale) ticks() []float64 {
	var t []float64
	// Counting steps, rather than adding step repeatedly, keeps float error
	// from dropping the last tick.
	n := int(math.Round((s.hi - s.lo) / s.step))
	for i := 0; i <= n; i++ {
		t = append(t, s.lo+float64(i)*s.step)
	}
	return t
}

// frac is v's position along the axis, 0 at lo and 1 at hi.
func (s scale) frac(v float64) float64 { return (v - s.lo) / (s.hi - s.lo) }
