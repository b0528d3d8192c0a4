package dataset

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/parquet-go/parquet-go"
	"golang.org/x/sync/errgroup"
)

// DefaultRowGroupRows is the most rows in one row group written by a
// Writer whose options leave RowGroupRows zero.
const DefaultRowGroupRows int64 = 1 << 20

// writeDictionaryMaxBytes bounds the dictionary of a string column within
// a row group: a column that outgrows it (identifiers, free text) falls
// back to PLAIN for the rest of the row group instead of holding every
// distinct value in memory. The same bound as CSV conversion uses.
const writeDictionaryMaxBytes = 1 << 20

// WriterOptions configure a Writer. Zero RowGroupRows and Compression take
// their defaults; Dictionary is a plain bool, so start from
// DefaultWriterOptions to get dictionary-encoded strings.
type WriterOptions struct {
	// RowGroupRows is the most rows in one row group (default
	// DefaultRowGroupRows, 1,048,576). Row groups are the unit of parallel
	// scans, and the writer holds about one compressed row group in memory.
	RowGroupRows int64
	// Compression is the page codec: "snappy" (default when empty), "zstd"
	// or "none".
	Compression string
	// Dictionary dictionary-encodes string columns (binary columns are
	// written plain). A column whose dictionary outgrows 1 MiB in a row
	// group continues with plain pages.
	Dictionary bool
	// Workers is the number of columns encoded at once (default
	// GOMAXPROCS; 1 encodes them one after the other).
	Workers int
	// Metadata is written to the file's footer as key/value metadata
	// (lineage, say), in key order.
	Metadata map[string]string
}

// DefaultWriterOptions returns the options assay writes with: row groups
// of DefaultRowGroupRows rows, Snappy, dictionary-encoded strings.
func DefaultWriterOptions() WriterOptions {
	return WriterOptions{RowGroupRows: DefaultRowGroupRows, Compression: "snappy", Dictionary: true}
}

// Validate reports a negative row group size or an unknown codec as an
// ErrInvalid error.
func (o WriterOptions) Validate() error {
	if o.RowGroupRows < 0 {
		return fmt.Errorf("%w: row group size %d: want a positive number of rows", ErrInvalid, o.RowGroupRows)
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: %d workers: want a positive number", ErrInvalid, o.Workers)
	}
	if _, err := o.codec(); err != nil {
		return err
	}
	return nil
}

func (o WriterOptions) codec() (parquet.WriterOption, error) {
	switch o.Compression {
	case "", "snappy":
		return parquet.Compression(&parquet.Snappy), nil
	case "zstd":
		return parquet.Compression(&parquet.Zstd), nil
	case "none":
		return parquet.Compression(&parquet.Uncompressed), nil
	}
	return nil, fmt.Errorf("%w: compression %q: want snappy, zstd or none", ErrInvalid, o.Compression)
}

// Writer writes Arrow record batches of one schema to a Parquet file. It
// is the inverse of Scanner: a file it writes scans back to the same
// Schema and values.
//
// Arrow types map to Parquet columns as follows; a nullable field becomes
// an optional column, any other field a required one.
//
//	bool                         BOOLEAN
//	int8, int16                  INT32 (INT(8) and INT(16) annotated), read back as int32
//	int32                        INT32
//	int64                        INT64
//	uint8, uint16, uint32        INT64, read back as int64
//	float32, float64             FLOAT, DOUBLE
//	string, large_string         BYTE_ARRAY STRING (dictionary-encoded with Dictionary)
//	binary, large_binary         BYTE_ARRAY
//	date32                       INT32 DATE
//	timestamp[ms|us|ns]          INT64 TIMESTAMP(unit); adjusted to UTC when the
//	                             Arrow type has a time zone (any zone: Arrow
//	                             stores instants), local wall time without one
//
// Other types (nested types, decimals, times of day, seconds timestamps,
// dictionary arrays, uint64, float16, views) are rejected by NewWriter.
//
// Values are copied column by column, in runs of a few thousand, into
// parquet-go's column writers, which encode, compress and compute
// statistics (min, max, null count) and page indexes as they do for any
// file. Columns are encoded in parallel: a column writer of parquet-go
// keeps its own buffers, dictionary and pages, and shares only pools and
// codecs, which are safe for concurrent use. Records are not retained: the
// caller may release a record as soon as Write returns. A Writer is not
// safe for concurrent use.
type Writer struct {
	schema  *arrow.Schema
	pw      *parquet.GenericWriter[any]
	cols    []*parquet.ColumnWriter
	fields  []fieldWriter
	maxRows int64
	workers int
	rows    int64             // rows in the open row group
	vals    [][]parquet.Value // per column, reused
	err     error             // a failed write leaves the file unusable
	closed  bool
}

