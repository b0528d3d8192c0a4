package dataset_test

// Helpers shared by the tests of package dataset: a writer of Parquet files
// covering every column type assay reads, the reference reader (parquet-go's
// row reader) and a comparison of Arrow batches against its rows.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
)

// pqType is one column type of the generated files: its Parquet node, the
// assay type it maps to, and a generator of non-null values.
type pqType struct {
	name string
	typ  dataset.Type
	utc  bool
	node func() parquet.Node
	val  func(r *rand.Rand) parquet.Value
	// delta is the non-default, non-dictionary encoding tried for the type
	// (nil: none).
	delta func() parquet.Node
}

var testStrings = []string{
	"", "a", "b", "churn", "consumer", "enterprise", "ünïcödé", "日本語",
	"with space", "tab\there", "quote\"d", strings.Repeat("long", 40),
	"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
}

func smallInt(r *rand.Rand) int64 {
	if r.IntN(50) == 0 {
		return [...]int64{0, -1, 1}[r.IntN(3)]
	}
	return int64(r.IntN(60) - 20)
}

func pqTypes() []pqType {
	ts := func(name string, unit parquet.TimeUnit, typ dataset.Type, utc bool, scale int64) pqType {
		return pqType{
			name: name, typ: typ, utc: utc,
			node: func() parquet.Node { return parquet.TimestampAdjusted(unit, utc) },
			val: func(r *rand.Rand) parquet.Value {
				// Seconds between 1930 and 2040, some values repeated.
				if r.IntN(4) == 0 {
					return parquet.Int64Value(1_700_000_000 * scale)
				}
				return parquet.Int64Value((r.Int64N(3_500_000_000) - 1_250_000_000) * scale)
			},
			delta: func() parquet.Node {
				return parquet.Encoded(parquet.TimestampAdjusted(unit, utc), &parquet.DeltaBinaryPacked)
			},
		}
	}
	return []pqType{
		{name: "bool", typ: dataset.Bool,
			node: func() parquet.Node { return parquet.Leaf(parquet.BooleanType) },
			val:  func(r *rand.Rand) parquet.Value { return parquet.BooleanValue(r.IntN(3) == 0) }},
		{name: "int32", typ: dataset.Int32,
			node: func() parquet.Node { return parquet.Leaf(parquet.Int32Type) },
			val: func(r *rand.Rand) parquet.Value {
				switch r.IntN(40) {
				case 0:
					return parquet.Int32Value(math.MinInt32)
				case 1:
					return parquet.Int32Value(math.MaxInt32)
				}
				return parquet.Int32Value(int32(smallInt(r)))
			},
			delta: func() parquet.Node {
				return parquet.Encoded(parquet.Leaf(parquet.Int32Type), &parquet.DeltaBinaryPacked)
			}},
		{name: "int64", typ: dataset.Int64,
			node: func() parquet.Node { return parquet.Int(64) },
			val: func(r *rand.Rand) parquet.Value {
				switch r.IntN(40) {
				case 0:
					return parquet.Int64Value(math.MinInt64)
				case 1:
					return parquet.Int64Value(math.MaxInt64)
				case 2:
					return parquet.Int64Value(r.Int64())
				}
				return parquet.Int64Value(smallInt(r))
			},
			delta: func() parquet.Node { return parquet.Encoded(parquet.Int(64), &parquet.DeltaBinaryPacked) }},
		{name: "float32", typ: dataset.Float32,
			node: func() parquet.Node { return parquet.Leaf(parquet.FloatType) },
			val: func(r *rand.Rand) parquet.Value {
				switch r.IntN(50) {
				case 0:
					return parquet.FloatValue(float32(math.NaN()))
				case 1:
					return parquet.FloatValue(float32(math.Inf(-1)))
				case 2:
					return parquet.FloatValue(float32(math.Copysign(0, -1)))
				}
				return parquet.FloatValue(float32(smallInt(r)) / 4)
			},
			delta: func() parquet.Node { return parquet.Encoded(parquet.Leaf(parquet.FloatType), &parquet.ByteStreamSplit) }},
		{name: "float64", typ: dataset.Float64,
			node: func() parquet.Node { return parquet.Leaf(parquet.DoubleType) },
			val: func(r *rand.Rand) parquet.Value {
				switch r.IntN(50) {
				case 0:
					return parquet.DoubleValue(math.NaN())
				case 1:
					return parquet.DoubleValue(math.Inf(1))
				case 2:
					return parquet.DoubleValue(math.MaxFloat64)
				}
				if r.IntN(2) == 0 {
					return parquet.DoubleValue(r.NormFloat64() * 1e3)
				}
				return parquet.DoubleValue(float64(smallInt(r)) / 8)
			},
			delta: func() parquet.Node {
				return parquet.Encoded(parquet.Leaf(parquet.DoubleType), &parquet.ByteStreamSplit)
			}},
		{name: "string", typ: dataset.String,
			node: func() parquet.Node { return parquet.String() },
			val: func(r *rand.Rand) parquet.Value {
				return parquet.ByteArrayValue([]byte(testStrings[r.IntN(len(testStrings))]))
			},
			delta: func() parquet.Node { return parquet.Encoded(parquet.String(), &parquet.DeltaLengthByteArray) }},
		{name: "binary", typ: dataset.Binary,
			node: func() parquet.Node { return parquet.Leaf(parquet.ByteArrayType) },
			val: func(r *rand.Rand) parquet.Value {
				b := make([]byte, r.IntN(13))
				for i := range b {
					b[i] = byte(r.IntN(4)) // zero bytes included, repeats likely
				}
				return parquet.ByteArrayValue(b)
			},
			delta: func() parquet.Node {
				return parquet.Encoded(parquet.Leaf(parquet.ByteArrayType), &parquet.DeltaByteArray)
			}},
		{name: "date", typ: dataset.Date,
			node: func() parquet.Node { return parquet.Date() },
			val: func(r *rand.Rand) parquet.Value {
				return parquet.Int32Value(int32(r.IntN(40_000) - 10_000))
			},
			delta: func() parquet.Node { return parquet.Encoded(parquet.Date(), &parquet.DeltaBinaryPacked) }},
		ts("ts_ms_utc", parquet.Millisecond, dataset.TimestampMS, true, 1e3),
		ts("ts_ms_local", parquet.Millisecond, dataset.TimestampMS, false, 1e3),
		ts("ts_us_utc", parquet.Microsecond, dataset.TimestampUS, true, 1e6),
		ts("ts_us_local", parquet.Microsecond, dataset.TimestampUS, false, 1e6),
		ts("ts_ns_utc", parquet.Nanosecond, dataset.TimestampNS, true, 1e9),
		ts("ts_ns_local", parquet.Nanosecond, dataset.TimestampNS, false, 1e9),
	}
}

