package gbdt

import (
	"errors"
	"fmt"
	"math"
)

// Loss names the loss a model minimizes.
type Loss string

// Losses. The names are scikit-learn's.
const (
	// LossAuto is LossLog for a classification target and LossSquared for
	// a regression target.
	LossAuto Loss = "auto"
	// LossLog is the log loss (cross-entropy): a sigmoid over one raw
	// score for two classes, a softmax over one raw score per class (and
	// one tree per class per iteration) for more.
	LossLog Loss = "log_loss"
	// LossSquared is half the squared error, for regression.
	LossSquared Loss = "squared_error"
)

// EarlyStopping says whether training holds out a validation set and
// stops when its loss no longer improves.
type EarlyStopping string

// Early stopping modes.
const (
	// EarlyStoppingAuto is on when the training data has more than
	// 10,000 rows.
	EarlyStoppingAuto EarlyStopping = "auto"
	EarlyStoppingOn   EarlyStopping = "on"
	EarlyStoppingOff  EarlyStopping = "off"
)

// autoEarlyStoppingRows is the row count above which EarlyStoppingAuto
// turns early stopping on.
const autoEarlyStoppingRows = 10000

// Params configures Train. Start from DefaultParams; the names and the
// defaults are those of scikit-learn's HistGradientBoostingClassifier and
// HistGradientBoostingRegressor.
type Params struct {
	// Loss is the loss to minimize; LossAuto picks it from the target.
	Loss Loss
	// LearningRate multiplies the leaf values of every tree (shrinkage).
	LearningRate float64
	// MaxIter is the number of boosting iterations (trees per class).
	MaxIter int
	// MaxLeafNodes caps the leaves of a tree; 0 means no cap.
	MaxLeafNodes int
	// MaxDepth caps the depth of a tree (edges from the root to a
	// leaf); 0 means no cap.
	MaxDepth int
	// MinSamplesLeaf is the fewest training rows a leaf may hold.
	MinSamplesLeaf int
	// L2Regularization is added to the hessian sum of every leaf.
	L2Regularization float64
	// MaxBins is the number of bins for non-missing values of a feature,
	// at most 255; missing values get one more bin. Categorical features
	// may have at most MaxBins levels.
	MaxBins int
	// EarlyStopping turns early stopping on or off.
	EarlyStopping EarlyStopping
	// ValidationFraction is the share of the rows held out for early
	// stopping (stratified by class for classification).
	ValidationFraction float64
	// NIterNoChange is the number of iterations the validation loss may
	// fail to improve by more than Tol before training stops.
	NIterNoChange int
	// Tol is the improvement of the validation loss that counts.
	Tol float64
	// Seed drives the row subsample that binning draws from and the
	// early-stopping split.
	Seed uint64
}

// DefaultParams returns scikit-learn's defaults.
func DefaultParams() Params {
	return Params{
		Loss:               LossAuto,
		LearningRate:       0.1,
		MaxIter:            100,
		MaxLeafNodes:       31,
		MaxDepth:           0,
		MinSamplesLeaf:     20,
		L2Regularization:   0,
		MaxBins:            255,
		EarlyStopping:      EarlyStoppingAuto,
		ValidationFraction: 0.1,
		NIterNoChange:      10,
		Tol:                1e-7,
		Seed:               0,
	}
}

// Validate reports every field out of range at once, each error wrapping
// ErrParams.
func (p Params) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrParams}, args...)...))
	}
	switch p.Loss {
	case LossAuto, LossLog, LossSquared:
	default:
		bad("Loss %q: want %q, %q or %q", p.Loss, LossAuto, LossLog, LossSquared)
	}
	if !(p.LearningRate > 0) || math.IsInf(p.LearningRate, 0) {
		bad("LearningRate %v: want > 0", p.LearningRate)
	}
	if p.MaxIter < 1 {
		bad("MaxIter %d: want >= 1", p.MaxIter)
	}
	if p.MaxLeafNodes != 0 && p.MaxLeafNodes < 2 {
		bad("MaxLeafNodes %d: want >= 2, or 0 for no cap", p.MaxLeafNodes)
	}
	if p.MaxDepth < 0 {
		bad("MaxDepth %d: want >= 1, or 0 for no cap", p.MaxDepth)
	}
	if p.MinSamplesLeaf < 1 {
		bad("MinSamplesLeaf %d: want >= 1", p.MinSamplesLeaf)
	}
	if !(p.L2Regularization >= 0) || math.IsInf(p.L2Regularization, 0) {
		bad("L2Regularization %v: want >= 0", p.L2Regularization)
	}
	if p.MaxBins < 2 || p.MaxBins > 255 {
		bad("MaxBins %d: want 2 to 255", p.MaxBins)
	}
	switch p.EarlyStopping {
	case EarlyStoppingAuto, EarlyStoppingOn, EarlyStoppingOff:
	default:
		bad("EarlyStopping %q: want %q, %q or %q", p.EarlyStopping, EarlyStoppingAuto, EarlyStoppingOn, EarlyStoppingOff)
	}
	if p.EarlyStopping != EarlyStoppingOff {
		if !(p.ValidationFraction > 0 && p.ValidationFraction < 1) {
			bad("ValidationFraction %v: want in (0, 1)", p.ValidationFraction)
		}
		if p.NIterNoChange < 1 {
			bad("NIterNoChange %d: want >= 1", p.NIterNoChange)
		}
		if !(p.Tol >= 0) || math.IsInf(p.Tol, 0) {
			bad("Tol %v: want >= 0", p.Tol)
		}
	}
	return errors.Join(errs...)
}