// fieldWriter turns one Arrow field's values into parquet-go values.
type fieldWriter struct {
	name      string
	col       int
	optional  bool
	byteArray bool // string or binary
}

// valueRun is the most values handed to a column writer at once: parquet-go
// checks the page size after each run, so the run bounds how far a page
// can overshoot its target size. Byte-array runs are also cut at
// byteRunLimit bytes.
const (
	valueRun     = 4096
	byteRunLimit = 64 << 10
)

// NewWriter returns a Writer of schema to w. A field of a type that
// Parquet cannot hold as assay reads it (see Writer), a duplicate or empty
// field name, or bad options are ErrInvalid errors naming the field or
// option.
func NewWriter(w io.Writer, schema *arrow.Schema, opts WriterOptions) (*Writer, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if schema == nil || schema.NumFields() == 0 {
		return nil, fmt.Errorf("%w: cannot write a Parquet file without columns", ErrInvalid)
	}
	if n := schema.NumFields(); n > parquet.MaxColumnIndex {
		return nil, fmt.Errorf("%w: %d columns: Parquet files written by parquet-go hold at most %d", ErrInvalid, n, parquet.MaxColumnIndex)
	}
	root := orderedGroup{}
	fields := make([]fieldWriter, schema.NumFields())
	seen := make(map[string]bool, schema.NumFields())
	for i, f := range schema.Fields() {
		if f.Name == "" {
			return nil, fmt.Errorf("%w: field %d has no name", ErrInvalid, i+1)
		}
		if seen[f.Name] {
			return nil, fmt.Errorf("%w: field %q appears twice", ErrInvalid, f.Name)
		}
		seen[f.Name] = true
		node, err := nodeOf(f, opts.Dictionary)
		if err != nil {
			return nil, err
		}
		if f.Nullable {
			node = parquet.Optional(node)
		} else {
			node = parquet.Required(node)
		}
		root.fields = append(root.fields, &namedField{Node: node, name: f.Name, index: i})
		fields[i] = fieldWriter{name: f.Name, col: i, optional: f.Nullable, byteArray: node.Type().Kind() == parquet.ByteArray}
	}
	codec, _ := opts.codec()
	maxRows := opts.RowGroupRows
	if maxRows == 0 {
		maxRows = DefaultRowGroupRows
	}
	wopts := []parquet.WriterOption{
		parquet.NewSchema("schema", root),
		codec,
		parquet.MaxRowsPerRowGroup(maxRows),
		parquet.DictionaryMaxBytes(writeDictionaryMaxBytes),
	}
	for _, k := range slices.Sorted(maps.Keys(opts.Metadata)) {
		wopts = append(wopts, parquet.KeyValueMetadata(k, opts.Metadata[k]))
	}
	config, err := parquet.NewWriterConfig(wopts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	workers := opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pw := parquet.NewGenericWriter[any](w, config)
	return &Writer{
		schema:  schema,
		pw:      pw,
		cols:    pw.ColumnWriters(),
		fields:  fields,
		maxRows: maxRows,
		workers: workers,
		vals:    make([][]parquet.Value, len(fields)),
	}, nil
}

// nodeOf returns the Parquet leaf of an Arrow field, without repetition.
func nodeOf(f arrow.Field, dict bool) (parquet.Node, error) {
	unsupported := func(why string) error {
		return fmt.Errorf("%w: field %q: cannot write Arrow type %s to Parquet: %s", ErrInvalid, f.Name, f.Type, why)
	}
	switch t := f.Type.(type) {
	case *arrow.BooleanType:
		return parquet.Leaf(parquet.BooleanType), nil
	case *arrow.Int8Type:
		return parquet.Int(8), nil
	case *arrow.Int16Type:
		return parquet.Int(16), nil
	case *arrow.Int32Type:
		return parquet.Leaf(parquet.Int32Type), nil
	case *arrow.Int64Type:
		return parquet.Leaf(parquet.Int64Type), nil
	case *arrow.Uint8Type, *arrow.Uint16Type, *arrow.Uint32Type:
		return parquet.Leaf(parquet.Int64Type), nil
	case *arrow.Float32Type:
		return parquet.Leaf(parquet.FloatType), nil
	case *arrow.Float64Type:
		return parquet.Leaf(parquet.DoubleType), nil
	case *arrow.StringType, *arrow.LargeStringType:
		if dict {
			return parquet.Encoded(parquet.String(), &parquet.RLEDictionary), nil
		}
		return parquet.String(), nil
	case *arrow.BinaryType, *arrow.LargeBinaryType:
		return parquet.Leaf(parquet.ByteArrayType), nil
	case *arrow.Date32Type:
		return parquet.Date(), nil
	case *arrow.TimestampType:
		utc := t.TimeZone != ""
		switch t.Unit {
		case arrow.Millisecond:
			return parquet.TimestampAdjusted(parquet.Millisecond, utc), nil
		case arrow.Microsecond:
			return parquet.TimestampAdjusted(parquet.Microsecond, utc), nil
		case arrow.Nanosecond:
			return parquet.TimestampAdjusted(parquet.Nanosecond, utc), nil
		}
		return nil, unsupported("Parquet timestamps are in ms, us or ns")
	case arrow.NestedType:
		return nil, unsupported("nested types are not supported")
	case *arrow.Uint64Type:
		return nil, unsupported("unsigned 64-bit integers are not supported")
	}
	return nil, unsupported("the type is not supported")
}

// Schema returns the Arrow schema of the records the Writer accepts.
func (w *Writer) Schema() *arrow.Schema { return w.schema }

// Write appends the rows of rec. Its schema must have the writer's fields
// (names, types, nullability; metadata is ignored), or Write returns an
// ErrSchema error naming the first difference and writes nothing. Nulls in
// a non-nullable field are an ErrInvalid error. An error from the
// underlying writer leaves the file incomplete: later calls return it.
func (w *Writer) Write(rec arrow.RecordBatch) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("parquet writer: write after Close")
	}
	if err := w.check(rec); err != nil {
		return err
	}
	n := rec.NumRows()
	for off := int64(0); off < n; {
		k := min(n-off, w.maxRows-w.rows)
		if err := w.writeRows(rec, int(off), int(k)); err != nil {
			w.err = fmt.Errorf("parquet writer: %w", err)
			return w.err
		}
		off += k
		w.rows += k
		if w.rows == w.maxRows {
			if err := w.pw.Flush(); err != nil {
				w.err = fmt.Errorf("parquet writer: flush row group: %w", err)
				return w.err
			}
			w.rows = 0
		}
	}
	return nil
}

