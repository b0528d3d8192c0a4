package linear

import (
	"context"
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/assayhq/assay/training/frame"
)

func TestFitLinearExact(t *testing.T) {
	// y = 1 + 2a − 3b exactly.
	x := mat.NewDense(5, 2, []float64{0, 1, 1, 0, 2, 2, 3, 1, 4, 5})
	y := make([]float64, 5)
	for i := range y {
		y[i] = 1 + 2*x.At(i, 0) - 3*x.At(i, 1)
	}
	r, err := FitLinear(x, y, LinearOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Coef[0], 2, 1e-12) || !near(r.Coef[1], -3, 1e-12) || !near(r.Intercept, 1, 1e-12) || r.Rank != 2 {
		t.Errorf("got coef %v intercept %v rank %d, want [2 -3] 1 2", r.Coef, r.Intercept, r.Rank)
	}
}

func TestFitLinearRankDeficient(t *testing.T) {
	// Two equal columns: least squares has many solutions, and the
	// minimum-norm one splits the weight evenly.
	x := mat.NewDense(4, 2, []float64{1, 1, 2, 2, 3, 3, 5, 5})
	y := []float64{2, 4, 6, 10}
	r, err := FitLinear(x, y, LinearOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Rank != 1 || !near(r.Coef[0], 1, 1e-12) || !near(r.Coef[1], 1, 1e-12) || !near(r.Intercept, 0, 1e-12) {
		t.Errorf("got coef %v intercept %v rank %d, want [1 1] 0 1", r.Coef, r.Intercept, r.Rank)
	}
	// A constant design: rank 0, the intercept is the mean.
	c := mat.NewDense(3, 1, []float64{4, 4, 4})
	r, err = FitLinear(c, []float64{1, 2, 6}, LinearOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Rank != 0 || r.Coef[0] != 0 || r.Intercept != 3 {
		t.Errorf("got coef %v intercept %v rank %d, want [0] 3 0", r.Coef, r.Intercept, r.Rank)
	}
}

func TestFitLinearRidge(t *testing.T) {
	// One centred column: the ridge coefficient is Σxy / (Σx² + α).
	x := mat.NewDense(3, 1, []float64{-1, 0, 1})
	y := []float64{1, 2, 4}
	r, err := FitLinear(x, y, LinearOptions{Alpha: 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := 3.0 / 4; !near(r.Coef[0], want, 1e-15) || !near(r.Intercept, 7.0/3, 1e-15) {
		t.Errorf("got coef %v intercept %v, want %v %v", r.Coef[0], r.Intercept, want, 7.0/3)
	}
}

func TestFitLinearErrors(t *testing.T) {
	x := mat.NewDense(3, 1, []float64{1, 2, 3})
	bad := mat.NewDense(3, 1, []float64{1, math.NaN(), 3})
	tests := []struct {
		name string
		x    *mat.Dense
		y    []float64
		opts LinearOptions
	}{
		{"negative alpha", x, []float64{1, 2, 3}, LinearOptions{Alpha: -1}},
		{"infinite alpha", x, []float64{1, 2, 3}, LinearOptions{Alpha: math.Inf(1)}},
		{"short target", x, []float64{1, 2}, LinearOptions{}},
		{"NaN target", x, []float64{1, math.NaN(), 3}, LinearOptions{}},
		{"NaN design", bad, []float64{1, 2, 3}, LinearOptions{}},
		{"empty design", &mat.Dense{}, nil, LinearOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := FitLinear(tt.x, tt.y, tt.opts); !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want ErrInvalid", err)
			}
		})
	}
}

func TestModelRegression(t *testing.T) {
	x := &frame.Matrix{Rows: 4, Features: []frame.Feature{{Name: "a", Kind: frame.Numeric, Num: []float64{1, 2, 3, 4}}}}
	y := &frame.Target{Name: "y", Task: frame.Regression, Value: []float64{3, 5, 7, 9}}
	m, err := Fit(context.Background(), x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pred, err := m.Predict(&frame.Matrix{Rows: 2, Features: []frame.Feature{{Name: "a", Kind: frame.Numeric, Num: []float64{10, math.NaN()}}}})
	if err != nil {
		t.Fatal(err)
	}
	// y = 1 + 2a; a missing is the mean, 2.5.
	if pred.Task != frame.Regression || !near(pred.Value[0], 21, 1e-12) || !near(pred.Value[1], 6, 1e-12) {
		t.Errorf("got %v, want [21 6]", pred.Value)
	}
	if err := m.PredictProba(make([]float64, 2), x); !errors.Is(err, ErrInvalid) {
		t.Errorf("probabilities of a regression: got error %v, want ErrInvalid", err)
	}
	empty, err := m.Predict(x.Subset(nil))
	if err != nil || len(empty.Value) != 0 {
		t.Errorf("no rows: got %v, %v; want no predictions and no error", empty, err)
	}
	if _, err := Fit(context.Background(), x, &frame.Target{Task: frame.Regression, Value: []float64{1}}, Options{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("short target: got error %v, want ErrInvalid", err)
	}
}