// pqColumn is one column of a generated file.
type pqColumn struct {
	name string
	t    pqType
	opt  bool   // optional, with nulls
	enc  string // "plain", "dict" or "delta"
	// nulls is the share of null rows of an optional column, on top of
	// runs of 97 nulls every 485 rows (so some batches and pages are all
	// null). A negative share means no nulls at all; 1 means all null.
	nulls float64
}

func (c pqColumn) node() parquet.Node {
	var n parquet.Node
	switch c.enc {
	case "plain":
		n = parquet.Encoded(c.t.node(), &parquet.Plain)
	case "dict":
		n = parquet.Encoded(c.t.node(), &parquet.RLEDictionary)
	case "delta":
		n = c.t.delta()
	default:
		panic("unknown encoding " + c.enc)
	}
	if c.opt {
		n = parquet.Optional(n)
	}
	return n
}

func (c pqColumn) isNull(r *rand.Rand, row int) bool {
	switch {
	case !c.opt || c.nulls < 0:
		return false
	case c.nulls >= 1:
		return true
	}
	return (row/97)%5 == 3 || r.Float64() < c.nulls
}

// allColumns returns every type, required and optional, plain, dictionary
// and (where the type has one) another encoding, plus an optional column
// without nulls and one with only nulls.
func allColumns() []pqColumn {
	var cols []pqColumn
	for _, t := range pqTypes() {
		for _, enc := range []string{"plain", "dict", "delta"} {
			if enc == "delta" && t.delta == nil {
				continue
			}
			for _, opt := range []bool{false, true} {
				rq := "req"
				if opt {
					rq = "opt"
				}
				cols = append(cols, pqColumn{name: t.name + "_" + rq + "_" + enc, t: t, opt: opt, enc: enc, nulls: 0.2})
			}
		}
	}
	byName := map[string]pqType{}
	for _, t := range pqTypes() {
		byName[t.name] = t
	}
	cols = append(cols,
		pqColumn{name: "zz_string_opt_dict_allnull", t: byName["string"], opt: true, enc: "dict", nulls: 1},
		pqColumn{name: "zz_int64_opt_plain_nonull", t: byName["int64"], opt: true, enc: "plain", nulls: -1},
		pqColumn{name: "zz_float64_opt_dict_allnull", t: byName["float64"], opt: true, enc: "dict", nulls: 1},
	)
	return cols
}

// pqSpec describes a generated Parquet file.
type pqSpec struct {
	columns      []pqColumn // default allColumns()
	rows         int
	rowGroupRows int64 // default: one row group
	pageBuffer   int   // default: parquet-go's
	pageVersion  int   // 1 or 2 (default 2)
	compression  compress.Codec
	seed         uint64
	extra        []parquet.WriterOption
}

func (s pqSpec) schema() *parquet.Schema {
	cols := s.columns
	if cols == nil {
		cols = allColumns()
	}
	g := parquet.Group{}
	for _, c := range cols {
		g[c.name] = c.node()
	}
	return parquet.NewSchema("test", g)
}