// check compares rec's schema with the writer's and rejects nulls in
// required columns.
func (w *Writer) check(rec arrow.RecordBatch) error {
	got := rec.Schema()
	if got.NumFields() != w.schema.NumFields() {
		return fmt.Errorf("%w: record has %d fields, the writer %d (%s)", ErrSchema, got.NumFields(), w.schema.NumFields(), fieldList(w.schema))
	}
	for i, want := range w.schema.Fields() {
		f := got.Field(i)
		switch {
		case f.Name != want.Name:
			return fmt.Errorf("%w: record field %d is %q, want %q", ErrSchema, i+1, f.Name, want.Name)
		case !arrow.TypeEqual(f.Type, want.Type):
			return fmt.Errorf("%w: record field %q is %s, want %s", ErrSchema, f.Name, f.Type, want.Type)
		case f.Nullable != want.Nullable:
			return fmt.Errorf("%w: record field %q has nullable=%v, want nullable=%v", ErrSchema, f.Name, f.Nullable, want.Nullable)
		}
		if !want.Nullable {
			if nulls := rec.Column(i).NullN(); nulls > 0 {
				return fmt.Errorf("%w: field %q is not nullable, but the record holds %d nulls in it", ErrInvalid, f.Name, nulls)
			}
		}
	}
	return nil
}

func fieldList(s *arrow.Schema) string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name + " " + f.Type.String()
	}
	return joinNames(names)
}

// parallelRows is the fewest rows worth encoding columns in parallel.
const parallelRows = 4096

// writeRows writes rows [off, off+n) of every column.
func (w *Writer) writeRows(rec arrow.RecordBatch, off, n int) error {
	if w.workers <= 1 || n < parallelRows || len(w.fields) == 1 {
		for i := range w.fields {
			if err := w.writeColumn(i, rec.Column(i), off, n); err != nil {
				return err
			}
		}
		return nil
	}
	var g errgroup.Group
	g.SetLimit(w.workers)
	for i := range w.fields {
		g.Go(func() error { return w.writeColumn(i, rec.Column(i), off, n) })
	}
	return g.Wait()
}

