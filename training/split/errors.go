package split

import "errors"

// ErrInvalid means a split was asked for that cannot be made: a fraction
// outside [0, 1) or not a number, fractions that leave no training row,
// fewer rows than folds, a stratification vector of the wrong length or
// with a negative code, or a class too small to stratify on. The message
// names the value at fault.
var ErrInvalid = errors.New("invalid split")
