package linear

import (
	"context"
	"fmt"
	"testing"

	"github.com/assayhq/assay/training/frame"
)

// Benchmarks on a million rows. Run them one at a time, e.g.
//
//	go test -run XXX -bench FitLogistic -benchtime 1x ./training/linear/
const benchRows = 1_000_000

// BenchmarkFitLogistic fits on 1M rows × 20 design columns (default
// options: C 1, tol 1e-4, at most 100 iterations).
func BenchmarkFitLogistic(b *testing.B) {
	for _, k := range []int{2, 3} {
		b.Run(fmt.Sprintf("classes=%d", k), func(b *testing.B) {
			x, y := synthetic(benchRows, 20, k, 1)
			b.ReportAllocs()
			var l *LogisticRegression
			for b.Loop() {
				var err error
				l, err = FitLogistic(context.Background(), x, y, k, LogisticOptions{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(l.Iterations), "iterations")
		})
	}
}

// BenchmarkObjective is one loss-and-gradient pass, the fit's hot loop.
func BenchmarkObjective(b *testing.B) {
	for _, k := range []int{2, 3} {
		b.Run(fmt.Sprintf("classes=%d", k), func(b *testing.B) {
			x, y := synthetic(benchRows, 20, k, 1)
			rows := k
			if k == 2 {
				rows = 1
			}
			obj := newObjective(x.RawMatrix(), benchRows, 20, y, rows, 1)
			w := make([]float64, obj.dim)
			b.ReportAllocs()
			b.SetBytes(int64(benchRows * 20 * 8))
			for b.Loop() {
				w[0] += 1e-9 // a new point each time, so nothing is cached
				obj.value(w)
			}
		})
	}
}

// BenchmarkModelPredictProba scores 1M rows of a frame: 18 numeric
// features and one categorical of 3 levels, through the design.
func BenchmarkModelPredictProba(b *testing.B) {
	x, y := synthetic(benchRows, 19, 2, 2)
	m := &frame.Matrix{Rows: benchRows}
	for j := range 18 {
		f := frame.Feature{Name: fmt.Sprintf("x%d", j), Kind: frame.Numeric, Num: make([]float64, benchRows)}
		for i := range f.Num {
			f.Num[i] = x.At(i, j)
		}
		m.Features = append(m.Features, f)
	}
	c := frame.Feature{Name: "c", Kind: frame.Categorical, Levels: []string{"a", "b", "c"}, Cat: make([]int32, benchRows)}
	for i := range c.Cat {
		c.Cat[i] = int32(i % 3)
	}
	m.Features = append(m.Features, c)
	target := &frame.Target{Name: "y", Classes: []string{"n", "y"}, Class: y}
	rows := make([]int, 5000)
	for i := range rows {
		rows[i] = i
	}
	model, err := Fit(context.Background(), m.Subset(rows), target.Subset(rows), Options{Design: DesignOptions{Standardize: true}})
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float64, benchRows*2)
	b.ReportAllocs()
	for b.Loop() {
		if err := model.PredictProba(dst, m); err != nil {
			b.Fatal(err)
		}
	}
}
