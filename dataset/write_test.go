package dataset_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
)

// wType is an Arrow type the writer accepts: a generator of non-null
// values (edge cases included) and the column it scans back as.
type wType struct {
	name string
	dt   arrow.DataType
	typ  dataset.Type
	utc  bool
	gen  func(b array.Builder, r *rand.Rand)
}

func wPick[T any](r *rand.Rand, edges []T, other func() T) T {
	if r.IntN(8) == 0 {
		return edges[r.IntN(len(edges))]
	}
	return other()
}

func wGenBytes(r *rand.Rand) []byte {
	b := make([]byte, r.IntN(13))
	for i := range b {
		b[i] = byte(r.IntN(4)) // zero bytes included, repeats likely
	}
	return b
}

func wTypes() []wType {
	small := func(r *rand.Rand) int64 { return int64(r.IntN(200) - 100) }
	ts := func(name string, unit arrow.TimeUnit, tz string, typ dataset.Type, scale int64) wType {
		return wType{name: name, dt: &arrow.TimestampType{Unit: unit, TimeZone: tz}, typ: typ, utc: tz != "",
			gen: func(b array.Builder, r *rand.Rand) {
				v := wPick(r, []int64{0, -1, 1_700_000_000 * scale}, func() int64 {
					return (r.Int64N(3_500_000_000) - 1_250_000_000) * scale
				})
				b.(*array.TimestampBuilder).Append(arrow.Timestamp(v))
			}}
	}
	return []wType{
		{name: "bool", dt: arrow.FixedWidthTypes.Boolean, typ: dataset.Bool,
			gen: func(b array.Builder, r *rand.Rand) { b.(*array.BooleanBuilder).Append(r.IntN(3) == 0) }},
		{name: "int8", dt: arrow.PrimitiveTypes.Int8, typ: dataset.Int32,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.Int8Builder).Append(wPick(r, []int8{math.MinInt8, math.MaxInt8, 0}, func() int8 { return int8(small(r)) }))
			}},
		{name: "int16", dt: arrow.PrimitiveTypes.Int16, typ: dataset.Int32,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.Int16Builder).Append(wPick(r, []int16{math.MinInt16, math.MaxInt16, 0}, func() int16 { return int16(small(r)) }))
			}},
		{name: "int32", dt: arrow.PrimitiveTypes.Int32, typ: dataset.Int32,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.Int32Builder).Append(wPick(r, []int32{math.MinInt32, math.MaxInt32, 0}, func() int32 { return int32(small(r)) }))
			}},
		{name: "int64", dt: arrow.PrimitiveTypes.Int64, typ: dataset.Int64,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.Int64Builder).Append(wPick(r, []int64{math.MinInt64, math.MaxInt64, 0}, func() int64 { return small(r) }))
			}},
		{name: "uint8", dt: arrow.PrimitiveTypes.Uint8, typ: dataset.Int64,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.Uint8Builder).Append(wPick(r, []uint8{0, math.MaxUint8}, func() uint8 { return uint8(r.IntN(256)) }))
			}},
		{name: "uint16", dt: arrow.PrimitiveTypes.Uint16, typ: dataset.Int64,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.Uint16Builder).Append(wPick(r, []uint16{0, math.MaxUint16}, func() uint16 { return uint16(r.IntN(1000)) }))
			}},
		{name: "uint32", dt: arrow.PrimitiveTypes.Uint32, typ: dataset.Int64,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.Uint32Builder).Append(wPick(r, []uint32{0, math.MaxUint32}, func() uint32 { return r.Uint32() }))
			}},
		{name: "float32", dt: arrow.PrimitiveTypes.Float32, typ: dataset.Float32,
			gen: func(b array.Builder, r *rand.Rand) {
				edges := []float32{float32(math.NaN()), float32(math.Inf(-1)), float32(math.Inf(1)),
					float32(math.Copysign(0, -1)), math.MaxFloat32, math.SmallestNonzeroFloat32}
				b.(*array.Float32Builder).Append(wPick(r, edges, func() float32 { return float32(small(r)) / 4 }))
			}},
		{name: "float64", dt: arrow.PrimitiveTypes.Float64, typ: dataset.Float64,
			gen: func(b array.Builder, r *rand.Rand) {
				edges := []float64{math.NaN(), math.Inf(-1), math.Inf(1), math.Copysign(0, -1),
					math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64}
				b.(*array.Float64Builder).Append(wPick(r, edges, func() float64 { return r.NormFloat64() * 1e3 }))
			}},
		{name: "string", dt: arrow.BinaryTypes.String, typ: dataset.String,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.StringBuilder).Append(testStrings[r.IntN(len(testStrings))])
			}},
		{name: "large_string", dt: arrow.BinaryTypes.LargeString, typ: dataset.String,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.LargeStringBuilder).Append(testStrings[r.IntN(len(testStrings))])
			}},
		{name: "binary", dt: arrow.BinaryTypes.Binary, typ: dataset.Binary,
			gen: func(b array.Builder, r *rand.Rand) { b.(*array.BinaryBuilder).Append(wGenBytes(r)) }},
		{name: "large_binary", dt: arrow.BinaryTypes.LargeBinary, typ: dataset.Binary,
			gen: func(b array.Builder, r *rand.Rand) { b.(*array.BinaryBuilder).Append(wGenBytes(r)) }},
		{name: "date32", dt: arrow.FixedWidthTypes.Date32, typ: dataset.Date,
			gen: func(b array.Builder, r *rand.Rand) {
				b.(*array.Date32Builder).Append(arrow.Date32(wPick(r, []int32{0, -1, -719162, 2932896}, func() int32 { return int32(r.IntN(40000) - 10000) })))
			}},
		ts("ts_ms", arrow.Millisecond, "", dataset.TimestampMS, 1_000),
		ts("ts_us", arrow.Microsecond, "", dataset.TimestampUS, 1_000_000),
		ts("ts_ns", arrow.Nanosecond, "", dataset.TimestampNS, 1_000_000_000),
		ts("ts_ms_utc", arrow.Millisecond, "UTC", dataset.TimestampMS, 1_000),
		ts("ts_us_utc", arrow.Microsecond, "UTC", dataset.TimestampUS, 1_000_000),
		ts("ts_ns_utc", arrow.Nanosecond, "UTC", dataset.TimestampNS, 1_000_000_000),
		// Arrow timestamps with a zone hold instants: they are written
		// adjusted to UTC and read back as UTC.
		ts("ts_us_paris", arrow.Microsecond, "Europe/Paris", dataset.TimestampUS, 1_000_000),
	}
}

