package gbdt

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/training/frame"
)

func numeric(name string, v []float64) frame.Feature {
	return frame.Feature{Name: name, Kind: frame.Numeric, Num: v}
}

func regression(v []float64) *frame.Target {
	return &frame.Target{Name: "y", Task: frame.Regression, Value: v}
}

func train(t *testing.T, x *frame.Matrix, y *frame.Target, p Params) *Model {
	t.Helper()
	m, err := Train(context.Background(), x, y, p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func predictRaw(t *testing.T, m *Model, x *frame.Matrix) []float64 {
	t.Helper()
	out := make([]float64, x.Rows*m.NumScores())
	if err := m.PredictRaw(x, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// stump returns params for a single split.
func stump() Params {
	p := DefaultParams()
	p.MaxIter = 1
	p.MaxLeafNodes = 2
	return p
}

func TestThresholds(t *testing.T) {
	// Wanted values from scikit-learn 1.2.1's _find_binning_thresholds.
	seq := make([]float64, 1000)
	for i := range seq {
		seq[i] = float64(i)
	}
	mixed := make([]float64, 300)
	for i := range mixed {
		mixed[i] = float64(i%7)*float64(i%7) + float64(i)/1000
	}
	tests := []struct {
		name    string
		vals    []float64
		maxBins int
		want    []float64
	}{
		{"quantiles", seq, 10, []float64{99.5, 199.5, 299.5, 399.5, 499.5, 599.5, 699.5, 799.5, 899.5}},
		{"distinct", []float64{3, 1, 2, 2, 1, 5}, 10, []float64{1.5, 2.5, 4}},
		{"uneven", mixed, 5, []float64{1.1165, 4.2364999999999995, 16.0565, 25.176499999999997}},
		{"constant", []float64{7, 7, 7}, 10, nil},
		{"huge", []float64{0, math.MaxFloat64}, 10, []float64{1e300}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := thresholds(slices.Clone(tt.vals), tt.maxBins)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 1e-9*math.Abs(tt.want[i]) {
					t.Errorf("threshold %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestKnownSplit(t *testing.T) {
	// y steps from 0 to 1 between x0 = 59 and 60; x1 is noise.
	rng := rand.New(rand.NewPCG(1, 2))
	n := 100
	x0, x1, y := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		x0[i] = float64(i)
		x1[i] = rng.Float64()
		if i >= 60 {
			y[i] = 1
		}
	}
	x := &frame.Matrix{Rows: n, Features: []frame.Feature{numeric("x0", x0), numeric("x1", x1)}}
	m := train(t, x, regression(y), stump())
	root := m.trees[0].nodes[0]
	if root.feature != 0 || root.threshold != 59.5 {
		t.Fatalf("root splits feature %d at %v, want feature 0 at 59.5", root.feature, root.threshold)
	}
	// Leaves hold 0.1 × the mean residual from the baseline 0.4 (up to
	// the float32 precision of gradients).
	left, right := m.trees[0].nodes[root.left], m.trees[0].nodes[root.left+1]
	if math.Abs(left.value - -0.04) > 1e-8 || math.Abs(right.value-0.06) > 1e-8 {
		t.Errorf("leaf values %v, %v, want -0.04, 0.06", left.value, right.value)
	}
	if left.count != 60 || right.count != 40 {
		t.Errorf("leaf counts %d, %d, want 60, 40", left.count, right.count)
	}
	// The gain is the drop of the squared error: 100·0.24 - 0 = 24.
	if math.Abs(root.gain-24) > 1e-5 {
		t.Errorf("gain %v, want 24", root.gain)
	}
	if imp := m.FeatureImportances(); imp[0] != 1 || imp[1] != 0 {
		t.Errorf("importances %v, want [1 0]", imp)
	}
	pred := predictRaw(t, m, x)
	for i, p := range pred {
		want := 0.4 - 0.04
		if i >= 60 {
			want = 0.4 + 0.06
		}
		if math.Abs(p-want) > 1e-8 {
			t.Fatalf("row %d: predicted %v, want %v", i, p, want)
		}
	}
	if tl := m.TrainLoss(); len(tl) != 2 || math.Abs(tl[0]-0.12) > 1e-12 {
		t.Errorf("training losses %v, want 2 starting at 0.12", tl)
	}
}

func TestMissingValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 1000
	tests := []struct {
		name       string
		target     func(v float64) float64
		wantLeft   bool
		wantThresh float64 // NaN: any finite threshold
	}{
		// Only missingness carries the signal: every non-missing value
		// goes left, missing ones right.
		{"missing alone", func(v float64) float64 {
			if math.IsNaN(v) {
				return 1
			}
			return 0
		}, false, math.Inf(1)},
		// Missing values behave like small ones: they go left with them.
		{"missing with small values", func(v float64) float64 {
			if math.IsNaN(v) || v < 0.3 {
				return 1
			}
			return 0
		}, true, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, y := make([]float64, n), make([]float64, n)
			for i := range n {
				v[i] = rng.Float64()
				if rng.Float64() < 0.3 {
					v[i] = math.NaN()
				}
				y[i] = tt.target(v[i])
			}
			x := &frame.Matrix{Rows: n, Features: []frame.Feature{numeric("v", v)}}
			m := train(t, x, regression(y), stump())
			root := m.trees[0].nodes[0]
			if root.missLeft != tt.wantLeft {
				t.Errorf("missing values go left: %v, want %v", root.missLeft, tt.wantLeft)
			}
			if !math.IsNaN(tt.wantThresh) && root.threshold != tt.wantThresh {
				t.Errorf("threshold %v, want %v", root.threshold, tt.wantThresh)
			}
			if math.IsNaN(tt.wantThresh) && math.Abs(root.threshold-0.3) > 0.01 {
				t.Errorf("threshold %v, want about 0.3", root.threshold)
			}
			probe := &frame.Matrix{Rows: 3, Features: []frame.Feature{numeric("v", []float64{math.NaN(), 0.1, 0.9})}}
			pred := predictRaw(t, m, probe)
			if !(pred[0] > pred[2]) {
				t.Errorf("predictions for missing, 0.1, 0.9: %v; want missing above 0.9", pred)
			}
		})
	}
}

func TestMissingUnseenInTraining(t *testing.T) {
	// No missing values in training: at prediction they follow the
	// child that had more rows (here the left, 80 of 100).
	n := 100
	v, y := make([]float64, n), make([]float64, n)
	for i := range n {
		v[i] = float64(i)
		if i >= 80 {
			y[i] = 1
		}
	}
	x := &frame.Matrix{Rows: n, Features: []frame.Feature{numeric("v", v)}}
	m := train(t, x, regression(y), stump())
	probe := &frame.Matrix{Rows: 2, Features: []frame.Feature{numeric("v", []float64{math.NaN(), 0})}}
	pred := predictRaw(t, m, probe)
	if pred[0] != pred[1] {
		t.Errorf("missing predicted %v, want %v as the larger (left) child", pred[0], pred[1])
	}
}

func TestCategoricalSubset(t *testing.T) {
	// The signal is in levels {b, e, h} of ten: no threshold on the codes
	// separates them, a set does.
	levels := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	hot := map[int32]bool{1: true, 4: true, 7: true}
	rng := rand.New(rand.NewPCG(5, 6))
	n := 2000
	codes, y := make([]int32, n), make([]float64, n)
	for i := range n {
		codes[i] = int32(rng.IntN(len(levels)))
		if hot[codes[i]] {
			y[i] = 1
		}
	}
	x := &frame.Matrix{Rows: n, Features: []frame.Feature{{Name: "c", Kind: frame.Categorical, Cat: codes, Levels: levels}}}
	m := train(t, x, regression(y), stump())
	tr := m.trees[0]
	root := tr.nodes[0]
	if root.feature != 0 || root.cats < 0 {
		t.Fatalf("root is not a categorical split: %+v", root)
	}
	set := tr.cats[root.cats]
	var left []int32
	for c := range int32(len(levels)) {
		if set.has(uint8(c)) {
			left = append(left, c)
		}
	}
	hotLeft := hot[left[0]]
	for c := range int32(len(levels)) {
		if set.has(uint8(c)) != (hot[c] == hotLeft) {
			t.Fatalf("left set %v, want {1 4 7} or its complement", left)
		}
	}
	// A single split separates the hot levels exactly.
	pred := predictRaw(t, m, x)
	for i := range n {
		for j := range n {
			if hot[codes[i]] == hot[codes[j]] && pred[i] != pred[j] {
				t.Fatalf("rows %d and %d: predictions %v and %v differ within a group", i, j, pred[i], pred[j])
			}
		}
		if i > 50 {
			break
		}
	}
}

func TestCategoricalPrediction(t *testing.T) {
	// Prediction finds features by name, maps levels by name, and treats
	// a level unknown to training like a missing value.
	x, y := synth(5000, 7)
	m := train(t, x, y, DefaultParams())
	want := predictRaw(t, m, x)

	t.Run("reordered features", func(t *testing.T) {
		r := &frame.Matrix{Rows: x.Rows, Features: slices.Clone(x.Features)}
		slices.Reverse(r.Features)
		if got := predictRaw(t, m, r); !slices.Equal(got, want) {
			t.Error("predictions change when features are reordered")
		}
	})
	t.Run("renumbered levels", func(t *testing.T) {
		r := &frame.Matrix{Rows: x.Rows, Features: slices.Clone(x.Features)}
		c := &r.Features[len(r.Features)-1]
		old := c.Levels
		c.Levels = append([]string{"new"}, old...) // codes shift by one
		c.Cat = make([]int32, x.Rows)
		for i, code := range x.Features[len(x.Features)-1].Cat {
			c.Cat[i] = code + 1
		}
		if got := predictRaw(t, m, r); !slices.Equal(got, want) {
			t.Error("predictions change when level codes change")
		}
		// Rows of the unknown level predict as missing ones.
		c.Cat = slices.Clone(c.Cat)
		miss := slices.Clone(c.Cat)
		for i := range c.Cat {
			c.Cat[i] = 0
			miss[i] = frame.Missing
		}
		got := predictRaw(t, m, r)
		c.Cat = miss
		if gotMiss := predictRaw(t, m, r); !slices.Equal(got, gotMiss) {
			t.Error("an unknown level predicts unlike a missing value")
		}
	})
	t.Run("missing feature", func(t *testing.T) {
		r := &frame.Matrix{Rows: x.Rows, Features: x.Features[1:]}
		err := m.PredictRaw(r, make([]float64, x.Rows))
		if !errors.Is(err, ErrFeatures) || !strings.Contains(err.Error(), "x0") {
			t.Errorf("got %v, want ErrFeatures naming x0", err)
		}
	})
	t.Run("wrong kind", func(t *testing.T) {
		r := &frame.Matrix{Rows: x.Rows, Features: slices.Clone(x.Features)}
		r.Features[0] = frame.Feature{Name: "x0", Kind: frame.Categorical, Cat: make([]int32, x.Rows), Levels: []string{"a"}}
		if err := m.PredictRaw(r, make([]float64, x.Rows)); !errors.Is(err, ErrFeatures) {
			t.Errorf("got %v, want ErrFeatures", err)
		}
	})
	t.Run("short buffer", func(t *testing.T) {
		if err := m.PredictProba(x, make([]float64, x.Rows)); err == nil {
			t.Error("no error for a buffer of one entry per row")
		}
	})
}

func TestLimits(t *testing.T) {
	x, y := synth(5000, 8)
	tests := []struct {
		name  string
		leaf  int
		nodes int
		depth int
		full  bool // the first tree reaches the leaf cap on this data
	}{
		{"min samples", 200, 31, 0, false},
		{"max leaves", 20, 5, 0, true},
		{"max depth", 20, 31, 3, false},
		{"no leaf cap", 50, 0, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultParams()
			p.MaxIter = 20
			p.MinSamplesLeaf = tt.leaf
			p.MaxLeafNodes = tt.nodes
			p.MaxDepth = tt.depth
			m := train(t, x, y, p)
			for i, tr := range m.trees {
				leaves := 0
				for _, n := range tr.nodes {
					if n.feature < 0 {
						leaves++
						if int(n.count) < tt.leaf {
							t.Fatalf("tree %d: leaf of %d rows, MinSamplesLeaf %d", i, n.count, tt.leaf)
						}
					}
				}
				if tt.nodes > 0 && leaves > tt.nodes {
					t.Fatalf("tree %d: %d leaves, MaxLeafNodes %d", i, leaves, tt.nodes)
				}
				if d := tr.depth(); tt.depth > 0 && int(d) > tt.depth {
					t.Fatalf("tree %d: depth %d, MaxDepth %d", i, d, tt.depth)
				}
				if tt.full && i == 0 && leaves != tt.nodes {
					t.Errorf("tree 0: %d leaves, want the cap %d on this data", leaves, tt.nodes)
				}
			}
		})
	}
}

func TestMulticlass(t *testing.T) {
	// Three Gaussian blobs in the plane, plus a noise feature.
	rng := rand.New(rand.NewPCG(9, 10))
	centres := [3][2]float64{{0, 0}, {3, 0}, {0, 3}}
	make3 := func(n int) (*frame.Matrix, *frame.Target) {
		a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
		cls := make([]int32, n)
		for i := range n {
			k := rng.IntN(3)
			cls[i] = int32(k)
			a[i] = centres[k][0] + rng.NormFloat64()*0.7
			b[i] = centres[k][1] + rng.NormFloat64()*0.7
			c[i] = rng.NormFloat64()
		}
		x := &frame.Matrix{Rows: n, Features: []frame.Feature{numeric("a", a), numeric("b", b), numeric("c", c)}}
		return x, &frame.Target{Name: "k", Task: frame.Classification, Class: cls, Classes: []string{"p", "q", "r"}}
	}
	x, y := make3(3000)
	xt, yt := make3(1000)
	m := train(t, x, y, DefaultParams())
	if m.NumScores() != 3 || len(m.trees) != 3*m.NumIter() {
		t.Fatalf("%d scores, %d trees for %d iterations; want 3 trees per iteration", m.NumScores(), len(m.trees), m.NumIter())
	}
	proba := make([]float64, 3*xt.Rows)
	if err := m.PredictProba(xt, proba); err != nil {
		t.Fatal(err)
	}
	cls := make([]int32, xt.Rows)
	if err := m.PredictClass(xt, cls); err != nil {
		t.Fatal(err)
	}
	correct := 0
	for i := range xt.Rows {
		p := proba[3*i : 3*i+3]
		if s := p[0] + p[1] + p[2]; math.Abs(s-1) > 1e-12 {
			t.Fatalf("row %d: probabilities %v sum to %v", i, p, s)
		}
		if best := int32(slices.Index(p, slices.Max(p))); best != cls[i] {
			t.Fatalf("row %d: PredictClass %d, most probable %d", i, cls[i], best)
		}
		if cls[i] == yt.Class[i] {
			correct++
		}
	}
	// The Bayes rate of these blobs is about 0.98.
	if acc := float64(correct) / float64(xt.Rows); acc < 0.95 {
		t.Errorf("test accuracy %.3f, want >= 0.95", acc)
	}
	if tl := m.TrainLoss(); !(tl[len(tl)-1] < tl[0]/5) {
		t.Errorf("training loss went from %v to %v", tl[0], tl[len(tl)-1])
	}
}

func TestDeterministic(t *testing.T) {
	x, y := synth(30_000, 11) // early stopping on: exercises the split
	p := DefaultParams()
	p.MaxIter = 30
	p.Seed = 42
	encode := func() []byte {
		m := train(t, x, y, p)
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := encode()
	if again := encode(); !slices.Equal(first, again) {
		t.Error("two runs give different models")
	}
	old := runtime.GOMAXPROCS(1)
	one := encode()
	runtime.GOMAXPROCS(old)
	if !slices.Equal(first, one) {
		t.Error("one worker gives another model than several")
	}
	p.Seed = 43
	if other := encode(); slices.Equal(first, other) {
		t.Error("another seed gives the same model")
	}
}

func TestEarlyStopping(t *testing.T) {
	// A target of pure noise: the validation loss soon stops improving.
	rng := rand.New(rand.NewPCG(12, 13))
	n := 12_000 // above 10,000: "auto" turns early stopping on
	a, b := make([]float64, n), make([]float64, n)
	cls := make([]int32, n)
	for i := range n {
		a[i], b[i] = rng.NormFloat64(), rng.NormFloat64()
		cls[i] = int32(rng.IntN(2))
	}
	x := &frame.Matrix{Rows: n, Features: []frame.Feature{numeric("a", a), numeric("b", b)}}
	y := &frame.Target{Name: "y", Task: frame.Classification, Class: cls, Classes: []string{"0", "1"}}
	p := DefaultParams()
	p.MaxIter = 200
	m := train(t, x, y, p)
	vl := m.ValidLoss()
	t.Logf("stopped after %d iterations; validation losses %.5f … %.5f", m.NumIter(), vl[0], vl[len(vl)-1])
	if m.NumIter() >= 100 {
		t.Errorf("%d iterations, want early stopping well before 100", m.NumIter())
	}
	if len(vl) != m.NumIter()+1 || len(m.TrainLoss()) != m.NumIter()+1 {
		t.Fatalf("%d validation and %d training losses for %d iterations", len(vl), len(m.TrainLoss()), m.NumIter())
	}
	if !shouldStop(vl, p.NIterNoChange, p.Tol) {
		t.Errorf("stopped though the last losses %v improve", vl[len(vl)-p.NIterNoChange-1:])
	}
	if shouldStop(vl[:len(vl)-1], p.NIterNoChange, p.Tol) {
		t.Error("did not stop at the first chance")
	}

	p.EarlyStopping = EarlyStoppingOff
	if m := train(t, x, y, p); m.NumIter() != 200 || m.ValidLoss() != nil {
		t.Errorf("without early stopping: %d iterations and validation losses %v", m.NumIter(), m.ValidLoss())
	}
}

func TestShouldStop(t *testing.T) {
	tests := []struct {
		losses []float64
		want   bool
	}{
		{[]float64{1, 0.9, 0.8}, false},      // too few
		{[]float64{1, 0.9, 0.95, 0.9}, true}, // no gain on 0.9 over two
		{[]float64{1, 0.9, 0.95, 0.89}, false},
		{[]float64{1, 0.9, 0.9 - 1e-9, 0.9}, true}, // within tol
	}
	for _, tt := range tests {
		if got := shouldStop(tt.losses, 2, 1e-7); got != tt.want {
			t.Errorf("shouldStop(%v, 2, 1e-7) = %v, want %v", tt.losses, got, tt.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	x, y := synth(20_000, 14)
	p := DefaultParams()
	p.MaxIter = 40
	m := train(t, x, y, p)
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Model
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if want, have := predictRaw(t, m, x), predictRaw(t, &got, x); !slices.Equal(want, have) {
		t.Error("decoded model predicts otherwise")
	}
	if !slices.Equal(m.FeatureImportances(), got.FeatureImportances()) ||
		!slices.Equal(m.TrainLoss(), got.TrainLoss()) || !slices.Equal(m.ValidLoss(), got.ValidLoss()) ||
		m.Params() != got.Params() || !slices.Equal(m.Classes(), got.Classes()) || !slices.Equal(m.Features(), got.Features()) {
		t.Error("decoded model differs")
	}
	again, _ := got.MarshalBinary()
	if !slices.Equal(b, again) {
		t.Error("re-encoding gives other bytes")
	}

	t.Run("corrupt", func(t *testing.T) {
		flip := slices.Clone(b)
		flip[len(flip)/2] ^= 1
		version := slices.Clone(b)
		version[4] = 2
		for name, data := range map[string][]byte{
			"empty":     nil,
			"truncated": b[:len(b)-1],
			"flipped":   flip,
			"version":   version,
			"magic":     append([]byte("XXXX"), b[4:]...),
		} {
			if err := new(Model).UnmarshalBinary(data); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s: got %v, want ErrCorrupt", name, err)
			}
		}
	})
}

func TestParamsValidate(t *testing.T) {
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	tests := []struct {
		name   string
		change func(*Params)
		want   []string
	}{
		{"loss", func(p *Params) { p.Loss = "hinge" }, []string{"Loss"}},
		{"learning rate", func(p *Params) { p.LearningRate = 0 }, []string{"LearningRate"}},
		{"nan learning rate", func(p *Params) { p.LearningRate = math.NaN() }, []string{"LearningRate"}},
		{"iterations", func(p *Params) { p.MaxIter = 0 }, []string{"MaxIter"}},
		{"leaves", func(p *Params) { p.MaxLeafNodes = 1 }, []string{"MaxLeafNodes"}},
		{"depth", func(p *Params) { p.MaxDepth = -1 }, []string{"MaxDepth"}},
		{"leaf rows", func(p *Params) { p.MinSamplesLeaf = 0 }, []string{"MinSamplesLeaf"}},
		{"l2", func(p *Params) { p.L2Regularization = -1 }, []string{"L2Regularization"}},
		{"bins", func(p *Params) { p.MaxBins = 256 }, []string{"MaxBins"}},
		{"early stopping", func(p *Params) { p.EarlyStopping = "yes" }, []string{"EarlyStopping"}},
		{"fraction", func(p *Params) { p.ValidationFraction = 1 }, []string{"ValidationFraction"}},
		{"patience", func(p *Params) { p.NIterNoChange = 0 }, []string{"NIterNoChange"}},
		{"tol", func(p *Params) { p.Tol = -1 }, []string{"Tol"}},
		{"zero value", func(p *Params) { *p = Params{} }, []string{"Loss", "LearningRate", "MaxIter", "MinSamplesLeaf", "MaxBins", "EarlyStopping"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultParams()
			tt.change(&p)
			err := p.Validate()
			if !errors.Is(err, ErrParams) {
				t.Fatalf("got %v, want ErrParams", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
		})
	}
	p := DefaultParams()
	p.EarlyStopping = EarlyStoppingOff
	p.ValidationFraction = 0 // unused without early stopping
	if err := p.Validate(); err != nil {
		t.Errorf("ValidationFraction 0 without early stopping: %v", err)
	}
}

func TestTrainErrors(t *testing.T) {
	levels := make([]string, 300)
	for i := range levels {
		levels[i] = string(rune('A'+i/26)) + string(rune('a'+i%26))
	}
	wide := &frame.Matrix{Rows: 3, Features: []frame.Feature{{Name: "zip", Kind: frame.Categorical, Cat: []int32{0, 1, 299}, Levels: levels}}}
	small := &frame.Matrix{Rows: 3, Features: []frame.Feature{numeric("a", []float64{1, 2, 3})}}
	classes := func(cls []int32, names ...string) *frame.Target {
		return &frame.Target{Name: "y", Task: frame.Classification, Class: cls, Classes: names}
	}
	squared := DefaultParams()
	squared.Loss = LossSquared
	tests := []struct {
		name string
		x    *frame.Matrix
		y    *frame.Target
		p    Params
		want error
		text string
	}{
		{"too many levels", wide, regression([]float64{1, 2, 3}), DefaultParams(), ErrData, "zip"},
		{"target length", small, regression([]float64{1, 2}), DefaultParams(), ErrData, "rows"},
		{"one class", small, classes([]int32{0, 0, 0}, "a"), DefaultParams(), ErrData, "classes"},
		{"class code", small, classes([]int32{0, 2, 1}, "a", "b"), DefaultParams(), ErrData, "code"},
		{"nan target", small, regression([]float64{1, math.NaN(), 3}), DefaultParams(), ErrData, "finite"},
		{"no rows", &frame.Matrix{}, regression(nil), DefaultParams(), ErrData, "no rows"},
		{"duplicate feature", &frame.Matrix{Rows: 3, Features: []frame.Feature{small.Features[0], small.Features[0]}}, regression([]float64{1, 2, 3}), DefaultParams(), ErrData, "twice"},
		{"no features", &frame.Matrix{Rows: 3}, regression([]float64{1, 2, 3}), DefaultParams(), ErrData, "no features"},
		{"loss for task", small, classes([]int32{0, 1, 1}, "a", "b"), squared, ErrParams, "squared_error"},
		{"params", small, regression([]float64{1, 2, 3}), Params{}, ErrParams, "MaxIter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Train(context.Background(), tt.x, tt.y, tt.p)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("got %v, want %v mentioning %q", err, tt.want, tt.text)
			}
		})
	}
}

func TestTrainCancel(t *testing.T) {
	x, y := synth(1000, 15)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, x, y, DefaultParams()); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestSmallData(t *testing.T) {
	// Fewer rows than two leaves need: every tree is a single leaf, and
	// the model predicts the baseline.
	x := &frame.Matrix{Rows: 5, Features: []frame.Feature{numeric("a", []float64{1, 2, 3, 4, 5})}}
	m := train(t, x, regression([]float64{1, 2, 3, 4, 5}), DefaultParams())
	for _, p := range predictRaw(t, m, x) {
		if p != 3 {
			t.Fatalf("predicted %v, want the mean 3", p)
		}
	}
}

func TestPredictKinds(t *testing.T) {
	x, y := synth(3000, 19)
	m := train(t, x, y, DefaultParams())
	proba := make([]float64, 2*x.Rows)
	if err := m.PredictProba(x, proba); err != nil {
		t.Fatal(err)
	}
	raw := predictRaw(t, m, x)
	cls := make([]int32, x.Rows)
	if err := m.PredictClass(x, cls); err != nil {
		t.Fatal(err)
	}
	for i := range x.Rows {
		p0, p1 := proba[2*i], proba[2*i+1]
		if math.Abs(p0+p1-1) > 1e-15 || math.Abs(p1-1/(1+math.Exp(-raw[i]))) > 1e-15 {
			t.Fatalf("row %d: probabilities %v, %v for raw score %v", i, p0, p1, raw[i])
		}
		if (cls[i] == 1) != (p1 > 0.5) {
			t.Fatalf("row %d: class %d for P(1) = %v", i, cls[i], p1)
		}
	}
	if err := m.PredictValue(x, make([]float64, x.Rows)); err == nil {
		t.Error("PredictValue on a classifier: no error")
	}
	empty := &frame.Matrix{Rows: 0, Features: []frame.Feature{}}
	for _, f := range x.Features {
		empty.Features = append(empty.Features, frame.Feature{Name: f.Name, Kind: f.Kind, Levels: f.Levels})
	}
	if err := m.PredictProba(empty, nil); err != nil {
		t.Errorf("no rows: %v", err)
	}

	r := train(t, x, regression(x.Features[0].Num), DefaultParams())
	if err := r.PredictProba(x, proba); err == nil {
		t.Error("PredictProba on a regressor: no error")
	}
	if err := r.PredictClass(x, cls); err == nil {
		t.Error("PredictClass on a regressor: no error")
	}
}
