package confident

import (
	"errors"
	"fmt"
)

// ErrInvalid means the input was rejected: probabilities of the wrong
// shape, a label outside 0..K-1, a probability that is not a number or
// lies outside [0, 1] (with Cleanlab's 1e-6 slack), a row not summing to
// 1, a single class other than 0, or bad Options. Errors about one row are
// a *RowError.
var ErrInvalid = errors.New("invalid input")

// RowError reports the first row of the input with a problem. It wraps
// ErrInvalid.
type RowError struct {
	Row    int    // zero-based row number
	Reason string // what is wrong, e.g. "probabilities sum to 0.98"
}

// Error returns "row N: reason".
func (e *RowError) Error() string {
	return fmt.Sprintf("row %d: %s", e.Row, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *RowError) Unwrap() error { return ErrInvalid }
