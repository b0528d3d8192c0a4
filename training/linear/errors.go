package linear

import "errors"

var (
	// ErrInvalid means an input was rejected: options out of range, a
	// matrix or target of the wrong shape, a value that is infinite, a
	// class without rows, or a frame that lacks a feature the design
	// needs (or has it with another kind). The message names the value.
	ErrInvalid = errors.New("invalid input")
	// ErrCorrupt means saved model bytes could not be read: not JSON, an
	// unknown format or version, or contents that do not fit together
	// (shapes, unsorted levels, values that are not finite numbers).
	ErrCorrupt = errors.New("corrupt model")
)
