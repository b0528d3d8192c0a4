package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset"
)

// Columns the failed-rows file adds to the data's own.
const (
	FailedRowColumn    = "_row"           // the row's number in the data, from 0
	FailedChecksColumn = "_failed_checks" // the names of the checks it failed, "; "-separated
)

// FailedRowsWriter writes every row that fails a row-level check, during
// the run's one scan: all the data's columns, the row number and the names
// of the checks it failed, as Parquet, in row order. Unique, increasing
// and decreasing checks find their failing rows only after the scan; their
// failures are in the results' samples, not in this file.
type FailedRowsWriter struct {
	w      *dataset.Writer
	schema *arrow.Schema
	cols   dataset.Schema
	Rows   int64 // rows written
}

// FailedRowsSchema is the schema of the failed-rows file of data with the
// given columns.
func FailedRowsSchema(cols dataset.Schema) *arrow.Schema {
	fields := append(cols.Supported().Arrow().Fields(),
		arrow.Field{Name: FailedRowColumn, Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: FailedChecksColumn, Type: arrow.BinaryTypes.String})
	return arrow.NewSchema(fields, nil)
}

// NewFailedRowsWriter writes failing rows of data with the given columns to
// w, a writer of FailedRowsSchema(cols).
func NewFailedRowsWriter(w *dataset.Writer, cols dataset.Schema) *FailedRowsWriter {
	return &FailedRowsWriter{w: w, schema: FailedRowsSchema(cols), cols: cols.Supported()}
}

// begin checks that the scanned columns are the writer's.
func (f *FailedRowsWriter) begin(cols dataset.Schema) error {
	if !slices.Equal(cols.Supported().Names(), f.cols.Names()) {
		return fmt.Errorf("failed rows: the data's columns are not the writer's")
	}
	return nil
}

// failBuffer collects one row group's failing rows until it is the row
// group's turn to be written.
type failBuffer struct {
	f     *FailedRowsWriter
	marks map[int][]string // row in batch → names of failed checks
	recs  []arrow.RecordBatch
	mem   memory.Allocator
}

func (f *FailedRowsWriter) buffer(p *Plan) *failBuffer {
	return &failBuffer{f: f, marks: map[int][]string{}, mem: memory.DefaultAllocator}
}

func (fb *failBuffer) startBatch(*batch) { clear(fb.marks) }

// note records the rows a check failed in the current batch.
func (fb *failBuffer) note(c *Check, vs []byte, nulls Nulls) {
	n := name(c)
	for i, v := range vs {
		if v == vFail || v == vNull && nulls == NullsFail {
			fb.marks[i] = append(fb.marks[i], n)
		}
	}
}

// endBatch copies the batch's failing rows into a record.
func (fb *failBuffer) endBatch(b *batch) error {
	if len(fb.marks) == 0 {
		return nil
	}
	rows := make([]int, 0, len(fb.marks))
	for r := range fb.marks {
		rows = append(rows, r)
	}
	slices.Sort(rows)
	bld := array.NewRecordBuilder(fb.mem, fb.f.schema)
	defer bld.Release()
	for j, c := range fb.f.cols {
		src := b.col(c.Name)
		if err := appendRows(bld.Field(j), src, rows); err != nil {
			return fmt.Errorf("failed rows: column %q: %w", c.Name, err)
		}
	}
	nc := len(fb.f.cols)
	rowB := bld.Field(nc).(*array.Int64Builder)
	nameB := bld.Field(nc + 1).(*array.StringBuilder)
	for _, r := range rows {
		rowB.Append(b.row0 + int64(r))
		nameB.Append(strings.Join(fb.marks[r], "; "))
	}
	fb.recs = append(fb.recs, bld.NewRecordBatch())
	return nil
}

// flush writes a row group's failing rows, in row-group order.
func (f *FailedRowsWriter) flush(fb *failBuffer) error {
	if fb == nil {
		return nil
	}
	defer func() {
		for _, r := range fb.recs {
			r.Release()
		}
		fb.recs = nil
	}()
	for _, r := range fb.recs {
		if err := f.w.Write(r); err != nil {
			return err
		}
		f.Rows += r.NumRows()
	}
	return nil
}

// appendRows appends rows of src to a builder of the same type.
func appendRows(b array.Builder, src arrow.Array, rows []int) error {
	for _, i := range rows {
		if src.IsNull(i) {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
		case *array.BooleanBuilder:
			bb.Append(src.(*array.Boolean).Value(i))
		case *array.Int32Builder:
			bb.Append(src.(*array.Int32).Value(i))
		case *array.Int64Builder:
			bb.Append(src.(*array.Int64).Value(i))
		case *array.Float32Builder:
			bb.Append(src.(*array.Float32).Value(i))
		case *array.Float64Builder:
			bb.Append(src.(*array.Float64).Value(i))
		case *array.StringBuilder:
			bb.Append(src.(*array.String).Value(i))
		case *array.BinaryBuilder:
			bb.Append(src.(*array.Binary).Value(i))
		case *array.Date32Builder:
			bb.Append(src.(*array.Date32).Value(i))
		case *array.TimestampBuilder:
			bb.Append(src.(*array.Timestamp).Value(i))
		default:
			return fmt.Errorf("type %s", src.DataType())
		}
	}
	return nil
}
