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
	return m.predict(x, output{kind: outRaw, f: out}, m.k)
}

// PredictProba writes the class probabilities of the rows of x to out,
// which must have x.Rows*len(Classes()) entries: row r's at
// out[r*len(Classes()):], in the order of Classes.
func (m *Model) PredictProba(x *frame.Matrix, out []float64) error {
	if m.task != frame.Classification {
		return fmt.Errorf("gbdt: PredictProba on a regressor of %s", m.target)
	}
	return m.predict(x, output{kind: outProba, f: out}, len(m.classes))
}

// PredictClass writes the most probable class code of each row of x to
// out, which must have x.Rows entries.
func (m *Model) PredictClass(x *frame.Matrix, out []int32) error {
	if m.task != frame.Classification {
		return fmt.Errorf("gbdt: PredictClass on a regressor of %s", m.target)
	}
	return m.predict(x, output{kind: outClass, c: out}, 1)
}

// PredictValue writes the predictions of a regressor for the rows of x
// to out, which must have x.Rows entries.
func (m *Model) PredictValue(x *frame.Matrix, out []float64) error {
	if m.task != frame.Regression {
		return fmt.Errorf("gbdt: PredictValue on a classifier of %s", m.target)
	}
	return m.PredictRaw(x, out)
}

type outKind uint8

const (
	outRaw outKind = iota
	outProba
	outClass
)

// output is where predict writes, and what.
type output struct {
	kind outKind
	f    []float64
	c    []int32
}

// predict checks x and the length of out (per rows entries per row) and
// writes the predictions of the rows of x, block by block in parallel.
func (m *Model) predict(x *frame.Matrix, out output, per int) error {
	cols, err := m.bind(x)
	if err != nil {
		return err
	}
	n := x.Rows
	if got := max(len(out.f), len(out.c)); got != n*per {
		return fmt.Errorf("gbdt: predict %d rows: out has %d entries, want %d", n, got, n*per)
	}
	nf, k := len(cols), m.k
	blocks := chunks(n, predictBlock)
	workers := runtime.GOMAXPROCS(0)
	type scratch struct{ rows, scores []float64 }
	bufs := make([]scratch, min(workers, blocks))
	parallelW(blocks, workers, func(w, b int) {
		buf := &bufs[w]
		if buf.rows == nil {
			buf.rows = make([]float64, predictBlock*2*nf)
			buf.scores = make([]float64, predictBlock*k)
		}
		lo := b * predictBlock
		hi := min(lo+predictBlock, n)
		rows := buf.rows[:(hi-lo)*2*nf]
		fillRows(cols, nil, lo, hi, rows)
		s := buf.scores[:(hi-lo)*k]
		for r := 0; r < len(s); r += k {
			copy(s[r:r+k], m.baseline)
		}
		m.pred.add(rows, nf, k, s)
		m.emit(s, lo, hi, out)
	})
	return nil
}

// emit writes the scores s of rows lo to hi to out.
func (m *Model) emit(s []float64, lo, hi int, out output) {
	k := m.k
	switch {
	case out.kind == outRaw:
		copy(out.f[lo*k:hi*k], s)
	case out.kind == outProba && k == 1:
		o := out.f[2*lo : 2*hi]
		for r, v := range s {
			p := sigmoid(v)
			o[2*r] = 1 - p
			o[2*r+1] = p
		}
	case out.kind == outProba:
		o := out.f[lo*k : hi*k]
		copy(o, s)
		for r := 0; r < len(o); r += k {
			softmax(o[r : r+k])
		}
	case k == 1:
		for r, v := range s {
			out.c[lo+r] = 0
			if v > 0 {
				out.c[lo+r] = 1
			}
		}
	default:
		for r := range hi - lo {
			row := s[r*k : (r+1)*k]
			best := 0
			for c, v := range row {
				if v > row[best] {
					best = c
				}
			}
			out.c[lo+r] = int32(best)
		}
	}
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
