package gbdt

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"

	"github.com/assayhq/assay/training/frame"
)

// Train fits a model of target y on the features of x. Rows of x and y
// correspond; x must have at least one feature, with distinct names.
//
// With early stopping, Train holds out ValidationFraction of the rows
// (of each class, for classification), drawn with Seed, and stops when
// the loss on them has not improved by more than Tol for NIterNoChange
// iterations, keeping every tree grown, as scikit-learn does; the rows
// held out are not those scikit-learn would pick.
//
// The same data, params and seed give a bit-identical model, whatever the
// number of CPUs. Train uses GOMAXPROCS goroutines and checks ctx between
// iterations.
func Train(ctx context.Context, x *frame.Matrix, y *frame.Target, p Params) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkData(x, y); err != nil {
		return nil, err
	}
	loss, k, err := resolveLoss(&p, y)
	if err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	nf := len(x.Features)

	early := p.EarlyStopping == EarlyStoppingOn ||
		(p.EarlyStopping == EarlyStoppingAuto && x.Rows > autoEarlyStoppingRows)
	var rows, valRows []int32 // nil rows: all rows train
	if early {
		rows, valRows = holdOut(y, p.ValidationFraction, p.Seed)
		if len(rows) == 0 || len(valRows) == 0 {
			return nil, fmt.Errorf("%w: %d rows are too few to hold out a validation fraction of %v", ErrData, x.Rows, p.ValidationFraction)
		}
	}
	n := x.Rows
	if rows != nil {
		n = len(rows)
	}

	binr, err := fitBinner(x, rows, p.MaxBins, p.Seed, workers)
	if err != nil {
		return nil, err
	}
	bins := make([]uint8, nf*n)
	hasMissing := make([]bool, nf)
	features := make([]featureInfo, nf)
	parallel(nf, workers, func(j int) {
		f := &x.Features[j]
		col := bins[j*n : (j+1)*n]
		binr.binColumn(f, j, rows, col)
		var counts [256]int
		for _, b := range col {
			counts[b]++
		}
		hasMissing[j] = counts[p.MaxBins] > 0
		features[j] = featureInfo{name: f.Name, kind: f.Kind}
		if f.Kind == frame.Categorical {
			features[j].levels = slices.Clone(f.Levels)
			features[j].seen = make([]bool, len(f.Levels))
			for c := range f.Levels {
				features[j].seen[c] = counts[c] > 0
			}
		}
	})

	obj := newObjective(loss, k, y, rows)
	base := obj.baseline()
	raw := make([]float64, k*n)
	for c := range k {
		fill(raw[c*n:(c+1)*n], base[c])
	}
	gh := make([]gpair, k*n)
	constHess := loss == lossSquared

	m := &Model{
		params:   p,
		task:     y.Task,
		loss:     loss,
		target:   y.Name,
		classes:  slices.Clone(y.Classes),
		features: features,
		k:        k,
		baseline: base,
	}
	if y.Task == frame.Regression {
		m.classes = nil
	}

	// Early stopping scores the held-out rows, kept in the layout the
	// predictor reads.
	var val *validation
	if early {
		val = newValidation(x, y, valRows, m, loss, k, workers)
		m.validLoss = append(m.validLoss, val.loss())
	}

	spl := splitter{
		l2:             p.L2Regularization,
		minSamplesLeaf: p.MinSamplesLeaf,
		maxBins:        p.MaxBins,
		nonMissing:     binr.nonMissing,
		hasMissing:     hasMissing,
		categ:          binr.categ,
	}
	gr := newGrower(spl, bins, n, nf, binr.thresholds, p, constHess, workers)
	for it := 0; it < p.MaxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m.trainLoss = append(m.trainLoss, obj.gradients(raw, gh, workers))
		for c := range k {
			t := gr.grow(gh[c*n : (c+1)*n])
			gr.addLeaves(&t, raw[c*n:(c+1)*n])
			m.trees = append(m.trees, t)
		}
		if val != nil {
			val.add(m.trees[len(m.trees)-k:])
			m.validLoss = append(m.validLoss, val.loss())
			if shouldStop(m.validLoss, p.NIterNoChange, p.Tol) {
				break
			}
		}
	}
	m.trainLoss = append(m.trainLoss, obj.loss(raw, workers))
	m.compile()
	return m, nil
}

func fill(s []float64, v float64) {
	for i := range s {
		s[i] = v
	}
}

