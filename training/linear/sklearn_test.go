package linear

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/assayhq/assay/training/frame"
)

// Tolerances against scikit-learn 1.2.1 (testdata/README.md says how the
// fixtures were made).
const (
	// designTol: the design matrix is the same arithmetic in a different
	// summation order.
	designTol = 1e-12
	// coefTol: gonum's and scipy's L-BFGS take different paths to the same
	// optimum of a strictly convex objective, and each stops once its
	// gradient (or its relative decrease) is below a tolerance. The
	// fixtures fit with tol=1e-8 so that where they stop agrees to well
	// within 1e-4 of each coefficient (relative, or absolute below 1).
	coefTol = 1e-4
	// probaTol: probabilities move less than the coefficients that make them.
	probaTol = 1e-5
	// linearTol: least squares and ridge are direct solves (SVD here,
	// LAPACK's gelsd there; Cholesky in both), equal up to rounding.
	linearTol = 1e-9
)

var fixtures = []string{"binary", "multiclass", "regression", "regression_raw"}

func TestDesignMatchesSklearn(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, name)
			d, err := FitDesign(f.Train.matrix(t), DesignOptions{Standardize: f.Standardize})
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Columns(); !slices.Equal(got, f.Design.Columns) {
				t.Fatalf("got columns %q, want %q", got, f.Design.Columns)
			}
			for _, part := range []struct {
				name string
				m    *frame.Matrix
				want [][]float64
			}{{"train", f.Train.matrix(t), f.Design.Train}, {"test", f.Test.matrix(t), f.Design.Test}} {
				x, err := d.Transform(part.m)
				if err != nil {
					t.Fatal(err)
				}
				for i, row := range part.want {
					for j, want := range row {
						if got := x.At(i, j); !near(got, want, designTol) {
							t.Errorf("%s row %d, column %s: got %v, want %v", part.name, i, f.Design.Columns[j], got, want)
						}
					}
				}
			}
		})
	}
}

func TestLogisticMatchesSklearn(t *testing.T) {
	for _, name := range []string{"binary", "multiclass"} {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, name)
			fm := f.Models[0]
			m, err := Fit(context.Background(), f.Train.matrix(t), f.target(t), Options{
				Design:   DesignOptions{Standardize: f.Standardize},
				Logistic: LogisticOptions{C: fm.C, MaxIter: fm.MaxIter, Tol: fm.Tol},
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.Classes, fm.Classes) {
				t.Fatalf("got classes %q, want %q", m.Classes, fm.Classes)
			}
			l := m.Logistic
			t.Logf("%d iterations (scikit-learn %d), converged %v", l.Iterations, fm.NIter, l.Converged)
			if !l.Converged {
				t.Error("did not converge")
			}
			var coef [][]float64
			var intercept []float64
			mustUnmarshal(t, fm.Coef, &coef)
			mustUnmarshal(t, fm.Intercept, &intercept)
			if len(coef) != len(l.Intercept) || len(intercept) != len(l.Intercept) {
				t.Fatalf("got %d coefficient rows, want %d", len(l.Intercept), len(coef))
			}
			worst := 0.0
			for r, row := range coef {
				for j, want := range row {
					got := l.Coef[r*l.Features+j]
					worst = max(worst, math.Abs(got-want))
					if !near(got, want, coefTol) {
						t.Errorf("coef[%d][%s]: got %v, want %v", r, f.Design.Columns[j], got, want)
					}
				}
				worst = max(worst, math.Abs(l.Intercept[r]-intercept[r]))
				if !near(l.Intercept[r], intercept[r], coefTol) {
					t.Errorf("intercept[%d]: got %v, want %v", r, l.Intercept[r], intercept[r])
				}
			}
			t.Logf("largest coefficient difference %.2g", worst)

			test := f.Test.matrix(t)
			k := len(m.Classes)
			proba := make([]float64, test.Rows*k)
			if err := m.PredictProba(proba, test); err != nil {
				t.Fatal(err)
			}
			worst = 0
			for i, row := range fm.Proba {
				for c, want := range row {
					got := proba[i*k+c]
					worst = max(worst, math.Abs(got-want))
					if math.Abs(got-want) > probaTol {
						t.Errorf("row %d, P(%s): got %v, want %v", i, m.Classes[c], got, want)
					}
				}
			}
			t.Logf("largest probability difference %.2g", worst)
			var labels []string
			mustUnmarshal(t, fm.Predict, &labels)
			pred, err := m.Predict(test)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range labels {
				if got := pred.Classes[pred.Class[i]]; got != want {
					t.Errorf("row %d: predicted %s, want %s", i, got, want)
				}
			}
		})
	}
}

func TestLinearMatchesSklearn(t *testing.T) {
	for _, name := range []string{"regression", "regression_raw"} {
		f := loadFixture(t, name)
		for _, fm := range f.Models {
			t.Run(fmt.Sprintf("%s/%s/alpha=%v", name, fm.Estimator, fm.Alpha), func(t *testing.T) {
				m, err := Fit(context.Background(), f.Train.matrix(t), f.target(t), Options{
					Design: DesignOptions{Standardize: f.Standardize},
					Linear: LinearOptions{Alpha: fm.Alpha},
				})
				if err != nil {
					t.Fatal(err)
				}
				r := m.Linear
				var coef []float64
				var intercept float64
				mustUnmarshal(t, fm.Coef, &coef)
				mustUnmarshal(t, fm.Intercept, &intercept)
				worst := 0.0
				for j, want := range coef {
					worst = max(worst, math.Abs(r.Coef[j]-want)/max(1, math.Abs(want)))
					if !near(r.Coef[j], want, linearTol) {
						t.Errorf("coef[%s]: got %v, want %v", f.Design.Columns[j], r.Coef[j], want)
					}
				}
				if !near(r.Intercept, intercept, linearTol) {
					t.Errorf("intercept: got %v, want %v", r.Intercept, intercept)
				}
				if fm.Estimator == "ols" && r.Rank != fm.Rank {
					t.Errorf("got rank %d, want %d", r.Rank, fm.Rank)
				}
				t.Logf("largest relative coefficient difference %.2g", worst)
				var want []float64
				mustUnmarshal(t, fm.Predict, &want)
				pred, err := m.Predict(f.Test.matrix(t))
				if err != nil {
					t.Fatal(err)
				}
				for i := range want {
					if !near(pred.Value[i], want[i], linearTol) {
						t.Errorf("row %d: predicted %v, want %v", i, pred.Value[i], want[i])
					}
				}
			})
		}
	}
}
