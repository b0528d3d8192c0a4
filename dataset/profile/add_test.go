package profile_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset/profile"
)

// A sliced array (non-zero offset, as array.NewSlice and record slicing
// make) must profile exactly like a fresh array of the same values.
func TestAddSlicedArray(t *testing.T) {
	tests := []struct {
		name string
		dt   arrow.DataType
		vals []any
	}{
		{"int64", arrow.PrimitiveTypes.Int64, []any{int64(100), int64(200), nil, int64(3), int64(4), int64(3), nil, int64(9)}},
		{"float64", arrow.PrimitiveTypes.Float64, []any{1.5, nil, 2.5, math.NaN(), -1.0, 2.5, 8.0, 9.0}},
		{"bool", arrow.FixedWidthTypes.Boolean, []any{true, true, nil, false, true, false, false, true}},
		{"string", arrow.BinaryTypes.String, []any{"aaaa", "bbbb", "cc", nil, "d", "日本", "cc", "zzzzzz"}},
		{"binary", arrow.BinaryTypes.Binary, []any{[]byte("aaaa"), []byte("bbbb"), []byte("cc"), nil, []byte{0xff}, []byte(""), []byte("cc"), []byte("zzzzzz")}},
	}
	for _, tt := range tests {
		for _, r := range [][2]int{{2, 7}, {1, 8}, {3, 3}, {0, 4}} {
			t.Run(fmt.Sprintf("%s/[%d:%d]", tt.name, r[0], r[1]), func(t *testing.T) {
				mem := checkedAlloc(t)
				kind := profile.KindOf(tt.dt)
				whole := build(mem, tt.dt, tt.vals)
				defer whole.Release()
				sliced := array.NewSlice(whole, int64(r[0]), int64(r[1]))
				defer sliced.Release()
				fresh := build(mem, tt.dt, tt.vals[r[0]:r[1]])
				defer fresh.Release()

				var got, want profile.ColumnSummary
				if !noPanic(t, "Add of a sliced array", func() { got = column("c", tt.name, kind, 1, sliced).Summary() }) {
					return
				}
				want = column("c", tt.name, kind, 1, fresh).Summary()
				if g, w := summaryJSON(t, got), summaryJSON(t, want); g != w {
					t.Errorf("slice [%d:%d]:\n got %s\nwant %s", r[0], r[1], g, w)
				}
			})
		}
	}
}

// KindOf maps large_string and large_binary to the string and binary kinds,
// so Add must profile their values.
func TestAddLargeStringAndBinary(t *testing.T) {
	mem := checkedAlloc(t)
	vals := []string{"ä", "bb", "ä", "", "日本語"}
	tests := []struct {
		name        string
		large, base arrow.DataType
	}{
		{"large_string", arrow.BinaryTypes.LargeString, arrow.BinaryTypes.String},
		{"large_binary", arrow.BinaryTypes.LargeBinary, arrow.BinaryTypes.Binary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind := profile.KindOf(tt.large)
			if kind != profile.KindOf(tt.base) {
				t.Fatalf("KindOf(%s): got %d, want %d", tt.large, kind, profile.KindOf(tt.base))
			}
			lb := array.NewBuilder(mem, tt.large)
			bb := array.NewBuilder(mem, tt.base)
			for _, v := range vals {
				switch b := lb.(type) {
				case *array.LargeStringBuilder:
					b.Append(v)
				case *array.BinaryBuilder:
					b.Append([]byte(v))
				}
				switch b := bb.(type) {
				case *array.StringBuilder:
					b.Append(v)
				case *array.BinaryBuilder:
					b.Append([]byte(v))
				}
			}
			lb.AppendNull()
			bb.AppendNull()
			large, base := lb.NewArray(), bb.NewArray()
			lb.Release()
			bb.Release()
			defer large.Release()
			defer base.Release()

			got := column("c", "string", kind, 1, large).Summary()
			want := column("c", "string", kind, 1, base).Summary()
			if g, w := summaryJSON(t, got), summaryJSON(t, want); g != w {
				t.Errorf("\n got %s\nwant %s", g, w)
			}
		})
	}
}