// wColumn is a column of a generated record: a type, nullability and the
// share of nulls (0: none, 1: all).
type wColumn struct {
	name     string
	t        wType
	nullable bool
	nulls    float64
}

// wColumns returns every type required and nullable (a fifth nulls), and
// nullable columns without nulls and with only nulls.
func wColumns() []wColumn {
	var cols []wColumn
	byName := map[string]wType{}
	for _, t := range wTypes() {
		byName[t.name] = t
		cols = append(cols,
			wColumn{name: t.name + "_req", t: t},
			wColumn{name: t.name + "_opt", t: t, nullable: true, nulls: 0.2})
	}
	return append(cols,
		wColumn{name: "int64_opt_nonull", t: byName["int64"], nullable: true},
		wColumn{name: "string_opt_allnull", t: byName["string"], nullable: true, nulls: 1},
		wColumn{name: "float64_opt_allnull", t: byName["float64"], nullable: true, nulls: 1},
		wColumn{name: "bool_opt_allnull", t: byName["bool"], nullable: true, nulls: 1},
		wColumn{name: "binary_opt_allnull", t: byName["large_binary"], nullable: true, nulls: 1},
	)
}

func wSchema(cols []wColumn) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.t.dt, Nullable: c.nullable}
	}
	return arrow.NewSchema(fields, nil)
}

// wWant returns the schema the written columns scan back as.
func wWant(cols []wColumn) dataset.Schema {
	out := make(dataset.Schema, len(cols))
	for i, c := range cols {
		out[i] = dataset.Column{Name: c.name, Type: c.t.typ, Nullable: c.nullable, UTC: c.t.utc}
	}
	return out
}

// wRecord generates n rows of cols.
func wRecord(mem memory.Allocator, cols []wColumn, n int, r *rand.Rand) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, wSchema(cols))
	defer b.Release()
	for j, c := range cols {
		fb := b.Field(j)
		for range n {
			if c.nulls > 0 && r.Float64() < c.nulls {
				fb.AppendNull()
				continue
			}
			c.t.gen(fb, r)
		}
	}
	return b.NewRecordBatch()
}

// wCell returns row i of arr as a comparable value: nil for null, int64 for
// integers, dates and timestamps, the bits of floats, strings for byte
// arrays.
func wCell(arr arrow.Array, i int) any {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return int64(a.Value(i))
	case *array.Uint16:
		return int64(a.Value(i))
	case *array.Uint32:
		return int64(a.Value(i))
	case *array.Date32:
		return int64(a.Value(i))
	case *array.Timestamp:
		return int64(a.Value(i))
	case *array.Float32:
		return math.Float32bits(a.Value(i))
	case *array.Float64:
		return math.Float64bits(a.Value(i))
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Binary:
		return string(a.Value(i))
	case *array.LargeBinary:
		return string(a.Value(i))
	}
	panic(fmt.Sprintf("wCell: unexpected array %T", arr))
}

// wRowCursor walks the rows of a sequence of batches.
type wRowCursor struct {
	recs []arrow.RecordBatch
	rec  int
	row  int
}

