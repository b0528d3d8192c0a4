package linear

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/assayhq/assay/training/frame"
)

// synthetic returns n rows of d standard normal columns and labels in
// 0..k-1 drawn from a softmax of random weights.
func synthetic(n, d, k int, seed uint64) (*mat.Dense, []int32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	w := make([]float64, k*d)
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	x := mat.NewDense(n, d, nil)
	y := make([]int32, n)
	logits := make([]float64, k)
	for i := range n {
		row := x.RawRowView(i)
		for j := range row {
			row[j] = rng.NormFloat64()
		}
		for c := range k {
			logits[c] = 0
			for j := range d {
				logits[c] += w[c*d+j] * row[j]
			}
		}
		softmax(logits)
		u, c := rng.Float64(), 0
		for c < k-1 && u > logits[c] {
			u -= logits[c]
			c++
		}
		y[i] = int32(c)
	}
	return x, y
}

// TestObjectiveGradient compares the gradient with central differences.
func TestObjectiveGradient(t *testing.T) {
	for _, k := range []int{2, 4} {
		x, y := synthetic(50, 3, k, 1)
		rows := k
		if k == 2 {
			rows = 1
		}
		obj := newObjective(x.RawMatrix(), 50, 3, y, rows, 1/0.7)
		rng := rand.New(rand.NewPCG(2, 2))
		w := make([]float64, obj.dim)
		for i := range w {
			w[i] = rng.NormFloat64()
		}
		g := make([]float64, obj.dim)
		obj.gradient(g, w)
		for i := range w {
			const h = 1e-6
			wp, wm := slices.Clone(w), slices.Clone(w)
			wp[i] += h
			wm[i] -= h
			num := (obj.value(wp) - obj.value(wm)) / (2 * h)
			if !near(g[i], num, 1e-6) {
				t.Errorf("k=%d: gradient[%d]: got %v, central difference %v", k, i, g[i], num)
			}
		}
	}
}

// TestObjectiveWorkers checks that the loss and gradient are the same
// bits whatever the number of workers, since blocks fix the sum order.
func TestObjectiveWorkers(t *testing.T) {
	const n = 3*blockRows + 17
	for _, k := range []int{2, 3} {
		x, y := synthetic(n, 5, k, 3)
		rows := k
		if k == 2 {
			rows = 1
		}
		w := make([]float64, rows*6)
		for i := range w {
			w[i] = 0.1 * float64(i%7-3)
		}
		var losses []float64
		var grads [][]float64
		for _, workers := range []int{1, 2, 4} {
			obj := newObjective(x.RawMatrix(), n, 5, y, rows, 1)
			obj.workers = workers
			obj.scratch = make([]*scratch, workers)
			for i := range obj.scratch {
				obj.scratch[i] = newScratch(rows, obj.dim)
			}
			g := make([]float64, obj.dim)
			obj.gradient(g, w)
			losses = append(losses, obj.value(w))
			grads = append(grads, g)
		}
		for i := 1; i < len(losses); i++ {
			if losses[i] != losses[0] || !slices.Equal(grads[i], grads[0]) {
				t.Errorf("k=%d: worker counts disagree: loss %v vs %v", k, losses[i], losses[0])
			}
		}
	}
}

func TestFitLogisticErrors(t *testing.T) {
	x, y := synthetic(20, 2, 3, 4)
	noClass2 := slices.Clone(y)
	for i := range noClass2 {
		noClass2[i] %= 2
	}
	tests := []struct {
		name    string
		y       []int32
		classes int
		opts    LogisticOptions
	}{
		{"negative C", y, 3, LogisticOptions{C: -1}},
		{"NaN tolerance", y, 3, LogisticOptions{Tol: math.NaN()}},
		{"negative max iter", y, 3, LogisticOptions{MaxIter: -5}},
		{"one class", make([]int32, 20), 1, LogisticOptions{}},
		{"class without rows", noClass2, 3, LogisticOptions{}},
		{"label out of range", append(slices.Clone(y[:19]), 3), 3, LogisticOptions{}},
		{"labels short", y[:5], 3, LogisticOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := FitLogistic(context.Background(), x, tt.y, tt.classes, tt.opts); !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want ErrInvalid", err)
			}
		})
	}
	t.Run("not finite", func(t *testing.T) {
		bad := mat.DenseCopyOf(x)
		bad.Set(3, 1, math.Inf(-1))
		if _, err := FitLogistic(context.Background(), bad, y, 3, LogisticOptions{}); !errors.Is(err, ErrInvalid) {
			t.Errorf("got error %v, want ErrInvalid", err)
		}
	})
}

