package profile_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset/profile"
)

// checkedAlloc returns an allocator that fails t if any Arrow buffer is
// still allocated when the test ends.
func checkedAlloc(t testing.TB) *memory.CheckedAllocator {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// arrowType returns the Arrow type of a fixture's "arrow" name.
func arrowType(name string) arrow.DataType {
	switch name {
	case "int32":
		return arrow.PrimitiveTypes.Int32
	case "int64":
		return arrow.PrimitiveTypes.Int64
	case "timestamp[ms]":
		return &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}
	case "timestamp[us]":
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case "date32":
		return arrow.FixedWidthTypes.Date32
	case "float32":
		return arrow.PrimitiveTypes.Float32
	case "float64":
		return arrow.PrimitiveTypes.Float64
	case "bool":
		return arrow.FixedWidthTypes.Boolean
	case "string":
		return arrow.BinaryTypes.String
	case "binary":
		return arrow.BinaryTypes.Binary
	}
	panic("unknown arrow type " + name)
}

// build returns an array of type dt holding vals; nil is null. Numbers are
// int64 or float64, strings string, binary []byte, booleans bool.
func build(mem memory.Allocator, dt arrow.DataType, vals []any) arrow.Array {
	bld := array.NewBuilder(mem, dt)
	defer bld.Release()
	for _, v := range vals {
		if v == nil {
			bld.AppendNull()
			continue
		}
		switch b := bld.(type) {
		case *array.Int32Builder:
			b.Append(int32(v.(int64)))
		case *array.Int64Builder:
			b.Append(v.(int64))
		case *array.TimestampBuilder:
			b.Append(arrow.Timestamp(v.(int64)))
		case *array.Date32Builder:
			b.Append(arrow.Date32(v.(int64)))
		case *array.Float32Builder:
			b.Append(float32(v.(float64)))
		case *array.Float64Builder:
			b.Append(v.(float64))
		case *array.BooleanBuilder:
			b.Append(v.(bool))
		case *array.StringBuilder:
			b.Append(v.(string))
		case *array.BinaryBuilder:
			b.Append(v.([]byte))
		default:
			panic(fmt.Sprintf("no builder for %s", dt))
		}
	}
	return bld.NewArray()
}

func int64s(mem memory.Allocator, vals []int64) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

func float64s(mem memory.Allocator, vals []float64) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

func strs(mem memory.Allocator, vals []string) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

// column profiles arrays, added in order, into a fresh column.
func column(name, typ string, kind profile.Kind, seed uint64, arrs ...arrow.Array) *profile.Column {
	c := profile.NewColumn(name, typ, kind, seed)
	for _, a := range arrs {
		c.Add(a)
	}
	return c
}

// addReleased adds arr to c and releases it.
func addReleased(c *profile.Column, arr arrow.Array) {
	defer arr.Release()
	c.Add(arr)
}

// profileOf profiles one record batch of a single column.
func profileOf(spec profile.Spec, seed uint64, arr arrow.Array) *profile.Profile {
	p := profile.New([]profile.Spec{spec}, seed)
	schema := arrow.NewSchema([]arrow.Field{{Name: spec.Name, Type: arr.DataType(), Nullable: true}}, nil)
	rec := array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
	defer rec.Release()
	p.Add(rec)
	return p
}

// num is a fixture number: JSON numbers, or "NaN", "Infinity", "-Infinity".
// It is parsed here, not with profile.Float, so the fixture does not lean on
// the code under test.
type num float64

func (n *num) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		switch s {
		case "NaN":
			*n = num(math.NaN())
		case "Infinity":
			*n = num(math.Inf(1))
		case "-Infinity":
			*n = num(math.Inf(-1))
		default:
			return fmt.Errorf("bad fixture number %q", s)
		}
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	*n = num(f)
	return err
}

type fixtureCase struct {
	Name   string            `json:"name"`
	Arrow  string            `json:"arrow"`
	Type   string            `json:"type"`
	Values []json.RawMessage `json:"values"`
	Want   fixtureWant       `json:"want"`
}