// Every integer type KindOf accepts profiles like int64 of the same values.
func TestAddIntegerTypes(t *testing.T) {
	mem := checkedAlloc(t)
	vals := []any{int64(3), int64(0), nil, int64(100), int64(3), int64(127)}
	ref := build(mem, arrow.PrimitiveTypes.Int64, vals)
	want := column("c", "int", profile.KindInt, 1, ref).Summary()
	ref.Release()
	tests := []arrow.DataType{
		arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32,
		arrow.PrimitiveTypes.Uint8, arrow.PrimitiveTypes.Uint16, arrow.PrimitiveTypes.Uint32,
	}
	for _, dt := range tests {
		t.Run(dt.String(), func(t *testing.T) {
			if k := profile.KindOf(dt); k != profile.KindInt {
				t.Fatalf("KindOf: got %d, want KindInt", k)
			}
			b := array.NewBuilder(mem, dt)
			for _, v := range vals {
				if v == nil {
					b.AppendNull()
					continue
				}
				x := v.(int64)
				switch b := b.(type) {
				case *array.Int8Builder:
					b.Append(int8(x))
				case *array.Int16Builder:
					b.Append(int16(x))
				case *array.Int32Builder:
					b.Append(int32(x))
				case *array.Uint8Builder:
					b.Append(uint8(x))
				case *array.Uint16Builder:
					b.Append(uint16(x))
				case *array.Uint32Builder:
					b.Append(uint32(x))
				}
			}
			arr := b.NewArray()
			b.Release()
			defer arr.Release()
			got := column("c", "int", profile.KindInt, 1, arr).Summary()
			if g, w := summaryJSON(t, got), summaryJSON(t, want); g != w {
				t.Errorf("\n got %s\nwant %s", g, w)
			}
		})
	}
}

// FormatValue renders dates and timestamps of every unit as ISO 8601 text.
func TestFormatValue(t *testing.T) {
	tests := []struct {
		typ  string
		iv   int64
		want string
	}{
		{"date", 0, "1970-01-01"},
		{"date", -1, "1969-12-31"},
		{"date", 19723, "2024-01-01"},
		{"timestamp[ms]", 1_704_067_200_123, "2024-01-01T00:00:00.123Z"},
		{"timestamp[ms] UTC", -1, "1969-12-31T23:59:59.999Z"},
		{"timestamp[us]", 1_704_067_200_000_001, "2024-01-01T00:00:00.000001Z"},
		{"timestamp[ns] UTC", 1_704_067_200_000_000_010, "2024-01-01T00:00:00.00000001Z"},
		{"int64", math.MaxInt64, "9223372036854775807"},
		{"int32", -5, "-5"},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			if got := profile.FormatValue(tt.typ, float64(tt.iv), tt.iv); got != tt.want {
				t.Errorf("FormatValue(%q, %d): got %q, want %q", tt.typ, tt.iv, got, tt.want)
			}
		})
	}
	if got := profile.FormatValue("float64", 0.1, 0); got != "0.1" {
		t.Errorf("FormatValue(float64, 0.1): got %q, want 0.1", got)
	}
}

// Integer bounds are exact: min_value and max_value keep every digit of an
// int64 that float64 cannot hold.
func TestInt64BoundsText(t *testing.T) {
	mem := checkedAlloc(t)
	arr := int64s(mem, []int64{1<<53 + 1, -(1<<53 + 3), 7})
	defer arr.Release()
	s := column("c", "int64", profile.KindInt, 1, arr).Summary()
	if s.MinValue != "-9007199254740995" || s.MaxValue != "9007199254740993" {
		t.Errorf("min_value, max_value: got %q %q, want -9007199254740995 9007199254740993", s.MinValue, s.MaxValue)
	}
	if s.Top[0].Value != "-9007199254740995" {
		t.Errorf("top value: got %q, want -9007199254740995", s.Top[0].Value)
	}
}

