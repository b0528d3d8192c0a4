package labels

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/hugepage"
	"github.com/assayhq/assay/dataset/table"
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

// ReadProbs reads the probability columns (in class order) of src
// straight into a row-major matrix and checks them: numbers, no nulls,
// each in [0, 1], each row summing to 1 within SumTolerance. Errors name
// the source, row and column.
func ReadProbs(ctx context.Context, src *dataset.Source, names []string, workers int) (Probs, error) {
	p, err := readProbs(ctx, src, names, workers)
	if err != nil {
		return p, err
	}
	return p, checkSums(p, src.Label, names)
}

// readProbs is ReadProbs without the check of the rows' sums.
func readProbs(ctx context.Context, src *dataset.Source, names []string, workers int) (Probs, error) {
	sc, cols, err := table.Open(ctx, src, names)
	if err != nil {
		return Probs{}, err
	}
	defer sc.Close()
	for _, c := range cols {
		if !c.Type.Numeric() || c.Type.Temporal() {
			return Probs{}, fmt.Errorf("%w: %s: probability column %q is %s, not a number", dataset.ErrInvalid, src.Label, c.Name, c.Type)
		}
	}
	n, k := int(sc.NumRows()), len(cols)
	p := Probs{N: n, K: k, Data: make([]float64, n*k)}
	hugepage.Advise(p.Data)
	err = table.Scan(ctx, src, sc, cols, workers, func(j int, a arrow.Array, row0 int) error {
		bad := func(i int, what string) error {
			return fmt.Errorf("%w: %s: row %d: probability column %q %s", dataset.ErrInvalid, src.Label, row0+i, cols[j].Name, what)
		}
		var vals []float64
		switch v := a.(type) {
		case *array.Float64:
			vals = v.Float64Values()
		case *array.Float32:
			vals = make([]float64, v.Len())
			for i, x := range v.Float32Values() {
				vals[i] = float64(x)
			}
		default:
			return bad(0, "is not a floating-point column")
		}
		if a.NullN() > 0 {
			for i := range a.Len() {
				if a.IsNull(i) {
					return bad(i, "is missing")
				}
			}
		}
		out := p.Data[row0*k+j:]
		for i, x := range vals {
			if !(x >= 0 && x <= 1) {
				return bad(i, fmt.Sprintf("is %v, not in [0, 1]", x))
			}
			out[i*k] = x
		}
		return nil
	})
	return p, err
}

// checkSums checks that each row of p sums to 1 within SumTolerance.
func checkSums(p Probs, source string, names []string) error {
	for i := range p.N {
		var s float64
		for _, v := range p.Row(i) {
			s += v
		}
		if math.Abs(s-1) > SumTolerance {
			return fmt.Errorf("%w: %s: row %d: probabilities %s sum to %v, not 1 (tolerance %v)", dataset.ErrInvalid, source, i, strings.Join(names, ", "), s, SumTolerance)
		}
	}
	return nil
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
	n := sc.NumRows()
	sc.Close()
	cols, err := ProbColumns(names, classes)
	if err != nil {
		return Probs{}, fmt.Errorf("%s: %w", path, err)
	}
	if n != int64(rows) {
		return Probs{}, fmt.Errorf("%w: %s has %d rows, the data %d: probabilities must come one row per row, in order", dataset.ErrInvalid, path, n, rows)
	}
	return ReadProbs(ctx, src, cols, workers)
}