type fixtureWant struct {
	Count     int64   `json:"count"`
	Nulls     int64   `json:"nulls"`
	NaN       int64   `json:"nan"`
	Distinct  int64   `json:"distinct"`
	Min       *num    `json:"min"`
	Max       *num    `json:"max"`
	MinValue  *string `json:"min_value"`
	MaxValue  *string `json:"max_value"`
	Mean      *num    `json:"mean"`
	Std       *num    `json:"std"`
	True      *int64  `json:"true"`
	Quantiles []num   `json:"quantiles"`
	Histogram *struct {
		Edges  []num   `json:"edges"`
		Counts []int64 `json:"counts"`
	} `json:"histogram"`
	Top []struct {
		Value json.RawMessage `json:"value"`
		Count int64           `json:"count"`
	} `json:"top"`
	Length *struct {
		Min  int64 `json:"min"`
		Max  int64 `json:"max"`
		Mean num   `json:"mean"`
	} `json:"length"`
}

// values decodes the case's values into build's representation.
func (fc fixtureCase) values(t testing.TB) []any {
	t.Helper()
	out := make([]any, len(fc.Values))
	for i, raw := range fc.Values {
		if string(raw) == "null" {
			continue
		}
		var err error
		switch fc.Arrow {
		case "int32", "int64", "timestamp[ms]", "timestamp[us]", "date32":
			var v int64
			err = json.Unmarshal(raw, &v)
			out[i] = v
		case "float32", "float64":
			var v num
			err = json.Unmarshal(raw, &v)
			out[i] = float64(v)
		case "bool":
			var v bool
			err = json.Unmarshal(raw, &v)
			out[i] = v
		case "string":
			var v string
			err = json.Unmarshal(raw, &v)
			out[i] = v
		case "binary":
			var v string
			if err = json.Unmarshal(raw, &v); err == nil {
				out[i], err = hex.DecodeString(v)
			}
		}
		if err != nil {
			t.Fatalf("case %s value %d: %v", fc.Name, i, err)
		}
	}
	return out
}

func loadFixture(t testing.TB, path string) []fixtureCase {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []fixtureCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(doc.Cases) == 0 {
		t.Fatalf("%s: no cases", path)
	}
	return doc.Cases
}

// near reports whether got and want agree to a relative tolerance; NaNs
// agree with NaNs, infinities with the same infinity.
func near(got, want, rel float64) bool {
	switch {
	case math.IsNaN(got) || math.IsNaN(want):
		return math.IsNaN(got) && math.IsNaN(want)
	case got == want:
		return true
	case math.IsInf(got, 0) || math.IsInf(want, 0):
		return false
	}
	return math.Abs(got-want) <= rel*max(math.Abs(got), math.Abs(want))
}

func quantiles(q *profile.Quantiles) []float64 {
	if q == nil {
		return nil
	}
	return []float64{float64(q.P01), float64(q.P05), float64(q.P25), float64(q.P50), float64(q.P75), float64(q.P95), float64(q.P99)}
}

func fv(f *profile.Float) string {
	if f == nil {
		return "nil"
	}
	return strconv.FormatFloat(float64(*f), 'g', -1, 64)
}

// summaryJSON is the summary's stored form: equal JSON means equal figures
// (shortest float text is unique per float64, NaN included).
func summaryJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameFigures compares two column summaries: every figure exactly, except
// mean and standard deviation, which merge in floating point and may differ
// by rounding when the same values are grouped differently.
func sameFigures(t testing.TB, got, want profile.ColumnSummary, rel float64) {
	t.Helper()
	for _, m := range []struct {
		name      string
		got, want *profile.Float
	}{{"mean", got.Mean, want.Mean}, {"std", got.Std, want.Std}} {
		if (m.got == nil) != (m.want == nil) || m.got != nil && !near(float64(*m.got), float64(*m.want), rel) {
			t.Errorf("column %s: %s: got %s, want %s", want.Name, m.name, fv(m.got), fv(m.want))
		}
	}
	got.Mean, got.Std, want.Mean, want.Std = nil, nil, nil, nil
	if g, w := summaryJSON(t, got), summaryJSON(t, want); g != w {
		t.Errorf("column %s:\n got %s\nwant %s", want.Name, g, w)
	}
}

// histTotal is the sum of a histogram's counts.
func histTotal(h *profile.Histogram) int64 {
	if h == nil {
		return 0
	}
	var n int64
	for _, c := range h.Counts {
		n += c
	}
	return n
}

// noPanic runs f and reports a panic as a test error.
func noPanic(t testing.TB, what string, f func()) (ok bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
			ok = false
		}
	}()
	f()
	return true
}