// checkHistogram checks what every histogram must satisfy: one more edge
// than counts, edges finite and non-decreasing from min to max, at most
// HistogramBins bins, counts adding up to the values counted.
func checkHistogram(t *testing.T, s profile.ColumnSummary, values int64) {
	t.Helper()
	h := s.Histogram
	if h == nil {
		t.Errorf("histogram: got none, want one")
		return
	}
	if len(h.Edges) != len(h.Counts)+1 || len(h.Counts) < 1 || len(h.Counts) > profile.HistogramBins {
		t.Errorf("histogram: got %d edges and %d counts, want n+1 edges and 1 to %d counts (%v)",
			len(h.Edges), len(h.Counts), profile.HistogramBins, h.Edges)
		return
	}
	for i, e := range h.Edges {
		if math.IsNaN(float64(e)) || math.IsInf(float64(e), 0) || i > 0 && e < h.Edges[i-1] {
			t.Errorf("histogram edges: got %v, want finite and non-decreasing", h.Edges)
			break
		}
	}
	if h.Edges[0] > *s.Min || h.Edges[len(h.Edges)-1] < *s.Max {
		t.Errorf("histogram edges: got %v … %v, want to cover [%s, %s]", h.Edges[0], h.Edges[len(h.Edges)-1], fv(s.Min), fv(s.Max))
	}
	if n := histTotal(h); n != values {
		t.Errorf("histogram counts: got %v (total %d), want total %d", h.Counts, n, values)
	}
}

// Integer columns at the ends of int64 (sentinels such as MaxInt64 are
// common in real data): the one-bin-per-integer rule must not overflow.
// With values {MinInt64, 0} or {-5e18, 5e18} the same overflow makes
// Summary loop ~2^63 times appending edges (out of memory), so those are
// not run here.
func TestHistogramExtremeInt64(t *testing.T) {
	tests := []struct {
		name string
		vals []int64
	}{
		{"max only", []int64{math.MaxInt64}},
		{"near max", []int64{math.MaxInt64 - 3, math.MaxInt64}},
		{"min and max", []int64{math.MinInt64, math.MaxInt64, 0}},
		{"min only", []int64{math.MinInt64, math.MinInt64 + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			arr := int64s(mem, tt.vals)
			defer arr.Release()
			c := column("c", "int64", profile.KindInt, 1, arr)
			var s profile.ColumnSummary
			if noPanic(t, "Summary", func() { s = c.Summary() }) {
				checkHistogram(t, s, int64(len(tt.vals)))
			}
		})
	}
}

// A float range wider than MaxFloat64 (max − min overflows to +Inf) must
// still give finite edges and put each value in its bin.
func TestHistogramHugeFloatRange(t *testing.T) {
	mem := checkedAlloc(t)
	arr := float64s(mem, []float64{-1.7e308, 0, 1.7e308})
	defer arr.Release()
	s := column("c", "float64", profile.KindFloat, 1, arr).Summary()
	checkHistogram(t, s, 3)
	if h := s.Histogram; h != nil && len(h.Counts) == profile.HistogramBins {
		if h.Counts[0] != 1 || h.Counts[len(h.Counts)-1] != 1 {
			t.Errorf("histogram counts: got %v, want 1 in the first bin, 1 in the last", h.Counts)
		}
	}
}

// Histograms of ordinary columns, checked by the same invariants.
func TestHistogramInvariants(t *testing.T) {
	tests := []struct {
		name string
		vals []float64
	}{
		{"one value", []float64{3}},
		{"two values", []float64{3, 4}},
		{"negative range", []float64{-10, -9.5, -1e-300}},
		{"tiny range", []float64{1, math.Nextafter(1, 2)}},
		{"subnormals", []float64{0, 5e-324, 1e-323}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			arr := float64s(mem, tt.vals)
			defer arr.Release()
			checkHistogram(t, column("c", "float64", profile.KindFloat, 1, arr).Summary(), int64(len(tt.vals)))
		})
	}
}