func TestFitLogisticCancel(t *testing.T) {
	x, y := synthetic(1000, 4, 3, 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitLogistic(ctx, x, y, 3, LogisticOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("got error %v, want context.Canceled", err)
	}
}

func TestFitLogisticIterationLimit(t *testing.T) {
	x, y := synthetic(500, 4, 2, 6)
	l, err := FitLogistic(context.Background(), x, y, 2, LogisticOptions{MaxIter: 2})
	if err != nil {
		t.Fatal(err)
	}
	if l.Converged || l.Iterations != 2 {
		t.Errorf("got %d iterations, converged %v; want 2, false", l.Iterations, l.Converged)
	}
	l, err = FitLogistic(context.Background(), x, y, 2, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !l.Converged {
		t.Errorf("default options: not converged after %d iterations", l.Iterations)
	}
}

// TestFitLogisticOptimum checks the optimality condition directly: at the
// fitted weights the gradient of the objective is near zero, and with
// more than two classes the intercepts sum to zero. Near, not below Tol:
// like scipy's L-BFGS-B, the fit also stops once an iteration lowers the
// summed loss by less than 2.2e-9 relative, which on 2000 rows happens
// with gradient entries of about 1e-3 (scipy's stop at 3e-3 on such data).
func TestFitLogisticOptimum(t *testing.T) {
	for _, k := range []int{2, 3} {
		x, y := synthetic(2000, 6, k, 7)
		l, err := FitLogistic(context.Background(), x, y, k, LogisticOptions{C: 0.5, Tol: 1e-8, MaxIter: 500})
		if err != nil {
			t.Fatal(err)
		}
		rows := l.rows()
		w := make([]float64, rows*7)
		for r := range rows {
			copy(w[r*7:], l.Coef[r*6:(r+1)*6])
			w[r*7+6] = l.Intercept[r]
		}
		obj := newObjective(x.RawMatrix(), 2000, 6, y, rows, 2)
		g := make([]float64, len(w))
		obj.gradient(g, w)
		if !l.Converged {
			t.Errorf("k=%d: not converged", k)
		}
		for i, v := range g {
			// 1e-5 per row of the summed loss.
			if math.Abs(v) > 1e-5*2000 {
				t.Errorf("k=%d: gradient[%d] = %v at the optimum", k, i, v)
			}
		}
		if k > 2 {
			var s float64
			for _, b := range l.Intercept {
				s += b
			}
			if math.Abs(s) > 1e-12 {
				t.Errorf("intercepts sum to %v, want 0", s)
			}
		}
	}
}

func TestModelClassesSeenInTraining(t *testing.T) {
	x, y := synthetic(300, 3, 2, 8)
	m := &frame.Matrix{Rows: 300}
	for j := range 3 {
		m.Features = append(m.Features, frame.Feature{Name: string(rune('a' + j)), Kind: frame.Numeric, Num: mat.Col(nil, j, x)})
	}
	// Codes 0 and 2 of three classes: "low" never occurs.
	target := &frame.Target{Name: "t", Classes: []string{"high", "low", "mid"}, Class: make([]int32, 300)}
	for i, c := range y {
		target.Class[i] = 2 * c
	}
	model, err := Fit(context.Background(), m, target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(model.Classes, []string{"high", "mid"}) || model.Logistic.Classes != 2 {
		t.Errorf("got classes %q, want [high mid]", model.Classes)
	}
	target.Classes = []string{"a", "b", "c"}
	for i := range target.Class {
		target.Class[i] = 2
	}
	if _, err := Fit(context.Background(), m, target, Options{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("one class: got error %v, want ErrInvalid", err)
	}
}
