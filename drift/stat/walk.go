package stat

import "math"

// walkTies visits the distinct values of two sorted samples in ascending
// order, calling fn with how many elements of a and of b equal each value.
// This is the merged ranking every rank test here uses: one pass, no
// pooled copy.
func walkTies(a, b []float64, fn func(ca, cb int)) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var v float64
		if j >= len(b) || (i < len(a) && a[i] <= b[j]) {
			v = a[i]
		} else {
			v = b[j]
		}
		i0, j0 := i, j
		for i < len(a) && a[i] == v {
			i++
		}
		for j < len(b) && b[j] == v {
			j++
		}
		if i == i0 && j == j0 {
			// Unsorted or NaN input: never loop forever; skip one element.
			if i < len(a) {
				i++
			} else {
				j++
			}
		}
		fn(i-i0, j-j0)
	}
}

// badSorted reports whether a sorted sample is empty or holds a NaN (NaNs
// sort first with slices.Sort; the last element is checked too, so a
// hand-made input ending in NaN is caught).
func badSorted(x []float64) bool {
	return len(x) == 0 || math.IsNaN(x[0]) || math.IsNaN(x[len(x)-1])
}

// neumaier is compensated (Kahan-Babuška-Neumaier) summation.
type neumaier struct{ sum, c float64 }

func (s *neumaier) add(x float64) {
	t := s.sum + x
	if math.Abs(s.sum) >= math.Abs(x) {
		s.c += (s.sum - t) + x
	} else {
		s.c += (x - t) + s.sum
	}
	s.sum = t
}

// value is the compensated sum. Once an infinity or a NaN has been added
// the compensation is meaningless (Inf − Inf), so the plain sum is
// returned: +Inf for a sum with +Inf terms, as an uncompensated sum gives.
func (s *neumaier) value() float64 {
	if math.IsInf(s.sum, 0) || math.IsNaN(s.sum) {
		return s.sum
	}
	return s.sum + s.c
}