// Top values are "most frequent first, ties by value": false (0) sorts
// before true (1), by number and by text alike.
func TestBoolTopTiesByValue(t *testing.T) {
	tests := []struct {
		name string
		vals []any
		want []profile.TopValue
	}{
		{"tie", []any{true, false}, []profile.TopValue{{"false", 1}, {"true", 1}}},
		{"tie with nulls", []any{true, nil, false, false, true}, []profile.TopValue{{"false", 2}, {"true", 2}}},
		{"more true", []any{true, false, true}, []profile.TopValue{{"true", 2}, {"false", 1}}},
		{"more false", []any{false, false, true}, []profile.TopValue{{"false", 2}, {"true", 1}}},
		{"only true", []any{true}, []profile.TopValue{{"true", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			arr := build(mem, arrow.FixedWidthTypes.Boolean, tt.vals)
			defer arr.Release()
			got := column("c", "bool", profile.KindBool, 1, arr).Summary().Top
			if g, w := summaryJSON(t, got), summaryJSON(t, tt.want); g != w {
				t.Errorf("top: got %s, want %s", g, w)
			}
		})
	}
}

// Values are counted by a 64-bit hash. The integer hash (a bijective
// mixer) maps 0 to 0, and the table's "hash 0 means 1" rule then makes 0
// and 5818379579481681392 (whose mix is 1) one value.
func TestDistinctValuesWithEqualHashes(t *testing.T) {
	const x = 5818379579481681392
	tests := []struct {
		name string
		dt   arrow.DataType
		kind profile.Kind
		vals []any
	}{
		{"int64", arrow.PrimitiveTypes.Int64, profile.KindInt, []any{int64(0), int64(x)}},
		{"float64", arrow.PrimitiveTypes.Float64, profile.KindFloat, []any{0.0, math.Float64frombits(x)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			arr := build(mem, tt.dt, tt.vals)
			defer arr.Release()
			s := column("c", tt.name, tt.kind, 1, arr).Summary()
			if s.Distinct != 2 || len(s.Top) != 2 {
				t.Errorf("distinct, top: got %d %v, want 2 values of count 1", s.Distinct, s.Top)
			}
			if got := quantiles(s.Quantiles); got != nil && got[6] == 0 {
				t.Errorf("p99: got 0, want the larger value")
			}
		})
	}
}

func TestProfileMergeMismatch(t *testing.T) {
	a := profile.New([]profile.Spec{{Name: "x", Type: "int64", Kind: profile.KindInt}}, 1)
	tests := []struct {
		name  string
		specs []profile.Spec
	}{
		{"more columns", []profile.Spec{{Name: "x", Type: "int64", Kind: profile.KindInt}, {Name: "y", Type: "bool", Kind: profile.KindBool}}},
		{"other name", []profile.Spec{{Name: "y", Type: "int64", Kind: profile.KindInt}}},
		{"other kind", []profile.Spec{{Name: "x", Type: "float64", Kind: profile.KindFloat}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := summaryJSON(t, a.Summary())
			if err := a.Merge(profile.New(tt.specs, 2)); err == nil {
				t.Errorf("Merge: got no error, want one")
			}
			if after := summaryJSON(t, a.Summary()); after != before {
				t.Errorf("failed Merge changed the profile:\n got %s\nwant %s", after, before)
			}
		})
	}
}

func TestProfileSelect(t *testing.T) {
	specs := []profile.Spec{
		{Name: "a", Type: "int64", Kind: profile.KindInt},
		{Name: "b", Type: "string", Kind: profile.KindString},
		{Name: "c", Type: "bool", Kind: profile.KindBool},
	}
	p := profile.New(specs, 1)
	p.Rows = 5
	got, err := p.Select([]string{"c", "a"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows != 5 || len(got.Columns) != 2 || got.Columns[0].Name != "c" || got.Columns[1].Name != "a" {
		t.Errorf("Select(c, a): got rows %d columns %d", got.Rows, len(got.Columns))
	}
	if p.Column("b") == nil || p.Column("nope") != nil {
		t.Errorf("Column: got %v %v, want b and nil", p.Column("b"), p.Column("nope"))
	}
	if _, err := p.Select([]string{"a", "nope"}); err == nil {
		t.Errorf("Select(nope): got no error, want one")
	}
}
