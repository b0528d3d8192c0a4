package agreement

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalid means the input was rejected: Ratings of the wrong shape,
	// a label outside 0..K-1, long-form rows out of range, or bad options.
	// The error says what and where.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict means an annotator gave one item two different labels.
	// The error is a *ConflictError.
	ErrConflict = errors.New("conflicting labels")
)

// ConflictError reports an annotator who labelled an item twice with
// different labels, found at a long-form row. It wraps ErrConflict.
type ConflictError struct {
	Row       int // index of the long-form row with the second label
	Item      int
	Annotator int
	First     int // the label seen first
	Second    int // the label at Row
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("row %d: annotator %d labelled item %d twice, as %d and as %d",
		e.Row, e.Annotator, e.Item, e.First, e.Second)
}

func (e *ConflictError) Unwrap() error { return ErrConflict }
