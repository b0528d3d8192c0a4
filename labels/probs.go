package labels

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/assayhq/assay/dataset"
)

// Probs are predicted class probabilities: N rows × K classes, row-major,
// class k being Labels.Classes[k].
type Probs struct {
	N, K int
	Data []float64
}

// Row returns row i's probabilities.
func (p Probs) Row(i int) []float64 { return p.Data[i*p.K : (i+1)*p.K] }

// SumTolerance is how far a row of probabilities may sum from 1.
const SumTolerance = 1e-3

// ProbColumns resolves the --pred-probs columns of t against the classes:
// "class=column" pairs name each class's column; a plain list of columns
// maps by name when every class has a column called after it (its name,
// or ending in "_" + its name, as p_Yes), else by position in the classes'
// order. It returns the columns in class order.
func ProbColumns(specs []string, classes []string) ([]string, error) {
	if len(specs) != len(classes) {
		return nil, fmt.Errorf("%w: %d probability columns for %d classes (%s)", dataset.ErrInvalid, len(specs), len(classes), strings.Join(classes, ", "))
	}
	out := make([]string, len(classes))
	if strings.Contains(specs[0], "=") {
		for _, s := range specs {
			class, col, ok := strings.Cut(s, "=")
			k := indexOf(classes, class)
			switch {
			case !ok:
				return nil, fmt.Errorf("%w: --pred-probs %q: mix of class=column pairs and plain columns", dataset.ErrInvalid, s)
			case k < 0:
				return nil, fmt.Errorf("%w: --pred-probs %q: no class %q (classes: %s)", dataset.ErrInvalid, s, class, strings.Join(classes, ", "))
			case out[k] != "":
				return nil, fmt.Errorf("%w: --pred-probs: class %q given twice", dataset.ErrInvalid, class)
			}
			out[k] = col
		}
		return out, nil
	}
	byName := true
	for k, class := range classes {
		for _, s := range specs {
			if s == class || strings.HasSuffix(s, "_"+class) {
				if out[k] != "" {
					byName = false // ambiguous
				}
				out[k] = s
			}
		}
		if out[k] == "" {
			byName = false
		}
	}
	if byName {
		return out, nil
	}
	return append(out[:0], specs...), nil
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// ProbsFrom reads the probability columns (in class order) of t and
// checks them: numbers, no nulls, each in [0, 1], each row summing to 1
// within SumTolerance. Errors name the source, row and column.
func ProbsFrom(t *Table, cols []string) (Probs, error) {
	p := Probs{N: t.Rows, K: len(cols), Data: make([]float64, t.Rows*len(cols))}
	for k, name := range cols {
		c := t.Column(name)
		if c == nil {
			return p, fmt.Errorf("%w: %s has no column %q", dataset.ErrInvalid, t.Source, name)
		}
		if !c.Numeric || c.Type.Temporal() {
			return p, fmt.Errorf("%w: %s: probability column %q is %s, not a number", dataset.ErrInvalid, t.Source, name, c.Type)
		}
		for i := range t.Rows {
			v := c.Num[i]
			if !c.Valid[i] || math.IsNaN(v) {
				return p, fmt.Errorf("%w: %s: row %d: probability column %q is missing", dataset.ErrInvalid, t.Source, i, name)
			}
			if v < 0 || v > 1 {
				return p, fmt.Errorf("%w: %s: row %d: probability column %q is %v, not in [0, 1]", dataset.ErrInvalid, t.Source, i, name, v)
			}
			p.Data[i*p.K+k] = v
		}
	}
	for i := range p.N {
		var s float64
		for _, v := range p.Row(i) {
			s += v
		}
		if math.Abs(s-1) > SumTolerance {
			return p, fmt.Errorf("%w: %s: row %d: probabilities %s sum to %v, not 1 (tolerance %v)", dataset.ErrInvalid, t.Source, i, strings.Join(cols, ", "), s, SumTolerance)
		}
	}
	return p, nil
}

// LoadProbs reads predicted probabilities from a separate file (Parquet or
// CSV, one row per row of the data, in the same order): its columns are
// resolved against the classes as ProbColumns does, all of them when
// specs is nil.
func LoadProbs(ctx context.Context, path string, rows int, classes []string, workers int) (Probs, error) {
	src, err := dataset.OpenSource(ctx, nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		return Probs{}, err
	}
	defer src.Close()
	sc, err := src.Scanner(ctx)
	if err != nil {
		return Probs{}, err
	}
	names := sc.Schema().Supported().Names()
	sc.Close()
	cols, err := ProbColumns(names, classes)
	if err != nil {
		return Probs{}, fmt.Errorf("%s: %w", path, err)
	}
	t, err := Load(ctx, src, cols, workers)
	if err != nil {
		return Probs{}, err
	}
	if t.Rows != rows {
		return Probs{}, fmt.Errorf("%w: %s has %d rows, the data %d: probabilities must come one row per row, in order", dataset.ErrInvalid, path, t.Rows, rows)
	}
	return ProbsFrom(t, cols)
}
