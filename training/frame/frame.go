// Package frame holds training data in memory, column by column, in the
// form every trainer reads: numeric features as float64 with NaN for a
// missing value, categorical features as integer codes with -1 for a
// missing value, and a target that is either class codes or numbers.
//
// Glossary:
//
//   - Feature: one input column of a model, numeric or categorical.
//   - Level: one category of a categorical feature or of a class target;
//     levels are sorted (strings byte-wise, so "No" < "Yes"), and a code
//     is an index into them.
//   - Target: the column a model predicts. A classification target has
//     class codes into its levels; a regression target has numbers.
//   - Matrix: the features of a set of rows, column-major.
package frame

import (
	"fmt"
	"math"
)

// Kind is the kind of a feature.
type Kind uint8

const (
	// Numeric features hold float64 values; NaN is missing.
	Numeric Kind = iota
	// Categorical features hold codes into Levels; -1 is missing.
	Categorical
)

// String returns "numeric" or "categorical".
func (k Kind) String() string {
	if k == Categorical {
		return "categorical"
	}
	return "numeric"
}

// Missing is the code of a missing categorical value.
const Missing = -1

// Feature is one column of a Matrix.
type Feature struct {
	Name string
	Kind Kind
	// Num holds a numeric feature's values (NaN: missing).
	Num []float64
	// Cat holds a categorical feature's codes (Missing: missing) and
	// Levels their names, sorted.
	Cat    []int32
	Levels []string
}

// Len returns the number of rows.
func (f *Feature) Len() int {
	if f.Kind == Categorical {
		return len(f.Cat)
	}
	return len(f.Num)
}

// IsMissing reports whether row i is missing.
func (f *Feature) IsMissing(i int) bool {
	if f.Kind == Categorical {
		return f.Cat[i] == Missing
	}
	return math.IsNaN(f.Num[i])
}

// Matrix is the features of a set of rows.
type Matrix struct {
	Rows     int
	Features []Feature
}

// Validate checks that every feature has Rows values and that codes are
// in range.
func (m *Matrix) Validate() error {
	for j := range m.Features {
		f := &m.Features[j]
		if f.Len() != m.Rows {
			return fmt.Errorf("frame: feature %s has %d rows, want %d", f.Name, f.Len(), m.Rows)
		}
		if f.Kind == Categorical {
			for i, c := range f.Cat {
				if c < Missing || int(c) >= len(f.Levels) {
					return fmt.Errorf("frame: feature %s, row %d: code %d out of range (%d levels)", f.Name, i, c, len(f.Levels))
				}
			}
		}
	}
	return nil
}

// Subset returns the rows of m in the order given (rows may repeat).
func (m *Matrix) Subset(rows []int) *Matrix {
	out := &Matrix{Rows: len(rows), Features: make([]Feature, len(m.Features))}
	for j := range m.Features {
		f := &m.Features[j]
		g := Feature{Name: f.Name, Kind: f.Kind, Levels: f.Levels}
		if f.Kind == Categorical {
			g.Cat = make([]int32, len(rows))
			for i, r := range rows {
				g.Cat[i] = f.Cat[r]
			}
		} else {
			g.Num = make([]float64, len(rows))
			for i, r := range rows {
				g.Num[i] = f.Num[r]
			}
		}
		out.Features[j] = g
	}
	return out
}

// Task is what a target asks of a model.
type Task uint8

const (
	// Classification targets hold class codes.
	Classification Task = iota
	// Regression targets hold numbers.
	Regression
)

// String returns "classification" or "regression".
func (t Task) String() string {
	if t == Regression {
		return "regression"
	}
	return "classification"
}

// Target is the column a model predicts.
type Target struct {
	Name string
	Task Task
	// Class holds a classification target's codes into Classes (sorted);
	// rows with a missing target are not in a Matrix.
	Class   []int32
	Classes []string
	// Value holds a regression target's numbers.
	Value []float64
}

// Len returns the number of rows.
func (t *Target) Len() int {
	if t.Task == Regression {
		return len(t.Value)
	}
	return len(t.Class)
}

// Subset returns the rows of t in the order given.
func (t *Target) Subset(rows []int) *Target {
	out := &Target{Name: t.Name, Task: t.Task, Classes: t.Classes}
	if t.Task == Regression {
		out.Value = make([]float64, len(rows))
		for i, r := range rows {
			out.Value[i] = t.Value[r]
		}
		return out
	}
	out.Class = make([]int32, len(rows))
	for i, r := range rows {
		out.Class[i] = t.Class[r]
	}
	return out
}