// writeColumn writes rows [off, off+n) of column i in runs.
func (w *Writer) writeColumn(i int, arr arrow.Array, off, n int) error {
	f := &w.fields[i]
	if w.vals[i] == nil {
		w.vals[i] = make([]parquet.Value, valueRun)
	}
	cw := w.cols[i]
	src := newSource(f, arr)
	for lo, hi := off, off+n; lo < hi; {
		k := src.run(lo, min(hi-lo, valueRun))
		vals := w.vals[i][:k]
		src.fill(lo, vals)
		if _, err := cw.WriteRowValues(vals); err != nil {
			return fmt.Errorf("column %q: %w", f.name, err)
		}
		lo += k
	}
	if f.byteArray {
		// Drop the pointers into the record's buffers.
		clear(w.vals[i])
	}
	return nil
}

// source reads the values of one Arrow array into parquet-go values, with
// definition levels and column index set.
type source struct {
	arr     arrow.Array
	col     int
	def     int    // definition level of a present value: 1 if optional
	nulls   []byte // validity bitmap, nil when the array has no nulls
	offset  int    // the array's offset into nulls
	allNull bool

	// One of these holds the values, from the array's offset on.
	bools   *array.Boolean
	int32s  []int32
	int16s  []int16
	int8s   []int8
	int64s  []int64
	uint32s []uint32
	uint16s []uint16
	uint8s  []uint8
	f32s    []float32
	f64s    []float64
	offs32  []int32 // byte arrays: offsets from the array's offset on
	offs64  []int64
	data    []byte
}

func newSource(f *fieldWriter, arr arrow.Array) *source {
	s := &source{arr: arr, col: f.col}
	if f.optional {
		s.def = 1
		if arr.NullN() > 0 {
			s.nulls = arr.NullBitmapBytes()
			s.offset = arr.Data().Offset()
			// The values buffer of an all-null array may be missing.
			s.allNull = arr.NullN() == arr.Len()
		}
	}
	if s.allNull {
		return s
	}
	switch a := arr.(type) {
	case *array.Boolean:
		s.bools = a
	case *array.Int8:
		s.int8s = a.Int8Values()
	case *array.Int16:
		s.int16s = a.Int16Values()
	case *array.Int32:
		s.int32s = a.Int32Values()
	case *array.Date32:
		s.int32s = arrow.Int32Traits.CastFromBytes(arrow.Date32Traits.CastToBytes(a.Date32Values()))
	case *array.Int64:
		s.int64s = a.Int64Values()
	case *array.Timestamp:
		s.int64s = arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(a.TimestampValues()))
	case *array.Uint8:
		s.uint8s = a.Uint8Values()
	case *array.Uint16:
		s.uint16s = a.Uint16Values()
	case *array.Uint32:
		s.uint32s = a.Uint32Values()
	case *array.Float32:
		s.f32s = a.Float32Values()
	case *array.Float64:
		s.f64s = a.Float64Values()
	case *array.String:
		s.offs32, s.data = a.ValueOffsets(), valueData(arr)
	case *array.Binary:
		s.offs32, s.data = a.ValueOffsets(), valueData(arr)
	case *array.LargeString:
		s.offs64, s.data = a.ValueOffsets(), valueData(arr)
	case *array.LargeBinary:
		s.offs64, s.data = a.ValueOffsets(), valueData(arr)
	}
	return s
}

// valueData returns the data buffer of a byte-array array (nil when it has
// none, as an array of empty strings may not).
func valueData(arr arrow.Array) []byte {
	bufs := arr.Data().Buffers()
	if len(bufs) < 3 || bufs[2] == nil {
		return nil
	}
	return bufs[2].Bytes()
}

// run shortens a run of k values from lo so that a byte-array run holds at
// most byteRunLimit bytes (and at least one value).
func (s *source) run(lo, k int) int {
	var size func(i, j int) int64
	switch {
	case s.offs32 != nil:
		size = func(i, j int) int64 { return int64(s.offs32[j]) - int64(s.offs32[i]) }
	case s.offs64 != nil:
		size = func(i, j int) int64 { return s.offs64[j] - s.offs64[i] }
	default:
		return k
	}
	if size(lo, lo+k) <= byteRunLimit {
		return k
	}
	// Binary search for the longest run within the limit.
	a, b := 1, k
	for a < b {
		m := (a + b + 1) / 2
		if size(lo, lo+m) <= byteRunLimit {
			a = m
		} else {
			b = m - 1
		}
	}
	return a
}

