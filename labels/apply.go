package labels

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset"
)

// Change sets the label of one row.
type Change struct {
	Row   int
	Label string // the class name, as Column.Text renders labels
}

// ApplyOptions say what Apply commits.
type ApplyOptions struct {
	Label    string   // the label column
	Changes  []Change // at most one per row
	Message  string
	Author   string
	Metadata map[string]string // recorded with the new version: the audit trail
}

// Apply commits a new version of the dataset that src is a version of:
// the same rows and columns, with the label column changed where opts
// says. The version must be the dataset's newest (a relabelled older
// version would drop the changes after it), and still be the newest when
// the commit lands. Nothing is written unless every change is valid: rows
// in range, labels that parse as the column's type.
func Apply(ctx context.Context, repo *dataset.Repo, src *dataset.Source, opts ApplyOptions) (*dataset.Manifest, error) {
	m := src.Manifest
	if m == nil {
		return nil, fmt.Errorf("%w: %s is a file; labels apply commits a new version of a dataset (commit the file first)", dataset.ErrInvalid, src.Label)
	}
	head, err := repo.Head(ctx, m.Dataset)
	if err != nil {
		return nil, err
	}
	if head.Version != m.Version {
		return nil, fmt.Errorf("%w: %s is not the newest version of %s (v%d is): decisions apply to the newest version only", dataset.ErrInvalid, src.Label, m.Dataset, head.Version)
	}
	for _, c := range m.Schema {
		if c.Unsupported != "" {
			return nil, fmt.Errorf("%w: %s: column %q (%s) cannot be rewritten, so the version cannot be relabelled", dataset.ErrInvalid, src.Label, c.Name, c.Unsupported)
		}
	}
	li := m.Schema.Index(opts.Label)
	if li < 0 {
		return nil, fmt.Errorf("%w: %s has no column %q (columns: %v)", dataset.ErrInvalid, src.Label, opts.Label, m.Schema.Names())
	}
	values, err := parseChanges(opts.Changes, m.Schema[li], m.Rows, src.Label)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "assay-labels-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, m.Dataset+".parquet")
	if err := rewrite(ctx, src, out, li, values); err != nil {
		return nil, err
	}
	return repo.Commit(ctx, dataset.CommitOptions{
		Name: m.Dataset, Paths: []string{out}, Message: opts.Message, Author: opts.Author, Metadata: opts.Metadata,
		Gate: func(ctx context.Context, v *dataset.Source) error {
			if v.Manifest.Parent != m.Version {
				return fmt.Errorf("%w: %s moved on to v%d while the labels were applied; apply the decisions again", dataset.ErrConflict, m.Dataset, v.Manifest.Parent)
			}
			return nil
		},
	})
}

// parseChanges turns the changes into typed values by row.
func parseChanges(changes []Change, col dataset.Column, rows int64, label string) (map[int64]any, error) {
	out := make(map[int64]any, len(changes))
	for _, c := range changes {
		if c.Row < 0 || int64(c.Row) >= rows {
			return nil, fmt.Errorf("%w: row %d is not a row of %s (%d rows)", dataset.ErrInvalid, c.Row, label, rows)
		}
		if _, dup := out[int64(c.Row)]; dup {
			return nil, fmt.Errorf("%w: row %d is changed twice", dataset.ErrInvalid, c.Row)
		}
		v, err := parseValue(c.Label, col.Type)
		if err != nil {
			return nil, fmt.Errorf("%w: row %d: label %q is not a %s value for column %q", dataset.ErrInvalid, c.Row, c.Label, col.Type, col.Name)
		}
		out[int64(c.Row)] = v
	}
	return out, nil
}

func parseValue(s string, t dataset.Type) (any, error) {
	switch t {
	case dataset.String:
		return s, nil
	case dataset.Binary:
		return []byte(s), nil
	case dataset.Int32:
		v, err := strconv.ParseInt(s, 10, 32)
		return int32(v), err
	case dataset.Int64:
		return strconv.ParseInt(s, 10, 64)
	case dataset.Float32:
		v, err := strconv.ParseFloat(s, 32)
		return float32(v), err
	case dataset.Float64:
		return strconv.ParseFloat(s, 64)
	case dataset.Bool:
		return strconv.ParseBool(s)
	}
	return nil, fmt.Errorf("labels of type %s cannot be set", t)
}

// rewrite writes src's rows to path in order, with the label column
// (index li) replaced at the changed rows.
func rewrite(ctx context.Context, src *dataset.Source, path string, li int, values map[int64]any) error {
	sc, err := src.Scanner(ctx)
	if err != nil {
		return err
	}
	defer sc.Close()
	schema := sc.Schema()
	changed := slices.Sorted(func(yield func(int64) bool) {
		for r := range values {
			if !yield(r) {
				return
			}
		}
	})
	return dataset.WriteFile(path, schema.Arrow(), dataset.DefaultWriterOptions(), func(w *dataset.Writer) error {
		// One worker: row groups in file order, so rows keep their order.
		return sc.Scan(ctx, dataset.ScanOptions{Workers: 1}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
			for br.Next() {
				rec := br.Record()
				row0 := rg.FirstRow + br.Offset()
				lo, _ := slices.BinarySearch(changed, row0)
				hi, _ := slices.BinarySearch(changed, row0+rec.NumRows())
				if lo == hi {
					if err := w.Write(rec); err != nil {
						return err
					}
					continue
				}
				col := replaced(rec.Column(li), row0, changed[lo:hi], values)
				cols := slices.Clone(rec.Columns())
				cols[li] = col
				out := array.NewRecordBatch(rec.Schema(), cols, rec.NumRows())
				err := w.Write(out)
				out.Release()
				col.Release()
				if err != nil {
					return err
				}
			}
			return br.Err()
		})
	})
}

// replaced returns a copy of a with the values of the changed rows (row
// numbers from row0) set.
func replaced(a arrow.Array, row0 int64, rows []int64, values map[int64]any) arrow.Array {
	b := array.NewBuilder(memory.DefaultAllocator, a.DataType())
	defer b.Release()
	next := 0
	for i := range a.Len() {
		if next < len(rows) && rows[next] == row0+int64(i) {
			appendValue(b, values[rows[next]])
			next++
			continue
		}
		if a.IsNull(i) {
			b.AppendNull()
			continue
		}
		switch v := a.(type) {
		case *array.String:
			b.(*array.StringBuilder).Append(v.Value(i))
		case *array.Binary:
			b.(*array.BinaryBuilder).Append(v.Value(i))
		case *array.Int32:
			b.(*array.Int32Builder).Append(v.Value(i))
		case *array.Int64:
			b.(*array.Int64Builder).Append(v.Value(i))
		case *array.Float32:
			b.(*array.Float32Builder).Append(v.Value(i))
		case *array.Float64:
			b.(*array.Float64Builder).Append(v.Value(i))
		case *array.Boolean:
			b.(*array.BooleanBuilder).Append(v.Value(i))
		}
	}
	return b.NewArray()
}

func appendValue(b array.Builder, v any) {
	switch x := v.(type) {
	case string:
		b.(*array.StringBuilder).Append(x)
	case []byte:
		b.(*array.BinaryBuilder).Append(x)
	case int32:
		b.(*array.Int32Builder).Append(x)
	case int64:
		b.(*array.Int64Builder).Append(x)
	case float32:
		b.(*array.Float32Builder).Append(x)
	case float64:
		b.(*array.Float64Builder).Append(x)
	case bool:
		b.(*array.BooleanBuilder).Append(x)
	}
}