func (c *wRowCursor) next() (arrow.RecordBatch, int, bool) {
	for c.rec < len(c.recs) && c.row >= int(c.recs[c.rec].NumRows()) {
		c.rec++
		c.row = 0
	}
	if c.rec == len(c.recs) {
		return nil, 0, false
	}
	c.row++
	return c.recs[c.rec], c.row - 1, true
}

// wSameRows compares the batches written with the batches read back, cell
// by cell; the first few differences are reported.
func wSameRows(t *testing.T, written, read []arrow.RecordBatch) {
	t.Helper()
	w, r := &wRowCursor{recs: written}, &wRowCursor{recs: read}
	bad := 0
	for row := 0; ; row++ {
		wr, wi, wok := w.next()
		rr, ri, rok := r.next()
		if wok != rok {
			t.Fatalf("rows: wrote %v, read %v at row %d", wok, rok, row)
		}
		if !wok {
			return
		}
		for j := range int(wr.NumCols()) {
			want, got := wCell(wr.Column(j), wi), wCell(rr.Column(j), ri)
			if want != got {
				t.Errorf("row %d, column %q: got %v, want %v", row, wr.ColumnName(j), got, want)
				if bad++; bad > 10 {
					t.FailNow()
				}
			}
		}
	}
}

// wReadBack scans a written file into batches and checks them for
// consistency.
func wReadBack(t *testing.T, data []byte) (*dataset.Scanner, []arrow.RecordBatch) {
	t.Helper()
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput("written.parquet", data)})
	if err != nil {
		t.Fatalf("scan written file: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	recs, err := dataset.ReadAll(context.Background(), s, nil)
	if err != nil {
		t.Fatalf("scan written file: %v", err)
	}
	t.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	for _, rec := range recs {
		for j, col := range rec.Columns() {
			if err := validate(col); err != nil {
				t.Fatalf("column %q read back: %v", rec.ColumnName(j), err)
			}
		}
	}
	return s, recs
}

func wWriteAll(t *testing.T, schema *arrow.Schema, opts dataset.WriterOptions, recs []arrow.RecordBatch) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := dataset.NewWriter(&buf, schema, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteRoundTrip(t *testing.T) {
	cols := wColumns()
	schema := wSchema(cols)
	options := []struct {
		name string
		opts dataset.WriterOptions
	}{
		{"default", dataset.DefaultWriterOptions()},
		{"zstd/plain/sequential", dataset.WriterOptions{RowGroupRows: 1000, Compression: "zstd", Workers: 1}},
		{"none/dict/3workers", dataset.WriterOptions{RowGroupRows: 999, Compression: "none", Dictionary: true, Workers: 3}},
		{"zero options", dataset.WriterOptions{}},
	}
	for _, o := range options {
		t.Run(o.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			r := rand.New(rand.NewPCG(1, 2))
			// Batches of several sizes, an empty one, and a slice (an
			// array offset into its buffers).
			var recs []arrow.RecordBatch
			for _, n := range []int{1500, 1, 0, 4500} {
				recs = append(recs, wRecord(mem, cols, n, r))
			}
			whole := wRecord(mem, cols, 1300, r)
			recs = append(recs, whole.NewSlice(7, 1211))
			whole.Release()
			defer func() {
				for _, rec := range recs {
					rec.Release()
				}
			}()
			var total int64
			for _, rec := range recs {
				total += rec.NumRows()
			}

			data := wWriteAll(t, schema, o.opts, recs)
			s, read := wReadBack(t, data)
			if got, want := s.Schema(), wWant(cols); !reflect.DeepEqual(got, want) {
				t.Errorf("schema:\ngot  %v\nwant %v", got, want)
			}
			if s.NumRows() != total {
				t.Errorf("rows: got %d, want %d", s.NumRows(), total)
			}
			groupRows := o.opts.RowGroupRows
			if groupRows == 0 {
				groupRows = dataset.DefaultRowGroupRows
			}
			rgs := s.RowGroups()
			if want := int((total + groupRows - 1) / groupRows); len(rgs) != want {
				t.Errorf("row groups: got %d, want %d", len(rgs), want)
			}
			for i, rg := range rgs {
				if want := min(groupRows, total-rg.FirstRow); rg.NumRows != want {
					t.Errorf("row group %d: %d rows, want %d", i, rg.NumRows, want)
				}
			}
			wSameRows(t, recs, read)
		})
	}
}

// TestWriteDictionary checks that the option decides the encoding of
// string columns.
func TestWriteDictionary(t *testing.T) {
	cols := []wColumn{{name: "s", t: wTypes()[10]}, {name: "b", t: wTypes()[12]}}
	if cols[0].t.typ != dataset.String || cols[1].t.typ != dataset.Binary {
		t.Fatal("wTypes changed order")
	}
	rec := wRecord(memory.NewGoAllocator(), cols, 500, rand.New(rand.NewPCG(3, 4)))
	defer rec.Release()
	for _, dict := range []bool{false, true} {
		t.Run(fmt.Sprint("dictionary=", dict), func(t *testing.T) {
			data := wWriteAll(t, rec.Schema(), dataset.WriterOptions{Dictionary: dict}, []arrow.RecordBatch{rec})
			f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []bool{dict, false} {
				md := f.Metadata().RowGroups[0].Columns[i].MetaData
				got := md.DictionaryPageOffset != 0
				if got != want {
					t.Errorf("column %s: dictionary page %v, want %v (encodings %v)", md.PathInSchema, got, want, md.Encoding)
				}
			}
			_, read := wReadBack(t, data)
			wSameRows(t, []arrow.RecordBatch{rec}, read)
		})
	}
}

// TestWriteLongValues writes byte arrays far larger than a page, so runs
// and pages are cut by size.
func TestWriteLongValues(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "blob", Type: arrow.BinaryTypes.LargeBinary, Nullable: true},
		{Name: "text", Type: arrow.BinaryTypes.String},
	}, nil)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		if i%7 == 3 {
			b.Field(0).AppendNull()
		} else {
			blob := make([]byte, r.IntN(100_000))
			for j := range blob {
				blob[j] = byte(r.Uint32())
			}
			b.Field(0).(*array.BinaryBuilder).Append(blob)
		}
		b.Field(1).(*array.StringBuilder).Append(strings.Repeat(string(rune('a'+i%26)), i*37))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	data := wWriteAll(t, schema, dataset.WriterOptions{RowGroupRows: 128, Dictionary: true}, []arrow.RecordBatch{rec})
	_, read := wReadBack(t, data)
	wSameRows(t, []arrow.RecordBatch{rec}, read)

	// Values are handed to parquet-go in runs of at most 64 KiB, after
	// each of which it cuts a page if it holds 256 KiB: the 6 MB of blobs
	// in each full row group make twenty-odd pages, not one.
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for i, idx := range f.OffsetIndexes() {
		if i%2 == 0 && i < 4 && len(idx.PageLocations) < 15 {
			t.Errorf("row group %d: %d pages of blobs, want at least 15", i/2, len(idx.PageLocations))
		}
	}
}

