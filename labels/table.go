package labels

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset"
)

// Column is one column loaded whole for label analysis: numbers (integers,
// floats, dates and timestamps in their unit, booleans as 0/1) in Num,
// text in Str. Valid is false for nulls.
type Column struct {
	Name    string
	Type    dataset.Type
	Numeric bool
	Num     []float64 // numeric columns; NaN where null
	Str     []string  // text columns; "" where null
	Valid   []bool
}

// Text renders row i's value as users see it ("" for null): integers
// without a decimal point, booleans as true/false, timestamps in RFC 3339.
func (c *Column) Text(i int) string {
	if !c.Valid[i] {
		return ""
	}
	if !c.Numeric {
		return c.Str[i]
	}
	v := c.Num[i]
	switch {
	case c.Type == dataset.Bool:
		return strconv.FormatBool(v == 1)
	case c.Type == dataset.Date:
		return time.Unix(int64(v)*86400, 0).UTC().Format(time.DateOnly)
	case c.Type.Timestamp():
		return time.Unix(0, int64(v)*unitNanos(c.Type)).UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func unitNanos(t dataset.Type) int64 {
	switch t {
	case dataset.TimestampMS:
		return 1e6
	case dataset.TimestampUS:
		return 1e3
	}
	return 1
}

// Table is the columns of a source that a label command needs, in memory.
type Table struct {
	Source string // the source's label: churn@v3 or a path
	Rows   int
	Cols   []*Column
}

// Column returns the named column, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Cols {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Load reads the named columns of a source into memory, row groups in
// parallel. An unknown or unsupported column is an ErrInvalid error that
// names it and lists the columns there are.
func Load(ctx context.Context, src *dataset.Source, names []string, workers int) (*Table, error) {
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	schema := sc.Schema()
	var cols dataset.Schema
	for _, n := range names {
		i := schema.Index(n)
		if i < 0 {
			return nil, fmt.Errorf("%w: %s has no column %q (columns: %s)", dataset.ErrInvalid, src.Label, n, strings.Join(schema.Names(), ", "))
		}
		if u := schema[i].Unsupported; u != "" {
			return nil, fmt.Errorf("%w: %s: column %q: %s", dataset.ErrInvalid, src.Label, n, u)
		}
		cols = append(cols, schema[i])
	}
	n := sc.NumRows()
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("%w: %s has %d rows; label commands hold a source in memory and take at most %d", dataset.ErrInvalid, src.Label, n, math.MaxInt32)
	}
	t := &Table{Source: src.Label, Rows: int(n)}
	for _, c := range cols {
		col := &Column{Name: c.Name, Type: c.Type, Numeric: c.Type != dataset.String && c.Type != dataset.Binary, Valid: make([]bool, n)}
		if col.Numeric {
			col.Num = make([]float64, n)
		} else {
			col.Str = make([]string, n)
		}
		t.Cols = append(t.Cols, col)
	}
	if len(cols) == 0 {
		return t, nil
	}
	err = sc.Scan(ctx, dataset.ScanOptions{Columns: cols.Names(), Workers: workers}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		for br.Next() {
			rec := br.Record()
			row0 := int(rg.FirstRow + br.Offset())
			for j, col := range t.Cols {
				fill(col, rec.Column(j), row0)
			}
		}
		return br.Err()
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// fill copies a batch's values into the column from row0 on; each row
// group writes its own rows, so row groups fill in parallel.
func fill(c *Column, a arrow.Array, row0 int) {
	n := a.Len()
	valid := c.Valid[row0 : row0+n]
	for i := range valid {
		valid[i] = a.IsValid(i)
	}
	switch v := a.(type) {
	case *array.String:
		for i, ok := range valid {
			if ok {
				c.Str[row0+i] = strings.Clone(v.Value(i)) // the batch is reused
			}
		}
		return
	case *array.Binary:
		for i, ok := range valid {
			if ok {
				c.Str[row0+i] = string(v.Value(i))
			}
		}
		return
	case *array.Float64:
		copyNumbers(c.Num[row0:row0+n], v.Float64Values(), valid)
	case *array.Float32:
		copyNumbers(c.Num[row0:row0+n], v.Float32Values(), valid)
	case *array.Int64:
		copyNumbers(c.Num[row0:row0+n], v.Int64Values(), valid)
	case *array.Int32:
		copyNumbers(c.Num[row0:row0+n], v.Int32Values(), valid)
	case *array.Date32:
		copyNumbers(c.Num[row0:row0+n], v.Date32Values(), valid)
	case *array.Timestamp:
		copyNumbers(c.Num[row0:row0+n], v.TimestampValues(), valid)
	case *array.Boolean:
		for i, ok := range valid {
			switch {
			case !ok:
				c.Num[row0+i] = math.NaN()
			case v.Value(i):
				c.Num[row0+i] = 1
			}
		}
	}
}

// copyNumbers converts a numeric buffer to float64, NaN where null.
func copyNumbers[T int32 | int64 | float32 | float64 | arrow.Date32 | arrow.Timestamp](dst []float64, src []T, valid []bool) {
	for i, x := range src {
		dst[i] = float64(x)
		if !valid[i] {
			dst[i] = math.NaN()
		}
	}
}
