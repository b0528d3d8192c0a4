package metrics

import (
	"fmt"
	"github.com/assayhq/assay/dataset/npsum"
	"math"
)

// Regression is the evaluation of numeric predictions.
type Regression struct {
	// N is the number of rows.
	N int
	// RMSE is the root mean squared error,
	// sklearn.metrics.mean_squared_error(squared=False).
	RMSE float64
	// MAE is the mean absolute error, mean_absolute_error.
	MAE float64
	// R2 is the coefficient of determination, r2_score: 1 for a
	// perfect prediction, including of a constant y; 0 for an
	// imperfect prediction of a constant y; NaN for fewer than two
	// rows.
	R2 float64
	// Undefined says why metrics are NaN, one "metric: reason" each.
	Undefined []string
}

// Regress evaluates predictions pred of y. Both must have the same,
// non-zero length and hold finite numbers (scikit-learn rejects NaN
// and infinities too); the error names the first row that does not.
func Regress(y, pred []float64) (Regression, error) {
	if err := checkRegression(y, pred); err != nil {
		return Regression{}, err
	}
	return regress(y, pred), nil
}

// RMSE returns the root mean squared error of pred, as
// sklearn.metrics.mean_squared_error(y, pred, squared=False).
func RMSE(y, pred []float64) (float64, error) {
	if err := checkRegression(y, pred); err != nil {
		return math.NaN(), err
	}
	var s npsum.Summer
	for i, v := range y {
		d := v - pred[i]
		s.Add(d * d)
	}
	return math.Sqrt(s.Sum() / float64(len(y))), nil
}

// MAE returns the mean absolute error of pred, as
// sklearn.metrics.mean_absolute_error(y, pred).
func MAE(y, pred []float64) (float64, error) {
	if err := checkRegression(y, pred); err != nil {
		return math.NaN(), err
	}
	var s npsum.Summer
	for i, v := range y {
		s.Add(math.Abs(pred[i] - v))
	}
	return s.Sum() / float64(len(y)), nil
}

// R2 returns the coefficient of determination of pred, as
// sklearn.metrics.r2_score(y, pred): 1 - SSres/SStot, with its
// conventions for a constant y (SStot == 0): 1 when the prediction is
// perfect, 0 when it is not. With fewer than two rows R² is undefined:
// R2 returns NaN and an error wrapping ErrUndefined. Note that a y that
// looks constant may not be: fifty 4.2s have a mean that is not 4.2 in
// float64, a tiny SStot, and a hugely negative R²; scikit-learn gives
// the same.
func R2(y, pred []float64) (float64, error) {
	if err := checkRegression(y, pred); err != nil {
		return math.NaN(), err
	}
	r := regress(y, pred)
	if len(r.Undefined) > 0 {
		return r.R2, fmt.Errorf("metrics: %s: %w", r.Undefined[0], ErrUndefined)
	}
	return r.R2, nil
}

// regress computes every regression metric of valid input in two
// passes.
func regress(y, pred []float64) Regression {
	n := float64(len(y))
	var sq, abs, sum npsum.Summer
	for i, v := range y {
		d := v - pred[i]
		sq.Add(d * d)
		abs.Add(math.Abs(pred[i] - v))
		sum.Add(v)
	}
	ssres := sq.Sum()
	out := Regression{N: len(y), RMSE: math.Sqrt(ssres / n), MAE: abs.Sum() / n, R2: math.NaN()}
	if len(y) < 2 {
		out.Undefined = []string{"r2: fewer than two rows"}
		return out
	}
	mean := sum.Sum() / n
	tot := &sum // reuse its buffer
	tot.Reset()
	for _, v := range y {
		d := v - mean
		tot.Add(d * d)
	}
	sstot := tot.Sum()
	switch {
	case ssres == 0:
		out.R2 = 1
	case sstot == 0:
		out.R2 = 0
	default:
		out.R2 = 1 - ssres/sstot
	}
	return out
}

// checkRegression validates y and pred: equal, non-zero lengths and
// finite values.
func checkRegression(y, pred []float64) error {
	if len(y) != len(pred) {
		return fmt.Errorf("metrics: %d targets but %d predictions: %w", len(y), len(pred), ErrInvalid)
	}
	if len(y) == 0 {
		return fmt.Errorf("metrics: %w", ErrEmpty)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("metrics: target of row %d is %v: %w", i, v, ErrInvalid)
		}
		if p := pred[i]; math.IsNaN(p) || math.IsInf(p, 0) {
			return fmt.Errorf("metrics: prediction of row %d is %v: %w", i, p, ErrInvalid)
		}
	}
	return nil
}
