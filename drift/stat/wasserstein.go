package stat

import "math"

// Wasserstein is the first Wasserstein (earth mover's) distance between the
// empirical distributions of a and b, matching
// scipy.stats.wasserstein_distance(a, b) (unweighted): ∫ |F_a − F_b| dx.
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
// O(len(a)+len(b)) time without copying. The sum is compensated, so it
// agrees with SciPy's to about 1e-15 relative.
func WassersteinSorted(a, b []float64) float64 {
	if badSorted(a) || badSorted(b) || math.IsInf(a[0], 0) || math.IsInf(b[0], 0) ||
		math.IsInf(a[len(a)-1], 0) || math.IsInf(b[len(b)-1], 0) {
		return math.NaN()
	}
	na, nb := float64(len(a)), float64(len(b))
	var s neumaier
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var v float64
		if j >= len(b) || (i < len(a) && a[i] <= b[j]) {
			v = a[i]
		} else {
			v = b[j]
		}
		i0, j0 := i, j
		for i < len(a) && a[i] <= v {
			i++
		}
		for j < len(b) && b[j] <= v {
			j++
		}
		if i == i0 && j == j0 {
			break // unsorted input: stop rather than loop
		}
		var next float64
		switch {
		case i < len(a) && j < len(b):
			next = math.Min(a[i], b[j])
		case i < len(a):
			next = a[i]
		case j < len(b):
			next = b[j]
		default:
			return s.value()
		}
		s.add(math.Abs(float64(i)/na-float64(j)/nb) * (next - v))
	}
	return s.value()
}
