package expr

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	exprlang "github.com/expr-lang/expr"

	"github.com/assayhq/assay/dataset"
)

// testSchema is the schema of the test rows.
var testSchema = dataset.Schema{
	{Name: "age", Type: dataset.Int32, Nullable: true},
	{Name: "n", Type: dataset.Int64, Nullable: true},
	{Name: "income", Type: dataset.Float64, Nullable: true},
	{Name: "f32", Type: dataset.Float32, Nullable: true},
	{Name: "segment", Type: dataset.String, Nullable: true},
	{Name: "name", Type: dataset.String, Nullable: true},
	{Name: "bin", Type: dataset.Binary, Nullable: true},
	{Name: "churn", Type: dataset.Bool, Nullable: true},
	{Name: "ts", Type: dataset.TimestampMS, Nullable: true, UTC: true},
	{Name: "tns", Type: dataset.TimestampNS, Nullable: true, UTC: true},
	{Name: "day", Type: dataset.Date, Nullable: true},
	{Name: "Monthly Charges", Type: dataset.Float64, Nullable: true},
	{Name: "dec", Type: "decimal", Unsupported: "decimals are not supported"},
}

// row is one test row; nil fields are null.
type row struct {
	age     *int32
	n       *int64
	income  *float64
	f32     *float32
	segment *string
	name    *string
	bin     *string
	churn   *bool
	ts      *time.Time
	tns     *time.Time
	day     *time.Time
	monthly *float64
}

func p[T any](v T) *T { return &v }

func tm(s string) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// testNow is now() in the tests.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

var testRows = []row{
	{p[int32](25), p[int64](100), p(50000.5), p[float32](1.5), p("student"), p("Zoë"), p("\x00\xff"), p(true),
		tm("2024-03-01T12:00:00Z"), tm("2024-03-01T12:00:00.000000123Z"), tm("2024-03-01T00:00:00Z"), p(70.35)},
	{p[int32](17), p[int64](-7), p(0.0), p[float32](-2.25), p("consumer"), p("ALICE"), p("abc"), p(false),
		tm("2019-12-31T23:59:59.999Z"), tm("1970-01-01T00:00:00Z"), tm("1969-12-31T00:00:00Z"), p(0.0)},
	{},
	{p[int32](18), p[int64](0), p(-1.5), p[float32](0), p(""), p("  padded  "), p(""), p(true),
		tm("2020-01-01T00:00:00Z"), tm("2020-01-01T00:00:00Z"), tm("2020-01-01T00:00:00Z"), nil},
	{nil, p[int64](5), p(math.NaN()), nil, p("senior"), p("İstanbul"), nil, nil,
		nil, tm("2262-04-11T23:47:16Z"), nil, p(99.5)},
	{p[int32](-1), p[int64](math.MaxInt64), p(1e300), p[float32](3.4e38), p("student"), p("C1234567"), p("C1234567"), p(false),
		tm("1900-01-01T00:00:00Z"), nil, tm("9999-12-31T00:00:00Z"), p(-3.0)},
	{p[int32](150), p[int64](math.MinInt64), nil, p(float32(math.Copysign(0, -1))), p("small_business"), p("c7654321x"), p("x"), p(true),
		tm("2024-03-01T11:00:00Z"), tm("2024-03-01T11:00:00Z"), tm("2024-03-01T00:00:00Z"), nil},
	{p[int32](40), p[int64](3), p(20000.0), p[float32](2.5), p("small_business"), p("a,b;c"), p("C12345678"), p(true),
		tm("2025-06-01T11:00:00Z"), tm("2025-05-31T12:00:00Z"), tm("2025-06-01T00:00:00Z"), p(18.25)},
}

// buildRecord makes a record batch of rows with the test schema.
func buildRecord(t testing.TB, mem memory.Allocator, rows []row) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, testSchema.Arrow())
	defer b.Release()
	for _, r := range rows {
		appendOr(b.Field(0).(*array.Int32Builder), r.age)
		appendOr(b.Field(1).(*array.Int64Builder), r.n)
		appendOr(b.Field(2).(*array.Float64Builder), r.income)
		appendOr(b.Field(3).(*array.Float32Builder), r.f32)
		appendOr(b.Field(4).(*array.StringBuilder), r.segment)
		appendOr(b.Field(5).(*array.StringBuilder), r.name)
		if r.bin == nil {
			b.Field(6).AppendNull()
		} else {
			b.Field(6).(*array.BinaryBuilder).Append([]byte(*r.bin))
		}
		appendOr(b.Field(7).(*array.BooleanBuilder), r.churn)
		for j, v := range []*time.Time{r.ts, r.tns} {
			tb := b.Field(8 + j).(*array.TimestampBuilder)
			if v == nil {
				tb.AppendNull()
			} else {
				tb.AppendTime(*v)
			}
		}
		if r.day == nil {
			b.Field(10).AppendNull()
		} else {
			b.Field(10).(*array.Date32Builder).Append(arrow.Date32FromTime(*r.day))
		}
		appendOr(b.Field(11).(*array.Float64Builder), r.monthly)
	}
	return b.NewRecordBatch()
}