// fill writes values lo, lo+1, … into out.
func (s *source) fill(lo int, out []parquet.Value) {
	switch {
	case s.allNull:
		for i := range out {
			out[i] = s.null()
		}
	case s.bools != nil:
		fillBools(s, lo, out)
	case s.int32s != nil:
		fillInt32s(s, s.int32s, lo, out)
	case s.int16s != nil:
		fillInt32s(s, s.int16s, lo, out)
	case s.int8s != nil:
		fillInt32s(s, s.int8s, lo, out)
	case s.int64s != nil:
		fillInt64s(s, s.int64s, lo, out)
	case s.uint32s != nil:
		fillInt64s(s, s.uint32s, lo, out)
	case s.uint16s != nil:
		fillInt64s(s, s.uint16s, lo, out)
	case s.uint8s != nil:
		fillInt64s(s, s.uint8s, lo, out)
	case s.f32s != nil:
		fillFloat32s(s, s.f32s, lo, out)
	case s.f64s != nil:
		fillFloat64s(s, s.f64s, lo, out)
	case s.offs32 != nil:
		fillBytes(s, s.offs32, lo, out)
	case s.offs64 != nil:
		fillBytes(s, s.offs64, lo, out)
	default:
		// NewWriter admits only the types above, and a non-empty array of
		// them has a values buffer.
		panic(fmt.Sprintf("parquet writer: no values in %s array of length %d", s.arr.DataType(), s.arr.Len()))
	}
}

// isNull reports whether value i is null.
func (s *source) isNull(i int) bool {
	return s.nulls != nil && !bitutil.BitIsSet(s.nulls, s.offset+i)
}

// null returns the column's null value.
func (s *source) null() parquet.Value { return parquet.NullValue().Level(0, 0, s.col) }

// The fill functions below have three loops: a required column's values
// need no levels (its column buffer ignores them), an optional column's
// present values get definition level 1, and nulls the null value.

func fillBools(s *source, lo int, out []parquet.Value) {
	for i := range out {
		j := lo + i
		switch {
		case s.def == 0:
			out[i] = parquet.BooleanValue(s.bools.Value(j))
		case s.isNull(j):
			out[i] = s.null()
		default:
			out[i] = parquet.BooleanValue(s.bools.Value(j)).Level(0, 1, s.col)
		}
	}
}

func fillInt32s[T int8 | int16 | int32](s *source, src []T, lo int, out []parquet.Value) {
	src = src[lo : lo+len(out)]
	switch {
	case s.def == 0:
		for i, v := range src {
			out[i] = parquet.Int32Value(int32(v))
		}
	case s.nulls == nil:
		for i, v := range src {
			out[i] = parquet.Int32Value(int32(v)).Level(0, 1, s.col)
		}
	default:
		for i, v := range src {
			if s.isNull(lo + i) {
				out[i] = s.null()
			} else {
				out[i] = parquet.Int32Value(int32(v)).Level(0, 1, s.col)
			}
		}
	}
}

func fillInt64s[T uint8 | uint16 | uint32 | int64](s *source, src []T, lo int, out []parquet.Value) {
	src = src[lo : lo+len(out)]
	switch {
	case s.def == 0:
		for i, v := range src {
			out[i] = parquet.Int64Value(int64(v))
		}
	case s.nulls == nil:
		for i, v := range src {
			out[i] = parquet.Int64Value(int64(v)).Level(0, 1, s.col)
		}
	default:
		for i, v := range src {
			if s.isNull(lo + i) {
				out[i] = s.null()
			} else {
				out[i] = parquet.Int64Value(int64(v)).Level(0, 1, s.col)
			}
		}
	}
}

func fillFloat32s(s *source, src []float32, lo int, out []parquet.Value) {
	src = src[lo : lo+len(out)]
	switch {
	case s.def == 0:
		for i, v := range src {
			out[i] = parquet.FloatValue(v)
		}
	default:
		for i, v := range src {
			if s.isNull(lo + i) {
				out[i] = s.null()
			} else {
				out[i] = parquet.FloatValue(v).Level(0, 1, s.col)
			}
		}
	}
}

