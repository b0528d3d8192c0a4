package profile_test

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset/profile"
)

// rel is the relative tolerance of figures computed in floating point in a
// different order than NumPy does (pairwise sums, lerp from the upper end).
const rel = 1e-12

// stdTol is the relative tolerance of a standard deviation merged from
// batches with Chan's formula: the batch means carry rounding errors of
// about ulp(mean), which the merge turns into a relative error of the
// variance of about |mean|/std ulps. Timestamps in microseconds (mean
// 1.7e15, std 3e8) lose about 1e-10 that way.
func stdTol(s profile.ColumnSummary) float64 {
	if s.Mean == nil || s.Std == nil || *s.Std == 0 {
		return rel
	}
	return rel + 8*0x1p-52*math.Abs(float64(*s.Mean))/float64(*s.Std)
}

// layouts split a column's values into the batches and row groups it is
// profiled in: every layout must give the fixture's figures.
var layouts = []struct {
	name string
	// groups lists row groups, each a list of batch sizes; -1 takes the
	// rest of the values.
	groups func(n int) [][]int
}{
	{"one batch", func(n int) [][]int { return [][]int{{-1}} }},
	{"three batches", func(n int) [][]int { return [][]int{{n / 3, n / 3, -1}} }},
	{"row groups merged", func(n int) [][]int {
		return [][]int{{min(n, 1)}, {min(n, 2) - min(n, 1), 0}, {n / 4}, {-1}}
	}},
	{"one value per row group", func(n int) [][]int {
		g := make([][]int, max(n, 1))
		for i := range g {
			g[i] = []int{min(n, 1)}
		}
		return g
	}},
}

// profileLayout profiles vals as one column laid out in row groups of
// batches, each row group its own profile (seed = its index + 1), merged
// in order.
func profileLayout(t *testing.T, spec profile.Spec, dt arrow.DataType, vals []any, groups [][]int) profile.ColumnSummary {
	t.Helper()
	mem := checkedAlloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: spec.Name, Type: dt, Nullable: true}}, nil)
	total := profile.New([]profile.Spec{spec}, 0)
	rest := vals
	for gi, g := range groups {
		p := profile.New([]profile.Spec{spec}, uint64(gi)+1)
		for _, size := range g {
			if size < 0 || size > len(rest) {
				size = len(rest)
			}
			arr := build(mem, dt, rest[:size])
			rest = rest[size:]
			rec := array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
			p.Add(rec)
			rec.Release()
			arr.Release()
		}
		if err := total.Merge(p); err != nil {
			t.Fatal(err)
		}
	}
	if len(rest) != 0 {
		t.Fatalf("layout left %d values", len(rest))
	}
	s := total.Summary()
	if s.Rows != int64(len(vals)) {
		t.Errorf("rows: got %d, want %d", s.Rows, len(vals))
	}
	return s.Columns[0]
}

func TestExactFigures(t *testing.T) {
	for _, fc := range loadFixture(t, "testdata/exact.json") {
		dt := arrowType(fc.Arrow)
		spec := profile.Spec{Name: "c", Type: fc.Type, Kind: profile.KindOf(dt)}
		vals := fc.values(t)
		for _, l := range layouts {
			t.Run(fc.Name+"/"+l.name, func(t *testing.T) {
				got := profileLayout(t, spec, dt, vals, l.groups(len(vals)))
				checkFixture(t, fc, got)
				checkTwoPass(t, fc, vals, got)
			})
		}
	}
}

