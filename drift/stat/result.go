package stat

import (
	"math"
	"slices"
)

// Result is a test's outcome.
//
// Statistic is the test statistic as SciPy reports it. PValue is the
// p-value as SciPy computes it (so it can be exactly 0 where SciPy's
// underflows), NaN where a test defines none. LogPValue is the natural log
// of the p-value, computed in log space where the p-value underflows or
// loses its relative precision, so a tiny p never silently becomes 0: for
// instance LogPValue = -2000 while PValue prints as 0. Each test's doc
// comment says how its LogPValue is obtained.
//
// A Result whose three fields are NaN means the test is undefined for the
// input: an empty or too small sample, a NaN value, or a case SciPy
// rejects with an error. Each function documents its cases.
type Result struct {
	Statistic, PValue, LogPValue float64
}

func nanResult() Result {
	return Result{math.NaN(), math.NaN(), math.NaN()}
}

// sortedCopy returns a sorted copy of x; NaNs sort first.
func sortedCopy(x []float64) []float64 {
	c := slices.Clone(x)
	slices.Sort(c)
	return c
}
