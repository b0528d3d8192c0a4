package labels

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

// Baseline model settings.
const (
	baselineTopCategories = 20   // one-hot columns per text feature
	baselineMaxDistinct   = 0.5  // text features with more distinct values per row (IDs) are left out
	baselineLambda        = 1e-4 // L2 penalty on the weights
	baselineIterations    = 300
)

// Baseline describes the model CrossValProbs trained.
type Baseline struct {
	Folds    int
	Features []string // the data columns used
	Dropped  []string // text columns left out: nearly one value per row (identifiers)
	Inputs   int      // model inputs after one-hot encoding
}

// CrossValProbs computes out-of-sample predicted probabilities with a
// built-in baseline model, for users without a model of their own: a
// multinomial logistic regression (L2, L-BFGS) on the feature columns,
// numbers standardised (missing values at the mean, with an indicator),
// text one-hot on its 20 most frequent values. Rows are split into folds
// by a hash of the row number; each fold's probabilities come from the
// model trained on the other folds, so no row is scored by a model that
// saw it. Rows without a label are scored but not trained on.
func CrossValProbs(t *Table, l *Labels, features []string, folds int) (Probs, *Baseline, error) {
	if folds < 2 {
		return Probs{}, nil, fmt.Errorf("%w: --cv %d: at least 2 folds", dataset.ErrInvalid, folds)
	}
	if len(l.Classes) < 2 {
		return Probs{}, nil, fmt.Errorf("%w: label %q has %d class: at least 2 are needed", dataset.ErrInvalid, l.Column, len(l.Classes))
	}
	x, b, err := design(t, features)
	if err != nil {
		return Probs{}, nil, err
	}
	b.Folds = folds
	n, d, k := t.Rows, b.Inputs, len(l.Classes)
	fold := make([]int, n)
	for i := range fold {
		fold[i] = int(profile.Mix64(uint64(i)+0x6c8e9cf570932bd5) % uint64(folds))
	}
	p := Probs{N: n, K: k, Data: make([]float64, n*k)}
	for f := range folds {
		var train []int
		for i := range n {
			if fold[i] != f && l.Codes[i] >= 0 {
				train = append(train, i)
			}
		}
		w := fitSoftmax(x, d, l.Codes, k, train)
		for i := range n {
			if fold[i] == f {
				predict(x[i*d:(i+1)*d], w, k, p.Data[i*k:(i+1)*k])
			}
		}
	}
	return p, b, nil
}

// design builds the model inputs, row-major: n × d.
func design(t *Table, features []string) ([]float64, *Baseline, error) {
	b := &Baseline{}
	type enc struct {
		col        *Column
		mean, sd   float64
		cats       []string // text: the one-hot categories
		hasMissing bool
	}
	var encs []enc
	for _, name := range features {
		c := t.Column(name)
		if c == nil {
			return nil, nil, fmt.Errorf("%w: %s has no column %q", dataset.ErrInvalid, t.Source, name)
		}
		e := enc{col: c}
		if c.Numeric {
			var s, ss, cnt float64
			for i, ok := range c.Valid {
				if ok {
					s += c.Num[i]
					cnt++
				} else {
					e.hasMissing = true
				}
			}
			if cnt > 0 {
				e.mean = s / cnt
				for i, ok := range c.Valid {
					if ok {
						d := c.Num[i] - e.mean
						ss += d * d
					}
				}
				e.sd = math.Sqrt(ss / cnt)
			}
			if e.sd == 0 {
				e.sd = 1
			}
		} else {
			counts := map[string]int{}
			for i, ok := range c.Valid {
				if ok {
					counts[c.Str[i]]++
				}
			}
			if float64(len(counts)) > baselineMaxDistinct*float64(t.Rows) {
				b.Dropped = append(b.Dropped, name)
				continue
			}
			for v := range counts {
				e.cats = append(e.cats, v)
			}
			slices.SortFunc(e.cats, func(a, b string) int {
				if c := cmp.Compare(counts[b], counts[a]); c != 0 {
					return c
				}
				return cmp.Compare(a, b)
			})
			e.cats = e.cats[:min(len(e.cats), baselineTopCategories)]
		}
		b.Features = append(b.Features, name)
		encs = append(encs, e)
	}
	d := 0
	for _, e := range encs {
		switch {
		case e.col.Numeric && e.hasMissing:
			d += 2
		case e.col.Numeric:
			d++
		default:
			d += len(e.cats)
		}
	}
	b.Inputs = d
	x := make([]float64, t.Rows*d)
	j := 0
	for _, e := range encs {
		c := e.col
		switch {
		case c.Numeric:
			for i := range t.Rows {
				if c.Valid[i] {
					x[i*d+j] = (c.Num[i] - e.mean) / e.sd
				} else if e.hasMissing {
					x[i*d+j+1] = 1
				}
			}
			j++
			if e.hasMissing {
				j++
			}
		default:
			index := make(map[string]int, len(e.cats))
			for k, v := range e.cats {
				index[v] = k
			}
			for i := range t.Rows {
				if k, ok := index[c.Str[i]]; ok && c.Valid[i] {
					x[i*d+j+k] = 1
				}
			}
			j += len(e.cats)
		}
	}
	return x, b, nil
}

// fitSoftmax fits a multinomial logistic regression on the train rows and
// returns its weights: k × (d+1), the bias last in each class's row.
func fitSoftmax(x []float64, d int, y []int, k int, train []int) []float64 {
	dim := d + 1
	scratch := make([]float64, k)
	loss := func(w []float64) float64 {
		var l float64
		for _, i := range train {
			logits(x[i*d:(i+1)*d], w, k, scratch)
			l += logSumExp(scratch) - scratch[y[i]]
		}
		var reg float64
		for c := range k {
			for _, v := range w[c*dim : c*dim+d] {
				reg += v * v
			}
		}
		return l/float64(len(train)) + baselineLambda*reg
	}
	grad := func(g, w []float64) {
		clear(g)
		for _, i := range train {
			xi := x[i*d : (i+1)*d]
			logits(xi, w, k, scratch)
			softmax(scratch)
			scratch[y[i]]--
			for c, e := range scratch {
				gc := g[c*dim : (c+1)*dim]
				for j, v := range xi {
					gc[j] += e * v
				}
				gc[d] += e
			}
		}
		inv := 1 / float64(len(train))
		for c := range k {
			for j := range dim {
				g[c*dim+j] *= inv
				if j < d {
					g[c*dim+j] += 2 * baselineLambda * w[c*dim+j]
				}
			}
		}
	}
	res, err := optimize.Minimize(optimize.Problem{Func: loss, Grad: grad}, make([]float64, k*dim),
		&optimize.Settings{MajorIterations: baselineIterations}, &optimize.LBFGS{})
	if res == nil || err != nil && res.X == nil {
		return make([]float64, k*dim) // uniform probabilities
	}
	return res.X
}

func logits(xi, w []float64, k int, out []float64) {
	dim := len(xi) + 1
	for c := range k {
		wc := w[c*dim : (c+1)*dim]
		z := wc[len(xi)]
		for j, v := range xi {
			z += wc[j] * v
		}
		out[c] = z
	}
}

// predict writes the class probabilities of one row.
func predict(xi, w []float64, k int, out []float64) {
	logits(xi, w, k, out)
	softmax(out)
}

func logSumExp(z []float64) float64 {
	m := slices.Max(z)
	var s float64
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

func softmax(z []float64) {
	m := slices.Max(z)
	var s float64
	for i, v := range z {
		z[i] = math.Exp(v - m)
		s += z[i]
	}
	for i := range z {
		z[i] /= s
	}
}
