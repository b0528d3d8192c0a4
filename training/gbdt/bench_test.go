package gbdt

import (
	"context"
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/assayhq/assay/training/frame"
)

// synth returns n rows of a binary classification problem: seven numeric
// features (two with missing values, one discrete, one pure noise) and a
// categorical feature of 8 levels; the target is drawn from a logistic of
// a nonlinear function of them. testdata/bench_sklearn.py draws the same
// distribution with numpy.
func synth(n int, seed uint64) (*frame.Matrix, *frame.Target) {
	rng := rand.New(rand.NewPCG(seed, 1))
	num := make([][]float64, 7)
	for j := range num {
		num[j] = make([]float64, n)
	}
	cat := make([]int32, n)
	class := make([]int32, n)
	effect := [8]float64{-1.5, 0.8, 0, 1.2, -0.6, 0.3, -1, 1.6}
	for i := range n {
		x0 := rng.NormFloat64()
		x1 := rng.Float64()
		x2 := rng.NormFloat64()
		x3 := rng.ExpFloat64()
		x4 := rng.NormFloat64()
		x5 := float64(rng.IntN(100))
		x6 := rng.NormFloat64()
		c := rng.IntN(8)
		z := 1.5*math.Sin(2*x0) + 8*(x1-0.5)*(x1-0.5) - 1 + effect[c] + 0.5*x3*x0 + 0.02*(x5-50)
		if rng.Float64() < 0.1 {
			x2 = math.NaN()
			z += 1
		} else {
			z += 0.8 * x2
		}
		if rng.Float64() < 0.05 {
			x4 = math.NaN()
		} else {
			z -= 0.5 * math.Abs(x4)
		}
		num[0][i], num[1][i], num[2][i], num[3][i], num[4][i], num[5][i], num[6][i] = x0, x1, x2, x3, x4, x5, x6
		cat[i] = int32(c)
		if rng.Float64() < 1/(1+math.Exp(-z)) {
			class[i] = 1
		}
	}
	x := &frame.Matrix{Rows: n}
	for j, col := range num {
		x.Features = append(x.Features, frame.Feature{Name: "x" + string(rune('0'+j)), Kind: frame.Numeric, Num: col})
	}
	x.Features = append(x.Features, frame.Feature{Name: "c", Kind: frame.Categorical, Cat: cat,
		Levels: []string{"a", "b", "c", "d", "e", "f", "g", "h"}})
	y := &frame.Target{Name: "y", Task: frame.Classification, Class: class, Classes: []string{"0", "1"}}
	return x, y
}

func benchParams() Params {
	p := DefaultParams()
	p.MaxDepth = 6
	p.EarlyStopping = EarlyStoppingOff
	return p
}

// BenchmarkTrain1M trains 100 trees of depth at most 6 (and 31 leaves) on
// 1M rows of synth, as testdata/bench_sklearn.py does with scikit-learn.
func BenchmarkTrain1M(b *testing.B) {
	x, y := synth(1_000_000, 1)
	p := benchParams()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := Train(context.Background(), x, y, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime returns the user and system time the process has used. On a
// shared machine it shows the work done apart from waiting for a CPU.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPredict1M predicts the probabilities of 1M rows with a model of
// 100 trees, reporting rows per second.
func BenchmarkPredict1M(b *testing.B) {
	x, _ := synth(1_000_000, 1)
	small, smallY := synth(100_000, 2)
	m, err := Train(context.Background(), small, smallY, benchParams())
	if err != nil {
		b.Fatal(err)
	}
	out := make([]float64, 2*x.Rows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if err := m.PredictProba(x, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(x.Rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
