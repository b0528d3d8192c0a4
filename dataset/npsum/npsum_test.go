package npsum

import (
	"math"
	"testing"
)

func TestSumOrder(t *testing.T) {
	// Integers sum exactly in any order; the streaming Summer must agree
	// with Sum across block boundaries.
	for _, n := range []int{0, 1, 7, 8, 127, 128, 129, 8191, 8192, 8193, 20000} {
		xs := make([]float64, n)
		var s Summer
		for i := range xs {
			xs[i] = float64(i + 1)
			s.Add(xs[i])
		}
		want := float64(n) * float64(n+1) / 2
		if got := Sum(xs); got != want || s.Sum() != want {
			t.Errorf("n=%d: Sum %v, Summer %v, want %v", n, got, s.Sum(), want)
		}
	}
	// NumPy's order, not left to right: np.sum of these is 6.0 (the
	// eight lanes are combined as ((1e16+1)+(1+1))+((1+1)+(1+1)), losing
	// one 1 to rounding), where a plain loop gives 0.
	xs := []float64{1e16, 1, 1, 1, 1, 1, 1, 1, -1e16}
	if got := Sum(xs); got != 6 {
		t.Errorf("got %v, want 6 as np.sum", got)
	}
	if !math.IsNaN(Mean(nil)) {
		t.Error("Mean of nothing is not NaN")
	}
	var s Summer
	s.Add(3)
	s.Reset()
	if s.Sum() != 0 {
		t.Error("Reset")
	}
}