type appender[T any] interface {
	Append(T)
	AppendNull()
}

func appendOr[T any](b appender[T], v *T) {
	if v == nil {
		b.AppendNull()
	} else {
		b.Append(*v)
	}
}

// env returns row r as an expr-lang environment (nil for nulls).
func (r row) env() map[string]any {
	env := map[string]any{}
	set := func(name string, ok bool, v func() any) {
		if ok {
			env[name] = v()
		} else {
			env[name] = nil
		}
	}
	set("age", r.age != nil, func() any { return int(*r.age) })
	set("n", r.n != nil, func() any { return int(*r.n) })
	set("income", r.income != nil, func() any { return *r.income })
	set("f32", r.f32 != nil, func() any { return float64(*r.f32) })
	set("segment", r.segment != nil, func() any { return *r.segment })
	set("name", r.name != nil, func() any { return *r.name })
	set("bin", r.bin != nil, func() any { return *r.bin })
	set("churn", r.churn != nil, func() any { return *r.churn })
	set("ts", r.ts != nil, func() any { return r.ts.Truncate(time.Millisecond) })
	set("tns", r.tns != nil, func() any { return *r.tns })
	set("day", r.day != nil, func() any { return *r.day })
	set("Monthly Charges", r.monthly != nil, func() any { return *r.monthly })
	return env
}

// exprEval evaluates src on expr-lang's own VM over env: the oracle for
// rows without nulls.
func exprEval(src string, env map[string]any) (any, error) {
	typed := map[string]any{}
	for _, c := range testSchema {
		if t, _, ok := typeOf(c); ok {
			typed[c.Name] = zeroOf(t)
		}
	}
	prog, err := exprlang.Compile(src, exprlang.Env(typed),
		exprlang.Function("now", func(...any) (any, error) { return testNow, nil }, new(func() time.Time)))
	if err != nil {
		return nil, err
	}
	return exprlang.Run(prog, env)
}

// same reports whether two results are equal: numbers by value (NaN
// equals NaN), times as instants.
func same(got, want any) bool {
	if b, ok := want.([]byte); ok {
		want = string(b)
	}
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	gf, gok := number(got)
	wf, wok := number(want)
	if gok && wok {
		if gi, ok := got.(int64); ok {
			if wi, ok := intOf(want); ok {
				return gi == wi
			}
		}
		return gf == wf || gf != gf && wf != wf
	}
	if gt, ok := got.(time.Time); ok {
		wt, ok := want.(time.Time)
		return ok && gt.Equal(wt)
	}
	return got == want
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int:
		return float64(v), true
	case int32:
		return float64(v), true
	case int64:
		return float64(v), true
	case float32:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func intOf(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	}
	return 0, false
}

// values returns the rows of v as Go values.
func values(v *Vector) []any {
	out := make([]any, v.Len)
	for i := range out {
		out[i] = v.Value(i)
	}
	return out
}

// evalRows compiles src and evaluates it over rows.
func evalRows(t testing.TB, src string, rows []row, opts ...Option) (*Program, []any) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := buildRecord(t, mem, rows)
	defer rec.Release()
	prog, err := Compile(src, testSchema, append([]Option{Now(testNow)}, opts...)...)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	v, err := prog.NewEvaluator().Eval(rec)
	if err != nil {
		t.Fatalf("Eval(%q): %v", src, err)
	}
	if v.Len != len(rows) {
		t.Fatalf("Eval(%q): %d rows, want %d", src, v.Len, len(rows))
	}
	return prog, values(v)
}

// memoryAlloc returns a checked allocator that fails the test if
// anything allocated from it is still held when the test ends.
func memoryAlloc(t testing.TB) memory.Allocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}
