package profile_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/assayhq/assay/dataset/profile"
)

// TestQuantileSketchExact: below the cap the sketch gives NumPy's linear
// interpolation (values checked by hand), however the values were split
// and merged.
func TestQuantileSketchExact(t *testing.T) {
	vals := []float64{7, 1, 3, 5} // sorted 1 3 5 7
	tests := []struct {
		p, want float64
	}{
		{0, 1}, {0.5, 4}, {1, 7}, {0.25, 2.5}, {0.99, 6.94},
	}
	for _, split := range []int{0, 1, 2, 4} {
		q := profile.NewQuantileSketch(1)
		q.Add(vals[:split])
		o := profile.NewQuantileSketch(2)
		o.Add(vals[split:])
		q.Merge(o)
		for _, tt := range tests {
			got, ok := q.Quantile(tt.p)
			if !ok || math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("split %d: quantile(%v) = %v, %v; want %v", split, tt.p, got, ok, tt.want)
			}
		}
	}
	if _, ok := profile.NewQuantileSketch(1).Quantile(0.5); ok {
		t.Error("an empty sketch answered")
	}
}

// TestQuantileSketchLarge: past the cap, quantile ranks stay within 1.5%.
func TestQuantileSketchLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 1_500_000 // past QuantileExactCap
	all := make([]float64, n)
	q := profile.NewQuantileSketch(3)
	for start := 0; start < n; start += 65536 {
		part := profile.NewQuantileSketch(uint64(start))
		batch := all[start:min(start+65536, n)]
		for i := range batch {
			batch[i] = r.NormFloat64()
		}
		part.Add(batch)
		q.Merge(part)
	}
	if q.Exact() || q.Count() != n {
		t.Fatalf("exact %v, count %d; want a sketch of %d", q.Exact(), q.Count(), n)
	}
	sorted := slices.Clone(all)
	slices.Sort(sorted)
	for _, p := range []float64{0.01, 0.25, 0.5, 0.75, 0.99} {
		v, _ := q.Quantile(p)
		rank, _ := slices.BinarySearch(sorted, v)
		if d := math.Abs(float64(rank)/n - p); d > 0.015 {
			t.Errorf("quantile(%v) = %v at rank %.4f, off by %.4f", p, v, float64(rank)/n, d)
		}
	}
}
