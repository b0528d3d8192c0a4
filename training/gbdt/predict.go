package gbdt

import (
	"fmt"
	"math"
	"runtime"

	"github.com/assayhq/assay/training/frame"
)

// bind finds the model's features in x by name.
func (m *Model) bind(x *frame.Matrix) ([]column, error) {
	if x == nil {
		return nil, fmt.Errorf("%w: nil matrix", ErrFeatures)
	}
	byName := make(map[string]int, len(x.Features))
	for j := range x.Features {
		name := x.Features[j].Name
		if _, dup := byName[name]; dup {
			return nil, fmt.Errorf("%w: feature %s appears twice", ErrFeatures, name)
		}
		byName[name] = j
	}
	cols := make([]column, len(m.features))
	for i := range m.features {
		mf := &m.features[i]
		j, ok := byName[mf.name]
		if !ok {
			return nil, fmt.Errorf("%w: no feature %s", ErrFeatures, mf.name)
		}
		xf := &x.Features[j]
		if xf.Kind != mf.kind {
			return nil, fmt.Errorf("%w: feature %s is %s, the model's is %s", ErrFeatures, mf.name, xf.Kind, mf.kind)
		}
		if xf.Len() != x.Rows {
			return nil, fmt.Errorf("%w: feature %s has %d rows, want %d", ErrFeatures, mf.name, xf.Len(), x.Rows)
		}
		if mf.kind == frame.Numeric {
			cols[i].num = xf.Num
			continue
		}
		index := make(map[string]int32, len(mf.levels))
		for c, lv := range mf.levels {
			if mf.seen[c] {
				index[lv] = int32(c)
			}
		}
		remap := make([]int32, len(xf.Levels))
		for c, lv := range xf.Levels {
			t, ok := index[lv]
			if !ok {
				t = -1
			}
			remap[c] = t
		}
		cols[i] = column{cat: xf.Cat, remap: remap}
	}
	return cols, nil
}

// PredictRaw writes the raw scores of the rows of x to out, which must
// have x.Rows*NumScores() entries: row r's scores at out[r*NumScores():].
// A binary classifier's score is the log-odds of the second class; a
// multiclass classifier's are the inputs of the softmax; a regressor's is
// the prediction. Features are found in x by name; a categorical level
// the model did not see in training counts as missing.
func (m *Model) PredictRaw(x *frame.Matrix, out []float64) error {
	cols, err := m.bind(x)
	if err != nil {
		return err
	}
	if len(out) != x.Rows*m.k {
		return fmt.Errorf("gbdt: predict %d rows: out has %d entries, want %d", x.Rows, len(out), x.Rows*m.k)
	}
	m.predictRaw(cols, x.Rows, out)
	return nil
}

func (m *Model) predictRaw(cols []column, n int, out []float64) {
	nf, k := len(cols), m.k
	blocks := chunks(n, predictBlock)
	workers := runtime.GOMAXPROCS(0)
	bufs := make([][]float64, min(workers, blocks))
	parallelW(blocks, workers, func(w, b int) {
		if bufs[w] == nil {
			bufs[w] = make([]float64, predictBlock*2*nf)
		}
		lo := b * predictBlock
		hi := min(lo+predictBlock, n)
		buf := bufs[w][:(hi-lo)*2*nf]
		fillRows(cols, nil, lo, hi, buf)
		o := out[lo*k : hi*k]
		for r := 0; r < len(o); r += k {
			copy(o[r:r+k], m.baseline)
		}
		m.pred.add(buf, nf, k, o)
	})
}

// PredictProba writes the class probabilities of the rows of x to out,
// which must have x.Rows*len(Classes()) entries: row r's at
// out[r*len(Classes()):], in the order of Classes.
func (m *Model) PredictProba(x *frame.Matrix, out []float64) error {
	if m.task != frame.Classification {
		return fmt.Errorf("gbdt: PredictProba on a regressor of %s", m.target)
	}
	nc := len(m.classes)
	if x != nil && len(out) != x.Rows*nc {
		return fmt.Errorf("gbdt: predict %d rows: out has %d entries, want %d", x.Rows, len(out), x.Rows*nc)
	}
	cols, err := m.bind(x)
	if err != nil {
		return err
	}
	n := x.Rows
	if m.k == 1 {
		// Scores first fill the front of out; spreading them to two
		// columns from the back overwrites only used scores.
		m.predictRaw(cols, n, out[:n])
		for r := n - 1; r >= 0; r-- {
			p := sigmoid(out[r])
			out[2*r+1] = p
			out[2*r] = 1 - p
		}
		return nil
	}
	m.predictRaw(cols, n, out)
	for r := range n {
		softmax(out[r*nc : (r+1)*nc])
	}
	return nil
}

