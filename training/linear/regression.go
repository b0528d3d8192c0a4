package linear

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// LinearOptions are the settings of a linear regression.
type LinearOptions struct {
	// Alpha is the ridge penalty (scikit-learn's Ridge alpha); 0 fits
	// ordinary least squares (LinearRegression).
	Alpha float64
}

// Validate rejects a negative or non-finite Alpha.
func (o *LinearOptions) Validate() error {
	if !finite(o.Alpha) || o.Alpha < 0 {
		return fmt.Errorf("%w: alpha %v: want a number ≥ 0", ErrInvalid, o.Alpha)
	}
	return nil
}

// LinearRegression is a fitted linear regression: y = Coef·x + Intercept.
type LinearRegression struct {
	Coef      []float64
	Intercept float64
	// Alpha is the ridge penalty it was fitted with.
	Alpha float64
	// Rank is the effective rank of the centred design (least squares
	// only; ridge always uses every column).
	Rank int
}

// FitLinear fits y on the rows of x with an intercept, the way
// scikit-learn does: x and y are centred on their means, the
// coefficients solve the centred problem, and the intercept is
// mean(y) − mean(x)·Coef.
//
// With Alpha = 0 the centred problem is least squares, solved by an SVD;
// a rank-deficient design gets the minimum-norm solution, as
// scipy.linalg.lstsq gives LinearRegression, with singular values below
// max(n, d)·eps·σ_max taken as zero (scipy uses eps·σ_max, a cutoff that
// decides exactly collinear columns by rounding noise). With Alpha > 0 it
// is ridge regression, solved by a Cholesky factorization of XᵀX + αI
// (Ridge's "cholesky" solver). Errors wrap ErrInvalid.
func FitLinear(x *mat.Dense, y []float64, opts LinearOptions) (*LinearRegression, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	n, d := x.Dims()
	if n < 1 || d < 1 {
		return nil, fmt.Errorf("%w: an empty %d×%d design", ErrInvalid, n, d)
	}
	if len(y) != n {
		return nil, fmt.Errorf("%w: %d targets for %d rows", ErrInvalid, len(y), n)
	}
	for i, v := range y {
		if !finite(v) {
			return nil, fmt.Errorf("%w: row %d: target %v", ErrInvalid, i, v)
		}
	}
	// Centre a copy of x, and y.
	xMean := make([]float64, d)
	xc := mat.DenseCopyOf(x)
	raw := xc.RawMatrix()
	for i := range n {
		row := raw.Data[i*raw.Stride : i*raw.Stride+d]
		if !allFinite(row) {
			return nil, fmt.Errorf("%w: design row %d has a value that is not a finite number", ErrInvalid, i)
		}
		floats.Add(xMean, row)
	}
	floats.Scale(1/float64(n), xMean)
	for i := range n {
		floats.Sub(raw.Data[i*raw.Stride:i*raw.Stride+d], xMean)
	}
	yMean := floats.Sum(y) / float64(n)
	yc := make([]float64, n)
	for i, v := range y {
		yc[i] = v - yMean
	}

	r := &LinearRegression{Coef: make([]float64, d), Alpha: opts.Alpha}
	coef := mat.NewVecDense(d, r.Coef)
	if opts.Alpha == 0 {
		var svd mat.SVD
		if !svd.Factorize(xc, mat.SVDThin) {
			return nil, fmt.Errorf("%w: the SVD of the design did not converge", ErrInvalid)
		}
		r.Rank = svd.Rank(float64(max(n, d)) * 0x1p-52)
		if r.Rank > 0 {
			svd.SolveVecTo(coef, mat.NewVecDense(n, yc), r.Rank)
		}
	} else {
		a := mat.NewSymDense(d, nil)
		a.SymOuterK(1, xc.T())
		for j := range d {
			a.SetSym(j, j, a.At(j, j)+opts.Alpha)
		}
		var xty mat.VecDense
		xty.MulVec(xc.T(), mat.NewVecDense(n, yc))
		var chol mat.Cholesky
		if !chol.Factorize(a) {
			return nil, fmt.Errorf("%w: XᵀX + αI is not positive definite (alpha %v)", ErrInvalid, opts.Alpha)
		}
		if err := chol.SolveVecTo(coef, &xty); err != nil {
			return nil, fmt.Errorf("%w: ridge solve: %w", ErrInvalid, err)
		}
		r.Rank = d
	}
	r.Intercept = yMean - floats.Dot(xMean, r.Coef)
	if !allFinite(r.Coef) || math.IsNaN(r.Intercept) || math.IsInf(r.Intercept, 0) {
		return nil, fmt.Errorf("%w: linear regression gave non-finite coefficients", ErrInvalid)
	}
	return r, nil
}

// Predict writes the predictions for the rows of x into dst, one per row.
// Errors wrap ErrInvalid.
func (r *LinearRegression) Predict(dst []float64, x *mat.Dense) error {
	n, d := x.Dims()
	if d != len(r.Coef) {
		return fmt.Errorf("%w: %d design columns, the model has %d", ErrInvalid, d, len(r.Coef))
	}
	if len(dst) != n {
		return fmt.Errorf("%w: buffer of %d for %d rows", ErrInvalid, len(dst), n)
	}
	raw := x.RawMatrix()
	for i := range n {
		dst[i] = r.Intercept + floats.Dot(r.Coef, raw.Data[i*raw.Stride:i*raw.Stride+d])
	}
	return nil
}
