package linear

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// LogisticOptions are the settings of a logistic regression, with
// scikit-learn's defaults for a zero field.
type LogisticOptions struct {
	// C is the inverse strength of the L2 penalty; 0 means 1.
	C float64
	// MaxIter bounds the L-BFGS iterations; 0 means 100.
	MaxIter int
	// Tol stops L-BFGS once no gradient entry of the objective exceeds it
	// in magnitude (scipy's gtol); 0 means 1e-4.
	Tol float64
}

// Defaults of LogisticOptions, scikit-learn's.
const (
	DefaultC       = 1.0
	DefaultMaxIter = 100
	DefaultTol     = 1e-4
)

// Validate rejects a negative or non-finite C or Tol and a negative MaxIter.
func (o *LogisticOptions) Validate() error {
	if !finite(o.C) || o.C < 0 {
		return fmt.Errorf("%w: C %v: want a positive number", ErrInvalid, o.C)
	}
	if !finite(o.Tol) || o.Tol < 0 {
		return fmt.Errorf("%w: tolerance %v: want a positive number", ErrInvalid, o.Tol)
	}
	if o.MaxIter < 0 {
		return fmt.Errorf("%w: max iterations %d: want a positive number", ErrInvalid, o.MaxIter)
	}
	return nil
}

// withDefaults returns o with zero fields set to the defaults.
func (o LogisticOptions) withDefaults() LogisticOptions {
	if o.C == 0 {
		o.C = DefaultC
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultMaxIter
	}
	if o.Tol == 0 {
		o.Tol = DefaultTol
	}
	return o
}

// LogisticRegression is a fitted logistic regression. With two classes it
// has one coefficient row, for class 1, and P(class 1) = σ(w·x + b); with
// more it has one row per class and the probabilities are their softmax
// (scikit-learn's multinomial, multi_class="auto" with lbfgs).
type LogisticRegression struct {
	Classes  int // number of classes, ≥ 2
	Features int // design columns
	// Coef holds the coefficient rows, row-major: len(Intercept) rows of
	// Features values.
	Coef      []float64
	Intercept []float64
	// Iterations is the number of L-BFGS iterations run; Converged is
	// false when they stopped at MaxIter or on a failed line search
	// (where scikit-learn warns with a ConvergenceWarning).
	Iterations int
	Converged  bool
}

// rows returns the number of coefficient rows.
func (l *LogisticRegression) rows() int {
	if l.Classes == 2 {
		return 1
	}
	return l.Classes
}