func fillFloat64s(s *source, src []float64, lo int, out []parquet.Value) {
	src = src[lo : lo+len(out)]
	switch {
	case s.def == 0:
		for i, v := range src {
			out[i] = parquet.DoubleValue(v)
		}
	case s.nulls == nil:
		for i, v := range src {
			out[i] = parquet.DoubleValue(v).Level(0, 1, s.col)
		}
	default:
		for i, v := range src {
			if s.isNull(lo + i) {
				out[i] = s.null()
			} else {
				out[i] = parquet.DoubleValue(v).Level(0, 1, s.col)
			}
		}
	}
}

// fillBytes makes values that point into the Arrow data buffer; the column
// writer copies them.
func fillBytes[O int32 | int64](s *source, offs []O, lo int, out []parquet.Value) {
	for i := range out {
		j := lo + i
		switch {
		case s.def == 0:
			out[i] = parquet.ByteArrayValue(s.data[offs[j]:offs[j+1]:offs[j+1]])
		case s.isNull(j):
			out[i] = s.null()
		default:
			out[i] = parquet.ByteArrayValue(s.data[offs[j]:offs[j+1]:offs[j+1]]).Level(0, 1, s.col)
		}
	}
}

// Close flushes the last row group and writes the footer. It does not
// close the underlying io.Writer. After an error from Write, Close returns
// that error and writes no footer. Closing twice is a no-op.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if err := w.pw.Close(); err != nil {
		w.err = fmt.Errorf("parquet writer: close: %w", err)
		return w.err
	}
	return nil
}

// WriteFile writes a Parquet file at path atomically: fill writes the
// batches to a Writer on a temporary file in the same directory, which is
// then synced and renamed over path. Readers see the old file or the whole
// new one. If fill, or anything else, fails, no file is left behind (and an
// existing file at path is untouched). fill must not Close the Writer.
func WriteFile(path string, schema *arrow.Schema, opts WriterOptions, fill func(w *Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	done := false
	defer func() {
		// Also runs when fill panics.
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := newBufferedFile(f)
	w, err := NewWriter(bw, schema, opts)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fill(w); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if w.closed {
		return fmt.Errorf("write %s: the fill function closed the writer", path)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	done = true
	// Make the rename durable. Some systems cannot sync a directory; the
	// file itself is complete either way.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// bufferedFile batches the writer's many small writes (page headers,
// levels, values) into large ones.
type bufferedFile struct {
	f   *os.File
	buf []byte
}

func newBufferedFile(f *os.File) *bufferedFile {
	return &bufferedFile{f: f, buf: make([]byte, 0, 1<<20)}
}

func (b *bufferedFile) Write(p []byte) (int, error) {
	if len(b.buf)+len(p) > cap(b.buf) {
		if err := b.flush(); err != nil {
			return 0, err
		}
		if len(p) >= cap(b.buf) {
			return b.f.Write(p)
		}
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *bufferedFile) flush() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.f.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// orderedGroup is a Parquet group whose fields keep the order they were
// given in (parquet.Group sorts them by name). The embedded, empty
// parquet.Group supplies the group's other methods.
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

func (g orderedGroup) Fields() []parquet.Field { return g.fields }

func (g orderedGroup) String() string {
	var b strings.Builder
	b.WriteString("group {")
	for i, f := range g.fields {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(" " + strconv.Quote(f.Name()) + " " + f.String())
	}
	b.WriteString(" }")
	return b.String()
}

// GoType returns a struct with one field per column (named F0, F1, …, and
// tagged with the column names). The writer never uses it.
func (g orderedGroup) GoType() reflect.Type {
	fields := make([]reflect.StructField, len(g.fields))
	for i, f := range g.fields {
		fields[i] = reflect.StructField{
			Name: "F" + strconv.Itoa(i),
			Type: f.GoType(),
			Tag:  reflect.StructTag(`parquet:` + strconv.Quote(f.Name())),
		}
	}
	return reflect.StructOf(fields)
}

// namedField is a field of an orderedGroup.
type namedField struct {
	parquet.Node
	name  string
	index int
}

func (f *namedField) Name() string { return f.name }

func (f *namedField) Value(base reflect.Value) reflect.Value {
	if base.Kind() == reflect.Struct && f.index < base.NumField() {
		return base.Field(f.index)
	}
	return reflect.Value{}
}

var (
	_ parquet.Node  = orderedGroup{}
	_ parquet.Field = (*namedField)(nil)
)
