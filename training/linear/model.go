package linear

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/assayhq/assay/training/frame"
)

// Options are the settings of Fit.
type Options struct {
	Design DesignOptions
	// Logistic is used for a classification target, Linear for a
	// regression target.
	Logistic LogisticOptions
	Linear   LinearOptions
}

// Model is a design and the estimator fitted on its output: a
// LogisticRegression for a classification target, a LinearRegression
// for a regression target.
type Model struct {
	Target string
	Task   frame.Task
	// Classes are the classes seen in training, sorted; class codes from
	// Predict and the columns of PredictProba index them. A class of the
	// target with no training row is not among them (as in scikit-learn).
	Classes []string
	Design  *Design

	Logistic *LogisticRegression // classification
	Linear   *LinearRegression   // regression
}

// Fit fits a design on x and an estimator on the design matrix and y.
// Errors from the data wrap ErrInvalid; cancelling ctx stops a logistic
// fit with ctx's error.
func Fit(ctx context.Context, x *frame.Matrix, y *frame.Target, opts Options) (*Model, error) {
	if err := opts.Logistic.Validate(); err != nil {
		return nil, err
	}
	if err := opts.Linear.Validate(); err != nil {
		return nil, err
	}
	if y.Len() != x.Rows {
		return nil, fmt.Errorf("%w: target %s has %d rows, the features %d", ErrInvalid, y.Name, y.Len(), x.Rows)
	}
	d, err := FitDesign(x, opts.Design)
	if err != nil {
		return nil, err
	}
	dm, err := d.Transform(x)
	if err != nil {
		return nil, err
	}
	m := &Model{Target: y.Name, Task: y.Task, Design: d}
	if y.Task == frame.Regression {
		m.Linear, err = FitLinear(dm, y.Value, opts.Linear)
		if err != nil {
			return nil, fmt.Errorf("fit %s: %w", y.Name, err)
		}
		return m, nil
	}

	// Renumber the classes present in training 0..k-1.
	code := make([]int32, len(y.Classes))
	for i := range code {
		code[i] = -1
	}
	for i, c := range y.Class {
		if c < 0 || int(c) >= len(y.Classes) {
			return nil, fmt.Errorf("%w: target %s, row %d: class code %d out of range (%d classes)", ErrInvalid, y.Name, i, c, len(y.Classes))
		}
		code[c] = 0
	}
	for c := range code {
		if code[c] == 0 {
			code[c] = int32(len(m.Classes))
			m.Classes = append(m.Classes, y.Classes[c])
		}
	}
	if len(m.Classes) < 2 {
		return nil, fmt.Errorf("%w: target %s has %d class in training: at least 2 are needed", ErrInvalid, y.Name, len(m.Classes))
	}
	labels := make([]int32, len(y.Class))
	for i, c := range y.Class {
		labels[i] = code[c]
	}
	m.Logistic, err = FitLogistic(ctx, dm, labels, len(m.Classes), opts.Logistic)
	if err != nil {
		return nil, fmt.Errorf("fit %s: %w", y.Name, err)
	}
	return m, nil
}

// predictRows is the number of rows Predict and PredictProba put through
// the design at a time, which bounds their memory.
const predictRows = 4096

// Predict returns the predictions for the rows of x as a target: class
// codes into m.Classes (the most probable class, the first on a tie), or
// numbers. Errors wrap ErrInvalid.
func (m *Model) Predict(x *frame.Matrix) (*frame.Target, error) {
	out := &frame.Target{Name: m.Target, Task: m.Task}
	if m.Task == frame.Regression {
		out.Value = make([]float64, x.Rows)
	} else {
		out.Classes = m.Classes
		out.Class = make([]int32, x.Rows)
	}
	k := len(m.Classes)
	var scores []float64
	if m.Task == frame.Classification {
		scores = make([]float64, predictRows*k)
	}
	err := m.blocks(x, func(lo, hi int, dm *mat.Dense) error {
		if m.Task == frame.Regression {
			return m.Linear.Predict(out.Value[lo:hi], dm)
		}
		s := scores[:(hi-lo)*k]
		m.Logistic.decision(s, dm)
		for i := range hi - lo {
			out.Class[lo+i] = int32(argmax(s[i*k : (i+1)*k]))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PredictProba writes the class probabilities of the rows of x into dst,
// row-major with len(m.Classes) values per row. It fails for a regression
// model. Errors wrap ErrInvalid.
func (m *Model) PredictProba(dst []float64, x *frame.Matrix) error {
	if m.Task != frame.Classification {
		return fmt.Errorf("%w: %s is a regression target: no probabilities", ErrInvalid, m.Target)
	}
	k := len(m.Classes)
	if len(dst) != x.Rows*k {
		return fmt.Errorf("%w: buffer of %d for %d rows × %d classes", ErrInvalid, len(dst), x.Rows, k)
	}
	return m.blocks(x, func(lo, hi int, dm *mat.Dense) error {
		return m.Logistic.PredictProba(dst[lo*k:hi*k], dm)
	})
}

// blocks calls fn with the design matrix of each block of rows of x.
func (m *Model) blocks(x *frame.Matrix, fn func(lo, hi int, dm *mat.Dense) error) error {
	if err := m.validate(); err != nil {
		return fmt.Errorf("%w: model: %w", ErrInvalid, err)
	}
	b, err := m.Design.bind(x)
	if err != nil {
		return err
	}
	if x.Rows == 0 {
		return nil
	}
	w := b.width
	buf := make([]float64, min(x.Rows, predictRows)*w)
	for lo := 0; lo < x.Rows; lo += predictRows {
		hi := min(lo+predictRows, x.Rows)
		if err := b.fill(buf, lo, hi); err != nil {
			return err
		}
		if err := fn(lo, hi, mat.NewDense(hi-lo, w, buf[:(hi-lo)*w])); err != nil {
			return err
		}
	}
	return nil
}

// decision writes one score per class and row into dst, Classes per
// row, whose largest is the predicted class: the logits, or for two
// classes 0 and the one logit (scikit-learn's decision_function > 0).
func (l *LogisticRegression) decision(dst []float64, x *mat.Dense) {
	n, d := x.Dims()
	raw := x.RawMatrix()
	k := l.Classes
	for i := range n {
		row := raw.Data[i*raw.Stride : i*raw.Stride+d]
		out := dst[i*k : (i+1)*k]
		if k == 2 {
			out[0], out[1] = 0, l.Intercept[0]+floats.Dot(l.Coef, row)
			continue
		}
		for c := range k {
			out[c] = l.Intercept[c] + floats.Dot(l.Coef[c*d:(c+1)*d], row)
		}
	}
}

// argmax returns the index of the largest value, the first on a tie.
func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
