package confident

import (
	"math/bits"
	"slices"
)

// selector picks the positions np.argsort(keys)[:m] returns without
// sorting: it finds the m-th smallest key by quickselect, and only when
// keys equal to it straddle the cut (some in the first m, some not) does
// it run NumPy's introsort to learn which of them NumPy puts first. Its
// buffers are reused from call to call.
type selector struct {
	scratch []float64
	idx     []int
	out     []int
}

// smallest returns the positions (in increasing position order when no
// tie straddles the cut, else in NumPy's order) of the m smallest keys as
// np.argsort(keys)[:m] chooses them. The slice is reused by the next call.
// keys hold no NaN; m is clamped to [0, len(keys)].
func (s *selector) smallest(keys []float64, m int) []int {
	n := len(keys)
	out := s.out[:0]
	switch {
	case m <= 0 || n == 0:
		s.out = out
		return out
	case m >= n:
		for i := range n {
			out = append(out, i)
		}
		s.out = out
		return out
	}
	s.scratch = append(s.scratch[:0], keys...)
	cut := nthSmallest(s.scratch, m-1)
	less, eq := 0, 0
	for _, v := range keys {
		if v < cut {
			less++
		} else if v == cut {
			eq++
		}
	}
	if less+eq == m {
		for i, v := range keys {
			if v <= cut {
				out = append(out, i)
			}
		}
		s.out = out
		return out
	}
	// Equal keys straddle the cut: NumPy's order decides.
	if cap(s.idx) < n {
		s.idx = make([]int, n)
	}
	idx := s.idx[:n]
	npArgsort(keys, idx)
	out = append(out, idx[:m]...)
	s.out = out
	return out
}

// nthSmallest returns the value that would be at position k if a were
// sorted ascending, reordering a. It is Hoare's quickselect with a
// median-of-three pivot, falling back to sorting the remaining range when
// it stops making progress. a holds no NaN.
func nthSmallest(a []float64, k int) float64 {
	lo, hi := 0, len(a)-1
	budget := 2*bits.Len(uint(len(a))) + 8
	for hi > lo {
		if budget == 0 {
			slices.Sort(a[lo : hi+1])
			return a[k]
		}
		budget--
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
			if a[mid] < a[lo] {
				a[mid], a[lo] = a[lo], a[mid]
			}
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for pivot < a[j] {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		// a[lo..j] <= pivot <= a[i..hi]; a[j+1..i-1] == pivot.
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}
