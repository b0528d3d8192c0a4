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
	// The pairwise order differs from a left-to-right loop: 1e16 + 1 + ... .
	xs := []float64{1e16, 1, 1, 1, 1, 1, 1, 1, 1, -1e16}
	naive := 0.0
	for _, x := range xs {
		naive += x
	}
	if got := Sum(xs); got == naive && got != 8 {
		t.Logf("pairwise %v, naive %v", got, naive)
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
