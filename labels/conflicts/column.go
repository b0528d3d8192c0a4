package conflicts

import (
	"fmt"
	"math"
	"runtime"
)

// Column is one feature column in memory: numbers in Num (Numeric true)
// or text in Str. Valid is false where the value is null; a nil Valid
// means no value is null. The value held at a null row is ignored. Its
// shape is that of labels.Column, so a loaded column converts field by
// field.
//
// Integers, dates, timestamps and booleans are numeric: as float64 they
// are exact up to 2^53 in magnitude; larger integers that differ only
// beyond that compare equal.
type Column struct {
	Name    string
	Numeric bool
	Num     []float64 // numeric columns: one value per row
	Str     []string  // text columns: one value per row
	Valid   []bool    // false where null; nil: no nulls
}

// Numeric returns a numeric column. valid may be nil (no nulls).
func Numeric(name string, values []float64, valid []bool) Column {
	return Column{Name: name, Numeric: true, Num: values, Valid: valid}
}

// Text returns a text column. valid may be nil (no nulls).
func Text(name string, values []string, valid []bool) Column {
	return Column{Name: name, Str: values, Valid: valid}
}

// Len returns the number of rows of the column.
func (c *Column) Len() int {
	if c.Numeric {
		return len(c.Num)
	}
	return len(c.Str)
}

// null reports whether row i is null.
func (c *Column) null(i int) bool { return c.Valid != nil && !c.Valid[i] }

// Labels are the labels of the rows as class codes.
type Labels struct {
	// Codes holds each row's class: an index into Classes, or -1 when the
	// row has no label (such rows are ignored).
	Codes []int
	// Classes are the class names, by code.
	Classes []string
}

// Options configure Exact.
type Options struct {
	// CaseFold compares text case-insensitively (Unicode simple folding).
	// Surrounding white space is always trimmed.
	CaseFold bool
	// FloatTolerance is the largest absolute difference at which two
	// numbers still match (inclusive); 0 means equal values only. See the
	// package documentation for what a group is then.
	FloatTolerance float64
	// Workers is the number of goroutines (default: GOMAXPROCS).
	Workers int
}

// Validate reports options that cannot be used.
func (o *Options) Validate() error {
	if math.IsNaN(o.FloatTolerance) || math.IsInf(o.FloatTolerance, 0) || o.FloatTolerance < 0 {
		return fmt.Errorf("%w: float tolerance %v: want a finite number >= 0", ErrInvalid, o.FloatTolerance)
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: %d workers", ErrInvalid, o.Workers)
	}
	return nil
}

func workers(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// validate checks that the columns and labels describe the same rows and
// returns their number.
func validate(cols []Column, labels Labels) (int, error) {
	n := len(labels.Codes)
	if n > math.MaxInt32 {
		return 0, fmt.Errorf("%w: %d rows; at most %d", ErrInvalid, n, math.MaxInt32)
	}
	for i := range cols {
		c := &cols[i]
		switch {
		case c.Numeric && c.Str != nil:
			return 0, fmt.Errorf("%w: column %q is numeric but holds text", ErrInvalid, c.Name)
		case !c.Numeric && c.Num != nil:
			return 0, fmt.Errorf("%w: column %q is text but holds numbers", ErrInvalid, c.Name)
		case c.Len() != n:
			return 0, fmt.Errorf("%w: column %q has %d values, the labels %d", ErrInvalid, c.Name, c.Len(), n)
		case c.Valid != nil && len(c.Valid) != n:
			return 0, fmt.Errorf("%w: column %q has %d validity flags, the labels %d", ErrInvalid, c.Name, len(c.Valid), n)
		}
	}
	k := len(labels.Classes)
	for i, code := range labels.Codes {
		if code < -1 || code >= k {
			return 0, fmt.Errorf("%w: row %d has label code %d; want -1 (missing) or 0 to %d", ErrInvalid, i, code, k-1)
		}
	}
	return n, nil
}