// TestWriteFieldNames: columns keep their order and names, however odd.
func TestWriteFieldNames(t *testing.T) {
	names := []string{"z", "a", "a,b", `with "quotes"`, "日本語", "x.y", " space ", "0digit", "F0", "f0", "tab\there"}
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Int32, Nullable: i%2 == 0}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	defer b.Release()
	for i := range names {
		b.Field(i).(*array.Int32Builder).AppendValues([]int32{int32(i), int32(10 * i)}, nil)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	data := wWriteAll(t, schema, dataset.DefaultWriterOptions(), []arrow.RecordBatch{rec})
	s, read := wReadBack(t, data)
	if got := s.Schema().Names(); !reflect.DeepEqual(got, names) {
		t.Errorf("names:\ngot  %q\nwant %q", got, names)
	}
	wSameRows(t, []arrow.RecordBatch{rec}, read)
}

func TestWriteEmpty(t *testing.T) {
	cols := wColumns()
	schema := wSchema(cols)
	for _, batches := range []int{0, 2} {
		t.Run(fmt.Sprintf("%d empty batches", batches), func(t *testing.T) {
			var recs []arrow.RecordBatch
			for range batches {
				rec := wRecord(memory.NewGoAllocator(), cols, 0, rand.New(rand.NewPCG(1, 1)))
				defer rec.Release()
				recs = append(recs, rec)
			}
			data := wWriteAll(t, schema, dataset.DefaultWriterOptions(), recs)
			s, read := wReadBack(t, data)
			if got, want := s.Schema(), wWant(cols); !reflect.DeepEqual(got, want) {
				t.Errorf("schema:\ngot  %v\nwant %v", got, want)
			}
			if s.NumRows() != 0 || len(s.RowGroups()) != 0 || len(read) != 0 {
				t.Errorf("got %d rows, %d row groups, %d batches; want none", s.NumRows(), len(s.RowGroups()), len(read))
			}
		})
	}
}