// parquetBytes generates the file.
func parquetBytes(t testing.TB, spec pqSpec) []byte {
	t.Helper()
	cols := spec.columns
	if cols == nil {
		cols = allColumns()
	}
	sch := spec.schema()
	opts := []parquet.WriterOption{sch}
	if spec.rowGroupRows > 0 {
		opts = append(opts, parquet.MaxRowsPerRowGroup(spec.rowGroupRows))
	}
	if spec.pageBuffer > 0 {
		opts = append(opts, parquet.PageBufferSize(spec.pageBuffer))
	}
	if spec.pageVersion == 1 {
		opts = append(opts, parquet.DataPageVersion(1))
	}
	if spec.compression != nil {
		opts = append(opts, parquet.Compression(spec.compression))
	}
	opts = append(opts, spec.extra...)
	leaf := make([]int, len(cols))
	for i, c := range cols {
		l, ok := sch.Lookup(c.name)
		if !ok {
			t.Fatalf("no leaf %s", c.name)
		}
		leaf[i] = l.ColumnIndex
	}
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, opts...)
	r := rand.New(rand.NewPCG(spec.seed, spec.seed+1))
	rows := make([]parquet.Row, 0, 256)
	flush := func() {
		if _, err := w.WriteRows(rows); err != nil {
			t.Fatal(err)
		}
		rows = rows[:0]
	}
	for i := range spec.rows {
		row := make(parquet.Row, len(cols))
		for j, c := range cols {
			def := 0
			v := parquet.NullValue()
			if !c.isNull(r, i) {
				v = c.t.val(r)
				if c.opt {
					def = 1
				}
			}
			row[leaf[j]] = v.Level(0, def, leaf[j])
		}
		rows = append(rows, row)
		if len(rows) == cap(rows) {
			flush()
		}
	}
	flush()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeParquet generates the file at path.
func writeParquet(t testing.TB, path string, spec pqSpec) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, parquetBytes(t, spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// refRows reads a file with parquet-go's row reader: the reference the
// scanner is compared with.
func refRows(t testing.TB, data []byte) (*parquet.Schema, []parquet.Row) {
	t.Helper()
	r := parquet.NewReader(bytes.NewReader(data))
	defer r.Close()
	var out []parquet.Row
	buf := make([]parquet.Row, 64)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			out = append(out, row.Clone())
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reference reader: %v", err)
		}
	}
	return r.Schema(), out
}

// memBlob is a store.Blob over bytes.
type memBlob struct{ *bytes.Reader }

func (memBlob) Close() error { return nil }

// bytesInput is a scan input reading data from memory.
func bytesInput(name string, data []byte) dataset.Input {
	return dataset.Input{Name: name, Open: func(context.Context) (store.Blob, error) {
		return memBlob{bytes.NewReader(data)}, nil
	}}
}

// checkCell compares row i of an Arrow array with a parquet-go value and
// returns a description of the difference, or "".
func checkCell(arr arrow.Array, i int, v parquet.Value) string {
	if arr.IsNull(i) != v.IsNull() {
		return fmt.Sprintf("null: got %v, want %v", arr.IsNull(i), v.IsNull())
	}
	if v.IsNull() {
		return ""
	}
	kinds := map[arrow.Type]parquet.Kind{
		arrow.BOOL: parquet.Boolean, arrow.INT32: parquet.Int32, arrow.DATE32: parquet.Int32,
		arrow.INT64: parquet.Int64, arrow.TIMESTAMP: parquet.Int64, arrow.FLOAT32: parquet.Float,
		arrow.FLOAT64: parquet.Double, arrow.STRING: parquet.ByteArray, arrow.BINARY: parquet.ByteArray,
	}
	if k, ok := kinds[arr.DataType().ID()]; !ok || k != v.Kind() {
		return fmt.Sprintf("Arrow type %s for a Parquet %s value", arr.DataType(), v.Kind())
	}
	var got, want any
	switch a := arr.(type) {
	case *array.Boolean:
		got, want = a.Value(i), v.Boolean()
	case *array.Int32:
		got, want = a.Value(i), v.Int32()
	case *array.Date32:
		got, want = int32(a.Value(i)), v.Int32()
	case *array.Int64:
		got, want = a.Value(i), v.Int64()
	case *array.Timestamp:
		got, want = int64(a.Value(i)), v.Int64()
	case *array.Float32:
		got, want = math.Float32bits(a.Value(i)), math.Float32bits(v.Float())
	case *array.Float64:
		got, want = math.Float64bits(a.Value(i)), math.Float64bits(v.Double())
	case *array.String:
		got, want = a.Value(i), string(v.ByteArray())
	case *array.Binary:
		got, want = string(a.Value(i)), string(v.ByteArray())
	default:
		return fmt.Sprintf("unexpected array type %T", arr)
	}
	if got != want {
		return fmt.Sprintf("got %v, want %v", got, want)
	}
	return ""
}

// validate checks an array's internal consistency (offsets, null counts).
func validate(arr arrow.Array) error {
	if v, ok := arr.(interface{ ValidateFull() error }); ok {
		if err := v.ValidateFull(); err != nil {
			return err
		}
	}
	nulls := 0
	for i := range arr.Len() {
		if arr.IsNull(i) {
			nulls++
		}
	}
	if nulls != arr.NullN() {
		return fmt.Errorf("NullN() = %d, but %d rows are null", arr.NullN(), nulls)
	}
	return nil
}