// FitLogistic fits a logistic regression of the class codes y (0 ≤ y[i] <
// classes) on the rows of x. It minimises, with gonum's L-BFGS from zero,
//
//	Σᵢ −log P(yᵢ | xᵢ) + ‖W‖² / (2C)
//
// where W excludes the intercepts, as scikit-learn 1.2's lbfgs solver does.
// Every class needs a row. Cancelling ctx stops the fit with ctx's error.
// Other errors wrap ErrInvalid.
//
// The objective is computed over blocks of rows in parallel, and the
// blocks' sums are added in block order, so the result does not depend on
// the number of CPUs.
func FitLogistic(ctx context.Context, x *mat.Dense, y []int32, classes int, opts LogisticOptions) (*LogisticRegression, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	n, d := x.Dims()
	if n < 1 || d < 1 {
		return nil, fmt.Errorf("%w: an empty %d×%d design", ErrInvalid, n, d)
	}
	if len(y) != n {
		return nil, fmt.Errorf("%w: %d labels for %d rows", ErrInvalid, len(y), n)
	}
	if classes < 2 {
		return nil, fmt.Errorf("%w: %d classes: want at least 2", ErrInvalid, classes)
	}
	count := make([]int, classes)
	for i, c := range y {
		if c < 0 || int(c) >= classes {
			return nil, fmt.Errorf("%w: row %d: class %d out of range [0, %d)", ErrInvalid, i, c, classes)
		}
		count[c]++
	}
	if c := slices.Index(count, 0); c >= 0 {
		return nil, fmt.Errorf("%w: class %d has no rows", ErrInvalid, c)
	}
	raw := x.RawMatrix()
	for i := range n {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+d] {
			if !finite(v) {
				return nil, fmt.Errorf("%w: design row %d: value %v", ErrInvalid, i, v)
			}
		}
	}

	l := &LogisticRegression{Classes: classes, Features: d}
	obj := newObjective(raw, n, d, y, l.rows(), 1/opts.C)
	problem := optimize.Problem{
		Func: obj.value,
		Grad: obj.gradient,
		Status: func() (optimize.Status, error) {
			if err := ctx.Err(); err != nil {
				return optimize.Failure, err
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		GradientThreshold: opts.Tol,
		// gonum counts the starting point as a major iteration, scipy not.
		MajorIterations: opts.MaxIter + 1,
		// scipy's L-BFGS-B also stops when an iteration lowers the
		// objective by less than factr·eps relative (factr 1e7).
		Converger: &optimize.FunctionConverge{Relative: ftol, Absolute: ftol, Iterations: 1},
	}
	// Ten corrections and a Moré–Thuente line search, as in L-BFGS-B.
	method := &optimize.LBFGS{Store: 10, Linesearcher: &optimize.MoreThuente{}}
	res, err := optimize.Minimize(problem, make([]float64, obj.dim), settings, method)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if res == nil {
		return nil, fmt.Errorf("linear: logistic regression: %w", err)
	}
	w := res.X
	if !allFinite(w) {
		return nil, fmt.Errorf("linear: logistic regression diverged (status %v): %w", res.Status, errors.Join(err, ErrInvalid))
	}
	l.Iterations = max(0, res.Stats.MajorIterations-1)
	l.Converged = err == nil && (res.Status == optimize.GradientThreshold || res.Status == optimize.FunctionConvergence)
	rows := l.rows()
	l.Coef = make([]float64, rows*d)
	l.Intercept = make([]float64, rows)
	for r := range rows {
		copy(l.Coef[r*d:(r+1)*d], w[r*(d+1):r*(d+1)+d])
		l.Intercept[r] = w[r*(d+1)+d]
	}
	if rows > 1 {
		// The softmax is unchanged by a shift of all intercepts, which the
		// penalty does not fix. L-BFGS from zero keeps their sum at zero,
		// as in scikit-learn, up to rounding; remove the rounding.
		mean := floats.Sum(l.Intercept) / float64(rows)
		for r := range l.Intercept {
			l.Intercept[r] -= mean
		}
	}
	return l, nil
}

// ftol is scipy's default relative reduction tolerance, factr·eps.
const ftol = 1e7 * 0x1p-52

func allFinite(v []float64) bool {
	for _, x := range v {
		if !finite(x) {
			return false
		}
	}
	return true
}

// PredictProba writes the class probabilities of the rows of x into dst,
// row-major: Classes values per row. Errors wrap ErrInvalid.
func (l *LogisticRegression) PredictProba(dst []float64, x *mat.Dense) error {
	n, d := x.Dims()
	if d != l.Features {
		return fmt.Errorf("%w: %d design columns, the model has %d", ErrInvalid, d, l.Features)
	}
	if len(dst) != n*l.Classes {
		return fmt.Errorf("%w: buffer of %d for %d rows × %d classes", ErrInvalid, len(dst), n, l.Classes)
	}
	raw := x.RawMatrix()
	k := l.Classes
	for i := range n {
		row := raw.Data[i*raw.Stride : i*raw.Stride+d]
		out := dst[i*k : (i+1)*k]
		if k == 2 {
			p := sigmoid(l.Intercept[0] + floats.Dot(l.Coef, row))
			out[0], out[1] = 1-p, p
			continue
		}
		for c := range k {
			out[c] = l.Intercept[c] + floats.Dot(l.Coef[c*d:(c+1)*d], row)
		}
		softmax(out)
	}
	return nil
}

// sigmoid returns 1 / (1 + e^−z) without overflow.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// softmax turns logits into probabilities in place and returns their
// log-sum-exp.
func softmax(z []float64) float64 {
	m := z[0]
	for _, v := range z[1:] {
		m = max(m, v)
	}
	var s float64
	for c, v := range z {
		e := math.Exp(v - m)
		z[c] = e
		s += e
	}
	for c := range z {
		z[c] /= s
	}
	return m + math.Log(s)
}

// blockRows is the number of rows one worker sums at a time. Blocks, not
// workers, fix the order of the sums.
const blockRows = 4096

// objective is the penalised log loss and its gradient. The parameters
// are rows coefficient rows of d weights followed by the intercept.
type objective struct {
	x          []float64 // design, row-major with stride
	stride     int
	n, d, rows int
	dim        int // rows·(d+1)
	y          []int32
	invC       float64
	workers    int

	// Per-block partial sums, summed in block order.
	blockLoss []float64
	blockGrad []float64  // blocks × dim
	scratch   []*scratch // one per worker

	// The last point evaluated: gonum asks for the value and then the
	// gradient at the same point, and one pass computes both.
	at   []float64
	loss float64
	grad []float64
	have bool
}

func newObjective(raw blas64.General, n, d int, y []int32, rows int, invC float64) *objective {
	blocks := (n + blockRows - 1) / blockRows
	dim := rows * (d + 1)
	o := &objective{
		x: raw.Data, stride: raw.Stride, n: n, d: d, rows: rows, dim: dim, y: y, invC: invC,
		workers:   max(1, min(runtime.GOMAXPROCS(0), blocks)),
		blockLoss: make([]float64, blocks),
		blockGrad: make([]float64, blocks*dim),
		at:        make([]float64, dim),
		grad:      make([]float64, dim),
	}
	o.scratch = make([]*scratch, o.workers)
	for w := range o.scratch {
		o.scratch[w] = newScratch(rows, dim)
	}
	return o
}

// scratch is one worker's buffers: the logits of a row, and the gradient
// of the block at hand, summed here and copied to the block's slot once.
// Both are padded by a cache line on each side, so that workers writing
// them on every row do not share lines (false sharing made the
// multinomial loss several times slower on two cores than on one).
type scratch struct {
	z, g []float64
}

func newScratch(rows, dim int) *scratch {
	const pad = 8 // float64s in a 64-byte cache line
	z := make([]float64, rows+2*pad)
	g := make([]float64, dim+2*pad)
	return &scratch{z: z[pad : pad+rows], g: g[pad : pad+dim]}
}

func (o *objective) value(w []float64) float64 {
	o.evaluate(w)
	return o.loss
}

func (o *objective) gradient(g, w []float64) {
	o.evaluate(w)
	copy(g, o.grad)
}

// evaluate computes the loss and gradient at w unless w is the last point.
func (o *objective) evaluate(w []float64) {
	if o.have && slices.Equal(w, o.at) {
		return
	}
	blocks := len(o.blockLoss)
	if o.workers == 1 {
		for b := range blocks {
			o.block(b, w, o.scratch[0])
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for k := range o.workers {
			scratch := o.scratch[k]
			wg.Go(func() {
				for {
					b := int(next.Add(1)) - 1
					if b >= blocks {
						return
					}
					o.block(b, w, scratch)
				}
			})
		}
		wg.Wait()
	}
	loss := 0.0
	clear(o.grad)
	for b := range blocks {
		loss += o.blockLoss[b]
		floats.Add(o.grad, o.blockGrad[b*o.dim:(b+1)*o.dim])
	}
	// The penalty, on the weights but not the intercepts.
	d := o.d
	for r := range o.rows {
		for j := r * (d + 1); j < r*(d+1)+d; j++ {
			loss += 0.5 * o.invC * w[j] * w[j]
			o.grad[j] += o.invC * w[j]
		}
	}
	copy(o.at, w)
	o.loss = loss
	o.have = true
}

// block sums the loss and gradient of one block of rows into its slot.
func (o *objective) block(b int, w []float64, s *scratch) {
	lo, hi := b*blockRows, min((b+1)*blockRows, o.n)
	d, dim := o.d, o.dim
	g, z := s.g, s.z
	clear(g)
	var loss float64
	if o.rows == 1 {
		coef, bias := w[:d], w[d]
		gw := g[:d]
		var gb float64
		for i := lo; i < hi; i++ {
			row := o.x[i*o.stride : i*o.stride+d]
			t := bias + floats.Dot(coef, row)
			// log(1 + e^t) − y·t and σ(t) − y, sharing one exponential.
			e := math.Exp(-math.Abs(t))
			var p float64
			if t >= 0 {
				loss += t + math.Log1p(e)
				p = 1 / (1 + e)
			} else {
				loss += math.Log1p(e)
				p = e / (1 + e)
			}
			r := p
			if o.y[i] == 1 {
				loss -= t
				r -= 1
			}
			floats.AddScaled(gw, r, row)
			gb += r
		}
		g[d] = gb
	} else {
		for i := lo; i < hi; i++ {
			row := o.x[i*o.stride : i*o.stride+d]
			for c := range o.rows {
				wc := w[c*(d+1) : (c+1)*(d+1)]
				z[c] = wc[d] + floats.Dot(wc[:d], row)
			}
			yc := int(o.y[i])
			loss -= z[yc]
			loss += softmax(z)
			z[yc] -= 1
			for c, r := range z {
				gc := g[c*(d+1) : (c+1)*(d+1)]
				floats.AddScaled(gc[:d], r, row)
				gc[d] += r
			}
		}
	}
	o.blockLoss[b] = loss
	copy(o.blockGrad[b*dim:(b+1)*dim], g)
}