func TestWriteSchemaMismatch(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	field := func(name string, dt arrow.DataType, nullable bool) arrow.Field {
		return arrow.Field{Name: name, Type: dt, Nullable: nullable}
	}
	id := field("id", arrow.PrimitiveTypes.Int64, false)
	name := field("name", arrow.BinaryTypes.String, true)
	ts := field("ts", &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, true)
	schema := arrow.NewSchema([]arrow.Field{id, name, ts}, nil)

	// record makes a batch of one row with the given fields.
	record := func(fields ...arrow.Field) arrow.RecordBatch {
		b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
		defer b.Release()
		for _, fb := range b.Fields() {
			fb.AppendEmptyValue()
		}
		return b.NewRecordBatch()
	}
	var buf bytes.Buffer
	w, err := dataset.NewWriter(&buf, schema, dataset.DefaultWriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		fields []arrow.Field
		want   string
	}{
		{"renamed", []arrow.Field{id, field("title", arrow.BinaryTypes.String, true), ts}, `field 2 is "title", want "name"`},
		{"retyped", []arrow.Field{id, field("name", arrow.BinaryTypes.LargeString, true), ts}, `"name" is large_utf8, want utf8`},
		{"other zone", []arrow.Field{id, name, field("ts", &arrow.TimestampType{Unit: arrow.Millisecond}, true)}, `"ts" is timestamp[ms]`},
		{"nullable", []arrow.Field{field("id", arrow.PrimitiveTypes.Int64, true), name, ts}, `"id" has nullable=true`},
		{"extra", []arrow.Field{id, name, ts, field("x", arrow.PrimitiveTypes.Int32, true)}, "record has 4 fields, the writer 3"},
		{"missing", []arrow.Field{id, name}, "record has 2 fields, the writer 3"},
		{"reordered", []arrow.Field{name, id, ts}, `field 1 is "name", want "id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := record(tt.fields...)
			defer rec.Release()
			err := w.Write(rec)
			if !errors.Is(err, dataset.ErrSchema) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an ErrSchema error with %q", err, tt.want)
			}
		})
	}

	// Nulls in a non-nullable field are bad input.
	b := array.NewRecordBuilder(mem, schema)
	b.Field(0).AppendNull()
	b.Field(1).AppendNull()
	b.Field(2).AppendNull()
	nulls := b.NewRecordBatch()
	b.Release()
	defer nulls.Release()
	if err := w.Write(nulls); !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), `"id" is not nullable`) {
		t.Errorf("nulls in a required field: got %v, want ErrInvalid naming id", err)
	}

	// The rejected batches wrote nothing; the writer goes on. Schema
	// metadata does not matter.
	good := record(id, name, ts)
	defer good.Release()
	meta := arrow.NewMetadata([]string{"origin"}, []string{"test"})
	withMeta := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{id, name, ts}, &meta), good.Columns(), good.NumRows())
	defer withMeta.Release()
	for _, rec := range []arrow.RecordBatch{good, withMeta} {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s, read := wReadBack(t, buf.Bytes())
	if s.NumRows() != 2 {
		t.Errorf("rows: got %d, want 2", s.NumRows())
	}
	wSameRows(t, []arrow.RecordBatch{good, good}, read)
}

func TestWriteUnsupported(t *testing.T) {
	types := []struct {
		name string
		dt   arrow.DataType
		why  string
	}{
		{"list", arrow.ListOf(arrow.PrimitiveTypes.Int64), "nested"},
		{"struct", arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64}), "nested"},
		{"map", arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64), "nested"},
		{"fixed_list", arrow.FixedSizeListOf(3, arrow.PrimitiveTypes.Float32), "nested"},
		{"dictionary", &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, "not supported"},
		{"uint64", arrow.PrimitiveTypes.Uint64, "unsigned 64-bit"},
		{"float16", arrow.FixedWidthTypes.Float16, "not supported"},
		{"date64", arrow.FixedWidthTypes.Date64, "not supported"},
		{"time32", arrow.FixedWidthTypes.Time32ms, "not supported"},
		{"time64", arrow.FixedWidthTypes.Time64us, "not supported"},
		{"timestamp_s", &arrow.TimestampType{Unit: arrow.Second}, "ms, us or ns"},
		{"duration", arrow.FixedWidthTypes.Duration_ms, "not supported"},
		{"decimal", &arrow.Decimal128Type{Precision: 10, Scale: 2}, "not supported"},
		{"null", arrow.Null, "not supported"},
		{"fixed_binary", &arrow.FixedSizeBinaryType{ByteWidth: 16}, "not supported"},
		{"string_view", arrow.BinaryTypes.StringView, "not supported"},
	}
	ok := arrow.Field{Name: "ok", Type: arrow.PrimitiveTypes.Int64}
	for _, tt := range types {
		t.Run(tt.name, func(t *testing.T) {
			schema := arrow.NewSchema([]arrow.Field{ok, {Name: "bad_" + tt.name, Type: tt.dt, Nullable: true}}, nil)
			w, err := dataset.NewWriter(io.Discard, schema, dataset.DefaultWriterOptions())
			if w != nil || !errors.Is(err, dataset.ErrInvalid) {
				t.Fatalf("got %v, %v; want an ErrInvalid error", w, err)
			}
			if msg := err.Error(); !strings.Contains(msg, `"bad_`+tt.name+`"`) || !strings.Contains(msg, tt.why) {
				t.Errorf("error %q should name the field and say %q", msg, tt.why)
			}
		})
	}

	other := []struct {
		name   string
		schema *arrow.Schema
		opts   dataset.WriterOptions
		want   string
	}{
		{"nil schema", nil, dataset.WriterOptions{}, "without columns"},
		{"no fields", arrow.NewSchema(nil, nil), dataset.WriterOptions{}, "without columns"},
		{"duplicate", arrow.NewSchema([]arrow.Field{ok, ok}, nil), dataset.WriterOptions{}, `"ok" appears twice`},
		{"no name", arrow.NewSchema([]arrow.Field{ok, {Type: arrow.PrimitiveTypes.Int64}}, nil), dataset.WriterOptions{}, "field 2 has no name"},
		{"codec", arrow.NewSchema([]arrow.Field{ok}, nil), dataset.WriterOptions{Compression: "lzo"}, `compression "lzo"`},
		{"row groups", arrow.NewSchema([]arrow.Field{ok}, nil), dataset.WriterOptions{RowGroupRows: -1}, "row group size -1"},
		{"workers", arrow.NewSchema([]arrow.Field{ok}, nil), dataset.WriterOptions{Workers: -2}, "-2 workers"},
	}
	for _, tt := range other {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.NewWriter(io.Discard, tt.schema, tt.opts)
			if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an ErrInvalid error with %q", err, tt.want)
			}
		})
	}
}

func TestWriteAfterClose(t *testing.T) {
	rec := wRecord(memory.NewGoAllocator(), wColumns()[:4], 10, rand.New(rand.NewPCG(1, 1)))
	defer rec.Release()
	w, err := dataset.NewWriter(io.Discard, rec.Schema(), dataset.DefaultWriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := w.Write(rec); err == nil {
		t.Error("Write after Close succeeded")
	}
}

// wFailingWriter fails every write after the first limit bytes.
type wFailingWriter struct{ limit int }

var errWDiskFull = errors.New("disk full")

func (f *wFailingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n := f.limit
		f.limit = 0
		return n, errWDiskFull
	}
	f.limit -= len(p)
	return len(p), nil
}

// TestWriteOutputError: an I/O error reaches the caller, and sticks.
func TestWriteOutputError(t *testing.T) {
	rec := wRecord(memory.NewGoAllocator(), wColumns(), 3000, rand.New(rand.NewPCG(1, 1)))
	defer rec.Release()
	w, err := dataset.NewWriter(&wFailingWriter{limit: 100}, rec.Schema(), dataset.WriterOptions{RowGroupRows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); !errors.Is(err, errWDiskFull) {
		t.Fatalf("Write: got %v, want %v", err, errWDiskFull)
	}
	if err := w.Write(rec); !errors.Is(err, errWDiskFull) {
		t.Errorf("Write after the error: got %v, want %v", err, errWDiskFull)
	}
	if err := w.Close(); !errors.Is(err, errWDiskFull) {
		t.Errorf("Close after the error: got %v, want %v", err, errWDiskFull)
	}
}

// TestWriteAllColumnsFile round-trips the scanner's fixture file: every
// type, encoding and nullability parquet-go writes. Written back, it scans
// to the same schema and values.
func TestWriteAllColumnsFile(t *testing.T) {
	src := parquetBytes(t, pqSpec{rows: 2500, rowGroupRows: 900, seed: 11})
	s1, want := wReadBack(t, src)
	data := wWriteAll(t, s1.Schema().Arrow(), dataset.WriterOptions{RowGroupRows: 1000, Dictionary: true}, want)
	s2, got := wReadBack(t, data)
	if !reflect.DeepEqual(s2.Schema(), s1.Schema().Supported()) {
		t.Errorf("schema:\ngot  %v\nwant %v", s2.Schema(), s1.Schema().Supported())
	}
	wSameRows(t, want, got)
}

// TestWriteDatagen round-trips the benchmark data through WriteFile.
func TestWriteDatagen(t *testing.T) {
	var src bytes.Buffer
	if err := datagen.Write(context.Background(), &src, datagen.Options{Rows: 30_000, RowGroupRows: 8192, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	s1, want := wReadBack(t, src.Bytes())
	path := filepath.Join(t.TempDir(), "customers.parquet")
	err := dataset.WriteFile(path, s1.Schema().Arrow(), dataset.WriterOptions{RowGroupRows: 10_000, Dictionary: true}, func(w *dataset.Writer) error {
		for _, rec := range want {
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s2, got := wReadBack(t, data)
	if !reflect.DeepEqual(s2.Schema(), s1.Schema()) {
		t.Errorf("schema:\ngot  %v\nwant %v", s2.Schema(), s1.Schema())
	}
	if n := len(s2.RowGroups()); n != 3 {
		t.Errorf("row groups: got %d, want 3", n)
	}
	wSameRows(t, want, got)
}

// TestWriteStatistics checks the column chunk statistics parquet-go
// writes: null count, min and max.
func TestWriteStatistics(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{5, -3, 0, 42, 7}, []bool{true, true, false, true, false})
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"m", "b", "z", "a", "q"}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	data := wWriteAll(t, schema, dataset.DefaultWriterOptions(), []arrow.RecordBatch{rec})
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	chunks := f.Metadata().RowGroups[0].Columns
	n := chunks[0].MetaData.Statistics
	le := func(v int64) []byte { return binary.LittleEndian.AppendUint64(nil, uint64(v)) }
	if n.NullCount != 2 || !bytes.Equal(n.MinValue, le(-3)) || !bytes.Equal(n.MaxValue, le(42)) {
		t.Errorf("n: null count %d, min %v, max %v; want 2, -3, 42", n.NullCount, n.MinValue, n.MaxValue)
	}
	s := chunks[1].MetaData.Statistics
	if s.NullCount != 0 || string(s.MinValue) != "a" || string(s.MaxValue) != "z" {
		t.Errorf("s: null count %d, min %q, max %q; want 0, a, z", s.NullCount, s.MinValue, s.MaxValue)
	}
}

// TestWriteDoesNotRetain overwrites the record's memory after Write: the
// file must hold the values as they were.
func TestWriteDoesNotRetain(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewRecordBuilder(mem, schema)
	for i := range 5000 {
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprintf("value %d", i%300))
		b.Field(1).(*array.Int64Builder).Append(int64(i))
	}
	rec := b.NewRecordBatch()
	b.Release()
	// Keep a deep copy to compare with.
	copyB := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	for i := range 5000 {
		copyB.Field(0).(*array.StringBuilder).Append(rec.Column(0).(*array.String).Value(i))
		copyB.Field(1).(*array.Int64Builder).Append(rec.Column(1).(*array.Int64).Value(i))
	}
	want := copyB.NewRecordBatch()
	copyB.Release()
	defer want.Release()

	var buf bytes.Buffer
	w, err := dataset.NewWriter(&buf, schema, dataset.DefaultWriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	for _, col := range rec.Columns() {
		for _, buf := range col.Data().Buffers() {
			if buf != nil {
				for i := range buf.Bytes() {
					buf.Bytes()[i] = 0xA5
				}
			}
		}
	}
	rec.Release()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, read := wReadBack(t, buf.Bytes())
	wSameRows(t, []arrow.RecordBatch{want}, read)
}

// TestWriteScanNoLeaks writes and scans with one checked allocator: every
// buffer is released.
func TestWriteScanNoLeaks(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	cols := wColumns()
	r := rand.New(rand.NewPCG(7, 7))
	var buf bytes.Buffer
	w, err := dataset.NewWriter(&buf, wSchema(cols), dataset.WriterOptions{RowGroupRows: 700, Dictionary: true})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		rec := wRecord(mem, cols, 1000, r)
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{bytesInput("written.parquet", buf.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rows int64
	err = s.Scan(context.Background(), dataset.ScanOptions{Allocator: mem, Workers: 1}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		for br.Next() {
			rows += br.Record().NumRows()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != 3000 {
		t.Errorf("rows: got %d, want 3000", rows)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2, 3}, nil)
	rec := b.NewRecordBatch()
	b.Release()
	defer rec.Release()
	errFill := errors.New("fill failed")

	// entries lists a directory.
	entries := func(t *testing.T, dir string) []string {
		t.Helper()
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	writeThenFail := func(w *dataset.Writer) error {
		if err := w.Write(rec); err != nil {
			return err
		}
		return errFill
	}

	t.Run("fill error leaves no file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.parquet")
		err := dataset.WriteFile(path, schema, dataset.DefaultWriterOptions(), writeThenFail)
		if !errors.Is(err, errFill) || !strings.Contains(err.Error(), path) {
			t.Errorf("got %v, want the fill error naming the file", err)
		}
		if names := entries(t, dir); len(names) != 0 {
			t.Errorf("directory holds %v, want nothing", names)
		}
	})
	t.Run("fill error keeps the old file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.parquet")
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := dataset.WriteFile(path, schema, dataset.DefaultWriterOptions(), writeThenFail); !errors.Is(err, errFill) {
			t.Errorf("got %v, want the fill error", err)
		}
		if data, _ := os.ReadFile(path); string(data) != "old" {
			t.Errorf("file holds %q, want the old content", data)
		}
		if names := entries(t, dir); !reflect.DeepEqual(names, []string{"out.parquet"}) {
			t.Errorf("directory holds %v, want only out.parquet", names)
		}
	})
	t.Run("fill panic leaves no file", func(t *testing.T) {
		dir := t.TempDir()
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the panic did not propagate")
				}
			}()
			dataset.WriteFile(filepath.Join(dir, "out.parquet"), schema, dataset.DefaultWriterOptions(), func(w *dataset.Writer) error {
				panic("boom")
			})
		}()
		if names := entries(t, dir); len(names) != 0 {
			t.Errorf("directory holds %v, want nothing", names)
		}
	})
	t.Run("bad schema leaves no file", func(t *testing.T) {
		dir := t.TempDir()
		bad := arrow.NewSchema([]arrow.Field{{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)}}, nil)
		err := dataset.WriteFile(filepath.Join(dir, "out.parquet"), bad, dataset.DefaultWriterOptions(), func(w *dataset.Writer) error { return nil })
		if !errors.Is(err, dataset.ErrInvalid) {
			t.Errorf("got %v, want ErrInvalid", err)
		}
		if names := entries(t, dir); len(names) != 0 {
			t.Errorf("directory holds %v, want nothing", names)
		}
	})
	t.Run("fill closing the writer", func(t *testing.T) {
		dir := t.TempDir()
		err := dataset.WriteFile(filepath.Join(dir, "out.parquet"), schema, dataset.DefaultWriterOptions(), func(w *dataset.Writer) error { return w.Close() })
		if err == nil {
			t.Error("got no error")
		}
		if names := entries(t, dir); len(names) != 0 {
			t.Errorf("directory holds %v, want nothing", names)
		}
	})
	t.Run("success replaces the file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.parquet")
		if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := dataset.WriteFile(path, schema, dataset.DefaultWriterOptions(), func(w *dataset.Writer) error { return w.Write(rec) })
		if err != nil {
			t.Fatal(err)
		}
		if names := entries(t, dir); !reflect.DeepEqual(names, []string{"out.parquet"}) {
			t.Errorf("directory holds %v, want only out.parquet", names)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("mode %v, want 0644", st.Mode().Perm())
		}
		data, _ := os.ReadFile(path)
		_, read := wReadBack(t, data)
		wSameRows(t, []arrow.RecordBatch{rec}, read)
	})
	t.Run("missing directory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "no", "such", "out.parquet")
		err := dataset.WriteFile(path, schema, dataset.DefaultWriterOptions(), func(w *dataset.Writer) error { return nil })
		if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
			t.Errorf("got %v, want a not-exist error naming the path", err)
		}
	})
}

// BenchmarkWrite scans the datagen file (8 columns) into memory and writes
// it back as Parquet to io.Discard.
func BenchmarkWrite(b *testing.B) {
	path, rows := benchFile(b)
	s, err := dataset.NewScanner(context.Background(), []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	recs, err := dataset.ReadAll(context.Background(), s, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	schema := s.Schema().Arrow()
	plain := dataset.DefaultWriterOptions()
	plain.Dictionary = false
	zstd := dataset.DefaultWriterOptions()
	zstd.Compression = "zstd"
	cases := []struct {
		name    string
		opts    dataset.WriterOptions
		workers int
	}{
		{"default/workers=1", dataset.DefaultWriterOptions(), 1},
		{"default/workers=max", dataset.DefaultWriterOptions(), 0},
		{"plain/workers=max", plain, 0},
		{"zstd/workers=max", zstd, 0},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			opts := c.opts
			opts.Workers = c.workers
			var size int64
			for b.Loop() {
				out := &wCountingWriter{}
				w, err := dataset.NewWriter(out, schema, opts)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range recs {
					if err := w.Write(r); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				size = out.n
			}
			reportRows(b, rows)
			b.ReportMetric(float64(size)/float64(rows), "file-bytes/row")
		})
	}
}

type wCountingWriter struct{ n int64 }

func (c *wCountingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

func TestWriteMetadata(t *testing.T) {
	cols := wColumns()
	opts := dataset.DefaultWriterOptions()
	opts.Metadata = map[string]string{"assay.lineage": `{"v":1}`, "a": "b"}
	data := wWriteAll(t, wSchema(cols), opts, nil)
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range opts.Metadata {
		if got, ok := f.Lookup(k); !ok || got != want {
			t.Errorf("metadata %q = %q (%v), want %q", k, got, ok, want)
		}
	}
}

func TestSourceMetadata(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.parquet")
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	opts := dataset.DefaultWriterOptions()
	opts.Metadata = map[string]string{"assay.lineage": `{"version":1}`}
	if err := dataset.WriteFile(path, schema, opts, func(w *dataset.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	src, err := dataset.OpenSource(context.Background(), nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if v, err := src.Metadata(context.Background(), "assay.lineage"); err != nil || v != `{"version":1}` {
		t.Errorf("got %q, %v", v, err)
	}
	if v, err := src.Metadata(context.Background(), "nope"); err != nil || v != "" {
		t.Errorf("absent key: got %q, %v", v, err)
	}
}