// checkData checks the shapes of x and y and the values of y.
func checkData(x *frame.Matrix, y *frame.Target) error {
	if x == nil || y == nil {
		return fmt.Errorf("%w: nil matrix or target", ErrData)
	}
	if x.Rows == 0 {
		return fmt.Errorf("%w: no rows", ErrData)
	}
	if len(x.Features) == 0 {
		return fmt.Errorf("%w: no features", ErrData)
	}
	if err := x.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrData, err)
	}
	names := make(map[string]bool, len(x.Features))
	for _, f := range x.Features {
		if names[f.Name] {
			return fmt.Errorf("%w: feature %s appears twice", ErrData, f.Name)
		}
		names[f.Name] = true
	}
	if y.Len() != x.Rows {
		return fmt.Errorf("%w: target %s has %d rows, features %d", ErrData, y.Name, y.Len(), x.Rows)
	}
	if y.Task == frame.Regression {
		for i, v := range y.Value {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: target %s, row %d: value %v is not finite", ErrData, y.Name, i, v)
			}
		}
		return nil
	}
	if len(y.Classes) < 2 {
		return fmt.Errorf("%w: target %s has %d classes, want at least 2", ErrData, y.Name, len(y.Classes))
	}
	if len(y.Classes) > 1<<16 {
		return fmt.Errorf("%w: target %s has %d classes, too many", ErrData, y.Name, len(y.Classes))
	}
	for i, c := range y.Class {
		if c < 0 || int(c) >= len(y.Classes) {
			return fmt.Errorf("%w: target %s, row %d: class code %d out of range (%d classes)", ErrData, y.Name, i, c, len(y.Classes))
		}
	}
	return nil
}

// resolveLoss settles LossAuto and returns the loss and the number of raw
// scores per row.
func resolveLoss(p *Params, y *frame.Target) (lossKind, int, error) {
	if p.Loss == LossAuto {
		p.Loss = LossLog
		if y.Task == frame.Regression {
			p.Loss = LossSquared
		}
	}
	switch {
	case p.Loss == LossSquared && y.Task == frame.Regression:
		return lossSquared, 1, nil
	case p.Loss == LossLog && y.Task == frame.Classification:
		if len(y.Classes) == 2 {
			return lossBinary, 1, nil
		}
		return lossMulti, len(y.Classes), nil
	}
	return 0, 0, fmt.Errorf("%w: Loss %q does not fit the %s target %s", ErrParams, p.Loss, y.Task, y.Name)
}

// newObjective returns the loss over the rows given of y (all rows when
// rows is nil).
func newObjective(loss lossKind, k int, y *frame.Target, rows []int32) *objective {
	n := y.Len()
	if rows != nil {
		n = len(rows)
	}
	o := &objective{kind: loss, k: k, n: n}
	at := func(i int) int {
		if rows == nil {
			return i
		}
		return int(rows[i])
	}
	switch loss {
	case lossMulti:
		o.cls = make([]int32, n)
		for i := range n {
			o.cls[i] = y.Class[at(i)]
		}
	case lossBinary:
		o.y = make([]float64, n)
		for i := range n {
			o.y[i] = float64(y.Class[at(i)])
		}
	default:
		o.y = make([]float64, n)
		for i := range n {
			o.y[i] = y.Value[at(i)]
		}
	}
	return o
}

// holdOut splits the rows into training and validation rows, both
// ascending: for a classification target, each class gives its share of
// validation rows (rounded), drawn with the seed; for regression the
// validation rows are drawn from all.
func holdOut(y *frame.Target, frac float64, seed uint64) (train, val []int32) {
	rng := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	n := y.Len()
	var groups [][]int32
	if y.Task == frame.Classification {
		groups = make([][]int32, len(y.Classes))
		for i, c := range y.Class {
			groups[c] = append(groups[c], int32(i))
		}
	} else {
		all := make([]int32, n)
		for i := range all {
			all[i] = int32(i)
		}
		groups = [][]int32{all}
	}
	isVal := make([]bool, n)
	for _, grp := range groups {
		k := int(math.Round(frac * float64(len(grp))))
		for i := range k {
			j := i + rng.IntN(len(grp)-i)
			grp[i], grp[j] = grp[j], grp[i]
			isVal[grp[i]] = true
		}
	}
	for i, v := range isVal {
		if v {
			val = append(val, int32(i))
		} else {
			train = append(train, int32(i))
		}
	}
	return train, val
}

// shouldStop reports whether none of the last n losses improves on the
// one before them by more than tol (scikit-learn's rule).
func shouldStop(losses []float64, n int, tol float64) bool {
	if len(losses) < n+1 {
		return false
	}
	ref := losses[len(losses)-n-1] - tol
	for _, l := range losses[len(losses)-n:] {
		if l < ref {
			return false
		}
	}
	return true
}

// addLeaves adds the leaf values of t, just grown, to the raw scores of
// the rows of each leaf.
func (gr *grower) addLeaves(t *tree, raw []float64) {
	workers := gr.workers
	if gr.n < parallelRows {
		workers = 1
	}
	parallel(len(gr.leaves), workers, func(i int) {
		l := gr.leaves[i]
		v := t.nodes[l.id].value
		for _, r := range gr.part[l.start:l.end] {
			raw[r] += v
		}
	})
}
