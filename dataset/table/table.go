// Package table loads chosen columns of a source whole into memory, typed
// for analysis: numbers (integers, floats, dates and timestamps in their
// unit, booleans as 0/1) as float64 with NaN for null, text as strings.
// Label analysis and model training read their data through it.
package table

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/hugepage"
)

// Column is one column loaded whole: numbers (integers,
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

// Table is chosen columns of a source, in memory.
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
	sc, cols, err := Open(ctx, src, names)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	n := int(sc.NumRows())
	t := &Table{Source: src.Label, Rows: n}
	for _, c := range cols {
		col := &Column{Name: c.Name, Type: c.Type, Numeric: c.Type != dataset.String && c.Type != dataset.Binary, Valid: make([]bool, n)}
		if col.Numeric {
			col.Num = make([]float64, n)
			hugepage.Advise(col.Num)
		} else {
			col.Str = make([]string, n)
		}
		t.Cols = append(t.Cols, col)
	}
	err = Scan(ctx, src, sc, cols, workers, func(j int, a arrow.Array, row0 int) error {
		fill(t.Cols[j], a, row0)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Open opens a scanner of src and resolves the names against its schema.
// A source of more than math.MaxInt32 rows is refused: tables hold a
// source in memory.
func Open(ctx context.Context, src *dataset.Source, names []string) (*dataset.Scanner, dataset.Schema, error) {
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, nil, err
	}
	schema := sc.Schema()
	var cols dataset.Schema
	for _, n := range names {
		i := schema.Index(n)
		if i < 0 {
			sc.Close()
			return nil, nil, fmt.Errorf("%w: %s has no column %q (columns: %s)", dataset.ErrInvalid, src.Label, n, strings.Join(schema.Names(), ", "))
		}
		if u := schema[i].Unsupported; u != "" {
			sc.Close()
			return nil, nil, fmt.Errorf("%w: %s: column %q: %s", dataset.ErrInvalid, src.Label, n, u)
		}
		cols = append(cols, schema[i])
	}
	if n := sc.NumRows(); n > math.MaxInt32 {
		sc.Close()
		return nil, nil, fmt.Errorf("%w: %s has %d rows; its columns are held in memory, which takes at most %d", dataset.ErrInvalid, src.Label, n, math.MaxInt32)
	}
	return sc, cols, nil
}

// Scan reads cols of src and hands each batch's column j, with the
// row number of its first row, to fill: row groups in parallel, and a
// source of fewer row groups than workers split by columns too, each part
// read by its own scanner (sc reads the first). Calls for one column and
// different row groups may run at once; each writes its own rows.
func Scan(ctx context.Context, src *dataset.Source, sc *dataset.Scanner, cols dataset.Schema, workers int, fill func(j int, a arrow.Array, row0 int) error) error {
	if len(cols) == 0 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parts := 1
	if rgs := len(sc.RowGroups()); rgs < workers {
		parts = min(len(cols), workers/max(rgs, 1))
	}
	g, gctx := errgroup.WithContext(ctx)
	for p := range parts {
		g.Go(func() error {
			var names []string
			var index []int
			for j := p; j < len(cols); j += parts {
				names = append(names, cols[j].Name)
				index = append(index, j)
			}
			psc := sc
			if p > 0 {
				var err error
				if psc, err = src.Scanner(gctx); err != nil {
					return err
				}
				defer psc.Close()
			}
			return psc.Scan(gctx, dataset.ScanOptions{Columns: names, Workers: max(workers/parts, 1)}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
				for br.Next() {
					rec := br.Record()
					row0 := int(rg.FirstRow + br.Offset())
					for k, j := range index {
						if err := fill(j, rec.Column(k), row0); err != nil {
							return err
						}
					}
				}
				return br.Err()
			})
		})
	}
	return g.Wait()
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
		// The batch is reused, so values are copied; a column of few
		// values (labels, categories) copies each once per batch.
		seen := make(map[string]string, 16)
		for i, ok := range valid {
			if !ok {
				continue
			}
			s := v.Value(i)
			kept, hit := seen[s]
			if !hit {
				kept = strings.Clone(s)
				if len(seen) < 256 {
					seen[kept] = kept
				}
			}
			c.Str[row0+i] = kept
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
