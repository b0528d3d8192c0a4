package gbdt

import "errors"

// Errors returned by this package, to be tested with errors.Is. Each is
// wrapped with the object at hand.
var (
	// ErrParams means a Params field is out of range.
	ErrParams = errors.New("gbdt: invalid params")
	// ErrData means the training data cannot be used: no rows, a target
	// of the wrong length or task, too few classes, a categorical feature
	// with more levels than MaxBins, a non-finite regression target.
	ErrData = errors.New("gbdt: invalid training data")
	// ErrFeatures means a matrix given to a model for prediction lacks a
	// feature the model uses, or has it with another kind.
	ErrFeatures = errors.New("gbdt: features do not match the model")
	// ErrCorrupt means serialized model bytes could not be decoded.
	ErrCorrupt = errors.New("gbdt: corrupt model")
)