func checkFixture(t *testing.T, fc fixtureCase, got profile.ColumnSummary) {
	t.Helper()
	w := fc.Want
	kind := profile.KindOf(arrowType(fc.Arrow))
	if got.Name != "c" || got.Type != fc.Type {
		t.Errorf("name, type: got %q %q, want %q %q", got.Name, got.Type, "c", fc.Type)
	}
	for _, c := range []struct {
		what      string
		got, want int64
	}{
		{"count", got.Count, w.Count},
		{"nulls", got.Nulls, w.Nulls},
		{"nan", got.NaN, w.NaN},
		{"distinct", got.Distinct, w.Distinct},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
	if !got.DistinctExact || !got.TopExact || got.TopError != 0 {
		t.Errorf("exactness: got distinct_exact %v top_exact %v top_error %d, want true true 0",
			got.DistinctExact, got.TopExact, got.TopError)
	}

	checkFloat := func(what string, got *profile.Float, want *num, tol float64) {
		t.Helper()
		switch {
		case got == nil && want == nil:
		case got == nil || want == nil:
			t.Errorf("%s: got %s, want %v", what, fv(got), want)
		case !near(float64(*got), float64(*want), tol):
			t.Errorf("%s: got %s, want %v", what, fv(got), float64(*want))
		}
	}
	checkFloat("min", got.Min, w.Min, 0)
	checkFloat("max", got.Max, w.Max, 0)
	checkFloat("mean", got.Mean, w.Mean, rel)
	checkFloat("std", got.Std, w.Std, stdTol(got))

	wantText := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	switch kind {
	case profile.KindFloat:
		// Text is assay's shortest form of the number.
		for _, m := range []struct {
			what string
			text string
			f    *profile.Float
		}{{"min_value", got.MinValue, got.Min}, {"max_value", got.MaxValue, got.Max}} {
			if m.f == nil {
				if m.text != "" {
					t.Errorf("%s: got %q, want none", m.what, m.text)
				}
				continue
			}
			if v, err := strconv.ParseFloat(m.text, 64); err != nil || v != float64(*m.f) {
				t.Errorf("%s: got %q, want the text of %s", m.what, m.text, fv(m.f))
			}
		}
	case profile.KindBinary:
		if g := hex.EncodeToString([]byte(got.MinValue)); g != wantText(w.MinValue) {
			t.Errorf("min_value: got %s, want %s (hex)", g, wantText(w.MinValue))
		}
		if g := hex.EncodeToString([]byte(got.MaxValue)); g != wantText(w.MaxValue) {
			t.Errorf("max_value: got %s, want %s (hex)", g, wantText(w.MaxValue))
		}
	default:
		if got.MinValue != wantText(w.MinValue) || got.MaxValue != wantText(w.MaxValue) {
			t.Errorf("min_value, max_value: got %q %q, want %q %q", got.MinValue, got.MaxValue, wantText(w.MinValue), wantText(w.MaxValue))
		}
	}

	if (got.True == nil) != (w.True == nil) || got.True != nil && *got.True != *w.True {
		t.Errorf("true: got %v, want %v", got.True, w.True)
	}

	// Quantiles.
	gq := quantiles(got.Quantiles)
	if len(gq) != len(w.Quantiles) {
		t.Errorf("quantiles: got %v, want %v", gq, w.Quantiles)
	} else if len(gq) > 0 {
		for i, p := range profile.QuantileProbs {
			if !near(gq[i], float64(w.Quantiles[i]), rel) {
				t.Errorf("quantile %v: got %v, want %v", p, gq[i], float64(w.Quantiles[i]))
			}
		}
		if !got.QuantilesExact {
			t.Errorf("quantiles_exact: got false, want true")
		}
	}

	// Histogram.
	switch {
	case got.Histogram == nil && w.Histogram == nil:
	case got.Histogram == nil || w.Histogram == nil:
		t.Errorf("histogram: got %v, want %v", got.Histogram, w.Histogram)
	default:
		gh, wh := got.Histogram, w.Histogram
		if len(gh.Edges) != len(wh.Edges) || len(gh.Counts) != len(wh.Counts) {
			t.Errorf("histogram: got %d edges %d counts, want %d edges %d counts (%v %v)",
				len(gh.Edges), len(gh.Counts), len(wh.Edges), len(wh.Counts), gh.Edges, wh.Edges)
			break
		}
		for i := range gh.Edges {
			if !near(float64(gh.Edges[i]), float64(wh.Edges[i]), rel) {
				t.Errorf("histogram edge %d: got %v, want %v", i, gh.Edges[i], wh.Edges[i])
			}
		}
		for i := range gh.Counts {
			if gh.Counts[i] != wh.Counts[i] {
				t.Errorf("histogram count %d: got %d, want %d (got %v, want %v)", i, gh.Counts[i], wh.Counts[i], gh.Counts, wh.Counts)
				break
			}
		}
	}

	// Top values, most frequent first, ties by value.
	if len(got.Top) != len(w.Top) {
		t.Errorf("top: got %d values %v, want %d", len(got.Top), got.Top, len(w.Top))
	} else {
		for i, wt := range w.Top {
			g := got.Top[i]
			ok := g.Count == wt.Count
			switch kind {
			case profile.KindFloat:
				var want num
				if err := json.Unmarshal(wt.Value, &want); err != nil {
					t.Fatal(err)
				}
				v, err := strconv.ParseFloat(g.Value, 64)
				ok = ok && err == nil && v == float64(want)
			case profile.KindBinary:
				var want string
				_ = json.Unmarshal(wt.Value, &want)
				ok = ok && hex.EncodeToString([]byte(g.Value)) == want
			default:
				var want string
				_ = json.Unmarshal(wt.Value, &want)
				ok = ok && g.Value == want
			}
			if !ok {
				t.Errorf("top %d: got %q×%d, want %s×%d (got %v)", i, g.Value, g.Count, wt.Value, wt.Count, got.Top)
			}
		}
	}

	// String lengths.
	switch {
	case got.Length == nil && w.Length == nil:
	case got.Length == nil || w.Length == nil:
		t.Errorf("length: got %v, want %v", got.Length, w.Length)
	default:
		if got.Length.Min != w.Length.Min || got.Length.Max != w.Length.Max || !near(got.Length.Mean, float64(w.Length.Mean), 1e-15) {
			t.Errorf("length: got %+v, want %+v", *got.Length, *w.Length)
		}
	}
}

// checkTwoPass checks the mean and sample standard deviation against a
// plain two-pass computation over the fixture's values.
func checkTwoPass(t *testing.T, fc fixtureCase, vals []any, got profile.ColumnSummary) {
	t.Helper()
	var xs []float64
	for _, v := range vals {
		switch v := v.(type) {
		case int64:
			xs = append(xs, float64(v))
		case float64:
			if !math.IsNaN(v) {
				xs = append(xs, v)
			}
		case bool:
			xs = append(xs, map[bool]float64{false: 0, true: 1}[v])
		}
	}
	if len(xs) == 0 {
		if got.Mean != nil || got.Std != nil {
			t.Errorf("no values: got mean %s std %s, want none", fv(got.Mean), fv(got.Std))
		}
		return
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	if got.Mean == nil || !near(float64(*got.Mean), mean, rel) {
		t.Errorf("mean: got %s, want %v (two-pass)", fv(got.Mean), mean)
	}
	if len(xs) < 2 {
		if got.Std != nil {
			t.Errorf("std of one value: got %s, want none", fv(got.Std))
		}
		return
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	std := math.Sqrt(ss / float64(len(xs)-1))
	if got.Std == nil || !near(float64(*got.Std), std, stdTol(got)) {
		t.Errorf("std: got %s, want %v (two-pass, n-1)", fv(got.Std), std)
	}
}
