package conflicts

import "errors"

// ErrInvalid means the input or the options cannot be used: columns of
// different lengths, a column that is neither numeric nor text, a label
// code outside the classes, a negative or non-finite tolerance, a search
// with neither K nor a radius. The error names what is wrong.
var ErrInvalid = errors.New("invalid input")
