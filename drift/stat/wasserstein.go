package stat

import "math"

// Wasserstein is the first Wasserstein (earth mover's) distance between the
// empirical distributions of a and b, matching
// scipy.stats.wasserstein_distance(a, b) of SciPy 1.10 (unweighted):
// ∫ |F_a − F_b| dx. Values spanning more than the float64 range give +Inf,
// as in SciPy.
// The inputs may be in any order; they are copied and sorted.
//
// It returns NaN for an empty input or one holding NaN or ±Inf (SciPy
// errors on empty input and returns inf or nan for infinite values; drop
// non-finite values first).
func Wasserstein(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return math.NaN()
	}
	return WassersteinSorted(sortedCopy(a), sortedCopy(b))
}

// WassersteinSorted is Wasserstein for inputs sorted ascending, in
// O(len(a)+len(b)) time without copying or allocating. It agrees with
// SciPy's pairwise sum to about 1e-15 relative.
func WassersteinSorted(a, b []float64) float64 {
	if badSorted(a) || badSorted(b) || math.IsInf(a[0], 0) || math.IsInf(b[0], 0) ||
		math.IsInf(a[len(a)-1], 0) || math.IsInf(b[len(b)-1], 0) {
		return math.NaN()
	}
	// Walk the merged values; between the value taken last (prev) and
	// the smaller head m the ECDFs are i/na and j/nb. The integrand
	// |i·nb − j·na| is exact; the sum is divided by na·nb once at the end.
	// The terms are non-negative; they are added in blocks of 256 whose
	// sums are then added with compensation, which is as accurate as
	// NumPy's pairwise sum and keeps the loop's dependency chain short.
	na, nb := float64(len(a)), float64(len(b))
	var s neumaier
	var blk float64
	k := 0
	i, j := 0, 0
	prev := min(a[0], b[0])
	for i < len(a) && j < len(b) {
		x, y := a[i], b[j]
		m := min(x, y)
		blk += math.Abs(float64(i)*nb-float64(j)*na) * (m - prev)
		prev = m
		i += b2i(x <= y)
		j += b2i(!(x < y)) // y <= x, or a NaN: always progress
		if k++; k == 256 {
			s.add(blk)
			blk, k = 0, 0
		}
	}
	for ; i < len(a); i++ {
		blk += math.Abs(float64(i)*nb-float64(j)*na) * (a[i] - prev)
		prev = a[i]
	}
	for ; j < len(b); j++ {
		blk += math.Abs(float64(i)*nb-float64(j)*na) * (b[j] - prev)
		prev = b[j]
	}
	s.add(blk)
	return s.value() / (na * nb)
}
