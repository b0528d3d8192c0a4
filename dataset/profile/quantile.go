package profile

import (
	"math"
	"sort"
)

// cdf is a sorted list of distinct values with cumulative counts: either
// exact (from the counter of a column with few distinct values) or the
// weighted items of a KLL sketch.
type cdf struct {
	vals  []float64
	cum   []int64
	exact bool
}

func (d cdf) total() int64 {
	if len(d.cum) == 0 {
		return 0
	}
	return d.cum[len(d.cum)-1]
}

// quantile returns the value at probability q. Exact: the linearly
// interpolated sample quantile (NumPy's default, "type 7"). Sketch: the
// smallest retained value whose cumulative weight reaches q·n.
func (d cdf) quantile(q float64) float64 {
	n := d.total()
	if n == 0 {
		return math.NaN()
	}
	if d.exact {
		pos := q * float64(n-1)
		lo := int64(math.Floor(pos))
		frac := pos - float64(lo)
		a := d.at(lo)
		if frac == 0 {
			return a
		}
		b := d.at(min(lo+1, n-1))
		return a + (b-a)*frac
	}
	target := int64(math.Ceil(q * float64(n)))
	j := sort.Search(len(d.cum), func(j int) bool { return d.cum[j] >= target })
	return d.vals[min(j, len(d.vals)-1)]
}

// at returns the value of 0-based rank r.
func (d cdf) at(r int64) float64 {
	j := sort.Search(len(d.cum), func(j int) bool { return d.cum[j] > r })
	return d.vals[min(j, len(d.vals)-1)]
}

// below returns the (estimated) number of values < x.
func (d cdf) below(x float64) int64 {
	j := sort.Search(len(d.vals), func(j int) bool { return d.vals[j] >= x })
	if j == 0 {
		return 0
	}
	return d.cum[j-1]
}