// PredictClass writes the most probable class code of each row of x to
// out, which must have x.Rows entries.
func (m *Model) PredictClass(x *frame.Matrix, out []int32) error {
	if m.task != frame.Classification {
		return fmt.Errorf("gbdt: PredictClass on a regressor of %s", m.target)
	}
	if x != nil && len(out) != x.Rows {
		return fmt.Errorf("gbdt: predict %d rows: out has %d entries, want %d", x.Rows, len(out), x.Rows)
	}
	cols, err := m.bind(x)
	if err != nil {
		return err
	}
	raw := make([]float64, x.Rows*m.k)
	m.predictRaw(cols, x.Rows, raw)
	for r := range out {
		if m.k == 1 {
			out[r] = 0
			if raw[r] > 0 {
				out[r] = 1
			}
			continue
		}
		s := raw[r*m.k : (r+1)*m.k]
		best := 0
		for c, v := range s {
			if v > s[best] {
				best = c
			}
		}
		out[r] = int32(best)
	}
	return nil
}

// PredictValue writes the predictions of a regressor for the rows of x
// to out, which must have x.Rows entries.
func (m *Model) PredictValue(x *frame.Matrix, out []float64) error {
	if m.task != frame.Regression {
		return fmt.Errorf("gbdt: PredictValue on a classifier of %s", m.target)
	}
	return m.PredictRaw(x, out)
}

func sigmoid(r float64) float64 {
	if r >= 0 {
		return 1 / (1 + math.Exp(-r))
	}
	e := math.Exp(r)
	return e / (1 + e)
}

// softmax turns the scores s into probabilities in place.
func softmax(s []float64) {
	m := math.Inf(-1)
	for _, v := range s {
		m = max(m, v)
	}
	var z float64
	for i, v := range s {
		s[i] = math.Exp(v - m)
		z += s[i]
	}
	for i := range s {
		s[i] /= z
	}
}

// validation holds the rows held out for early stopping and their raw
// scores so far.
type validation struct {
	obj     *objective
	rows    []float64 // blocks of predictBlock rows, as predictor.add reads them
	nf      int
	raw     []float64 // class-major, as objective reads them
	scratch []float64 // row-major scores of one iteration
	workers int
}

func newValidation(x *frame.Matrix, y *frame.Target, valRows []int32, m *Model, loss lossKind, k, workers int) *validation {
	nf := len(x.Features)
	nv := len(valRows)
	v := &validation{
		obj:     newObjective(loss, k, y, valRows),
		rows:    make([]float64, nv*2*nf),
		nf:      nf,
		raw:     make([]float64, k*nv),
		scratch: make([]float64, k*nv),
		workers: workers,
	}
	cols := make([]column, nf)
	for j := range x.Features {
		f := &x.Features[j]
		if f.Kind == frame.Numeric {
			cols[j].num = f.Num
			continue
		}
		remap := make([]int32, len(f.Levels))
		for c := range remap {
			remap[c] = -1
			if m.features[j].seen[c] {
				remap[c] = int32(c)
			}
		}
		cols[j] = column{cat: f.Cat, remap: remap}
	}
	fillRows(cols, valRows, 0, nv, v.rows)
	for c := range k {
		fill(v.raw[c*nv:(c+1)*nv], m.baseline[c])
	}
	return v
}

// add adds the outputs of the k trees of one iteration to the scores.
func (v *validation) add(trees []tree) {
	p := compileTrees(trees)
	k := len(trees)
	nv := len(v.raw) / k
	width := 2 * v.nf
	clear(v.scratch)
	parallel(chunks(nv, predictBlock), v.workers, func(b int) {
		lo := b * predictBlock
		hi := min(lo+predictBlock, nv)
		p.add(v.rows[lo*width:hi*width], v.nf, k, v.scratch[lo*k:hi*k])
	})
	for i := range nv {
		for c := range k {
			v.raw[c*nv+i] += v.scratch[i*k+c]
		}
	}
}

func (v *validation) loss() float64 { return v.obj.loss(v.raw, v.workers) }
