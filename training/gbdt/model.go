package gbdt

import (
	"slices"

	"github.com/assayhq/assay/training/frame"
)

// Model is a trained ensemble of trees, made by Train or decoded by
// UnmarshalBinary into a zero Model. Its methods may be called
// concurrently.
type Model struct {
	params   Params // as given to Train, with Loss resolved
	task     frame.Task
	loss     lossKind
	target   string
	classes  []string
	features []featureInfo
	k        int       // trees per iteration (raw scores per row)
	baseline []float64 // k raw scores before any tree
	trees    []tree    // iteration i, class c at i*k+c
	// Mean training loss after 0, 1, … iterations, and validation loss
	// when early stopping.
	trainLoss []float64
	validLoss []float64

	pred predictor // compiled from trees
}

// featureInfo is what the model knows of a feature it was trained on.
type featureInfo struct {
	name   string
	kind   frame.Kind
	levels []string // categorical: the training levels
	seen   []bool   // categorical: levels present in the training rows
}

// tree is one regression tree. Siblings are adjacent: the right child of a
// node is its left child plus one, and a child comes after its parent.
type tree struct {
	nodes []node
	cats  []bitset // categorical splits: the codes that go left
}

// node is a node of a tree.
type node struct {
	feature   int32   // split feature; -1 at a leaf
	left      int32   // index of the left child
	cats      int32   // categorical split: index into tree.cats; else -1
	missLeft  bool    // missing (and unseen) values go left
	threshold float64 // numeric split: values <= threshold go left
	value     float64 // learning rate times the Newton step of the node; a leaf's output
	gain      float64 // split: the loss reduction
	count     int32   // training rows at the node
}

// Task returns whether the model classifies or regresses.
func (m *Model) Task() frame.Task { return m.task }

// Target returns the name of the target the model was trained on.
func (m *Model) Target() string { return m.target }

// Classes returns the class levels of a classifier, in the order of the
// columns of PredictProba; nil for a regressor.
func (m *Model) Classes() []string { return slices.Clone(m.classes) }

// Features returns the names of the features, in training order.
func (m *Model) Features() []string {
	out := make([]string, len(m.features))
	for i, f := range m.features {
		out[i] = f.name
	}
	return out
}

// Params returns the parameters the model was trained with, with Loss
// resolved from LossAuto.
func (m *Model) Params() Params { return m.params }

// NumIter returns the number of boosting iterations, fewer than MaxIter
// when early stopping ended training.
func (m *Model) NumIter() int { return len(m.trees) / m.k }

// NumScores returns the number of raw scores per row: the number of
// classes for a multiclass classifier, else 1.
func (m *Model) NumScores() int { return m.k }

// TrainLoss returns the mean training loss after 0 (the baseline), 1, …,
// NumIter() iterations: log loss for a classifier, half the squared
// error for a regressor. Under early stopping it is over the rows not
// held out.
func (m *Model) TrainLoss() []float64 { return slices.Clone(m.trainLoss) }

// ValidLoss returns the mean loss on the held-out rows after 0, 1, …,
// NumIter() iterations, or nil when early stopping was off.
func (m *Model) ValidLoss() []float64 { return slices.Clone(m.validLoss) }

// FeatureImportances returns, per feature in training order, the total
// gain of the splits on it over all trees, divided by the total gain of
// all splits (so they sum to 1, or are all 0 when no tree splits).
func (m *Model) FeatureImportances() []float64 {
	imp := make([]float64, len(m.features))
	var total float64
	for t := range m.trees {
		for _, n := range m.trees[t].nodes {
			if n.feature >= 0 {
				imp[n.feature] += n.gain
				total += n.gain
			}
		}
	}
	if total > 0 {
		for i := range imp {
			imp[i] /= total
		}
	}
	return imp
}

// NumLeaves returns the total number of leaves over all trees.
func (m *Model) NumLeaves() int {
	n := 0
	for t := range m.trees {
		for _, nd := range m.trees[t].nodes {
			if nd.feature < 0 {
				n++
			}
		}
	}
	return n
}
