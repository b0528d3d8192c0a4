package profile_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset/profile"
)

// Accuracy promised past the caps: HyperLogLog with p = 14 (standard error
// 0.81%) and KLL with k = 256 (rank error about 1%).
const (
	distinctTol = 0.02
	rankTol     = 0.015
)

// checkRanks checks that each quantile's value has a true rank within tol
// of its probability: some position of the value in the sorted data is
// within tol·n of q·n.
func checkRanks(t *testing.T, sorted []float64, s profile.ColumnSummary, tol float64) {
	t.Helper()
	n := float64(len(sorted))
	qs := quantiles(s.Quantiles)
	if len(qs) == 0 {
		t.Errorf("quantiles: got none")
		return
	}
	for i, p := range profile.QuantileProbs {
		v := qs[i]
		below := float64(sort.SearchFloat64s(sorted, v))                                          // values < v
		atOrBelow := float64(sort.Search(len(sorted), func(j int) bool { return sorted[j] > v })) // values ≤ v
		if p < below/n-tol || p > atOrBelow/n+tol {
			t.Errorf("p%02.0f: got %v, whose rank is %.4f…%.4f, want within %v of %v",
				p*100, v, below/n, atOrBelow/n, tol, p)
		}
		if v < sorted[0] || v > sorted[len(sorted)-1] {
			t.Errorf("p%02.0f: got %v, outside the values [%v, %v]", p*100, v, sorted[0], sorted[len(sorted)-1])
		}
	}
}

// checkHistogramRanks checks a sketched histogram against the data: counts
// add up to the values, and the count below every edge is within tol·n of
// the truth.
func checkHistogramRanks(t *testing.T, sorted []float64, s profile.ColumnSummary, tol float64) {
	t.Helper()
	h := s.Histogram
	if h == nil {
		t.Errorf("histogram: got none")
		return
	}
	n := int64(len(sorted))
	if got := histTotal(h); got != n {
		t.Errorf("histogram total: got %d, want %d (the non-null, non-NaN values)", got, n)
	}
	// Report the worst edge only.
	var cum, worst int64
	worstEdge := math.NaN()
	var worstGot, worstWant int64
	for i, c := range h.Counts[:len(h.Counts)-1] {
		cum += c
		edge := float64(h.Edges[i+1])
		truth := int64(sort.SearchFloat64s(sorted, edge))
		if d := max(cum-truth, truth-cum); d > worst {
			worst, worstEdge, worstGot, worstWant = d, edge, cum, truth
		}
	}
	if float64(worst) > tol*float64(n) {
		t.Errorf("histogram: %d values below edge %v, want %d (±%.0f); counts %v",
			worstGot, worstEdge, worstWant, tol*float64(n), h.Counts)
	}
}

func checkDistinct(t *testing.T, s profile.ColumnSummary, truth int, exact bool) {
	t.Helper()
	if s.DistinctExact != exact {
		t.Errorf("distinct_exact: got %v, want %v", s.DistinctExact, exact)
	}
	if d := math.Abs(float64(s.Distinct)-float64(truth)) / float64(truth); d > distinctTol {
		t.Errorf("distinct: got %d, want %d ±%.0f%% (off by %.2f%%)", s.Distinct, truth, distinctTol*100, d*100)
	}
}

// checkTop checks approximate top values: each reported count is a lower
// bound short by at most TopError, and the heavy hitters are listed.
func checkTop(t *testing.T, s profile.ColumnSummary, truth func(string) int64, heavy ...string) {
	t.Helper()
	if s.TopExact {
		t.Errorf("top_exact: got true, want false past the cap")
	}
	for _, tv := range s.Top {
		if c := truth(tv.Value); tv.Count > c || c > tv.Count+s.TopError {
			t.Errorf("top %q: got count %d (error ≤ %d), true count %d", tv.Value, tv.Count, s.TopError, c)
		}
	}
	for i, h := range heavy {
		j := slices.IndexFunc(s.Top, func(tv profile.TopValue) bool { return tv.Value == h })
		if j != i {
			t.Errorf("heavy hitter %q: got at position %d of %v, want %d", h, j, s.Top, i)
		}
	}
}

type intData struct {
	vals  []int64
	valid []bool // nil: all valid
}

func (d intData) array(mem memory.Allocator, lo, hi int) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	var valid []bool
	if d.valid != nil {
		valid = d.valid[lo:hi]
	}
	b.AppendValues(d.vals[lo:hi], valid)
	return b.NewArray()
}

type floatData struct {
	vals  []float64
	valid []bool
}

func (d floatData) array(mem memory.Allocator, lo, hi int) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	var valid []bool
	if d.valid != nil {
		valid = d.valid[lo:hi]
	}
	b.AppendValues(d.vals[lo:hi], valid)
	return b.NewArray()
}

type strData struct {
	vals  []string
	valid []bool
}

func (d strData) array(mem memory.Allocator, lo, hi int) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	var valid []bool
	if d.valid != nil {
		valid = d.valid[lo:hi]
	}
	b.AppendValues(d.vals[lo:hi], valid)
	return b.NewArray()
}

type arrayer interface {
	array(mem memory.Allocator, lo, hi int) arrow.Array
}

// profileColumn profiles n rows of d as one column: groups row groups
// (each its own column, seed = index + 1) of batches of batch rows, merged
// in order.
func profileColumn(mem memory.Allocator, name, typ string, kind profile.Kind, d arrayer, n, groups, batch int) *profile.Column {
	total := profile.NewColumn(name, typ, kind, 0)
	size := (n + groups - 1) / groups
	for g := range groups {
		c := profile.NewColumn(name, typ, kind, uint64(g)+1)
		for lo := g * size; lo < min((g+1)*size, n); lo += batch {
			addReleased(c, d.array(mem, lo, min(lo+batch, (g+1)*size, n)))
		}
		total.Merge(c)
	}
	return total
}

func validMask(r *rand.Rand, n int, nullEvery int) ([]bool, int) {
	valid := make([]bool, n)
	nulls := 0
	for i := range valid {
		valid[i] = r.IntN(nullEvery) != 0
		if !valid[i] {
			nulls++
		}
	}
	return valid, nulls
}

var sketchLayouts = []struct {
	name          string
	groups, batch int
}{
	{"one accumulator", 1, 65536},
	{"16 row groups merged", 16, 50_000},
	{"100 row groups merged", 100, 65536},
}

// Past the caps, with 2 million values: distinct, quantiles, histogram and
// heavy hitters within their documented error.
func TestSketchAccuracyInt64(t *testing.T) {
	if testing.Short() {
		t.Skip("2M values")
	}
	const n = 2_000_000
	r := rand.New(rand.NewPCG(10, 1))
	d := intData{vals: make([]int64, n)}
	var nulls int
	d.valid, nulls = validMask(r, n, 100)
	for i := range d.vals {
		switch x := r.Float64(); {
		case x < 0.05:
			d.vals[i] = 424242 // heavy hitter, 5%
		case x < 0.07:
			d.vals[i] = -7 // 2%
		default:
			d.vals[i] = r.Int64N(1e9) - 2e8
		}
	}
	var sorted []float64
	counts := map[int64]int64{}
	for i, v := range d.vals {
		if d.valid[i] {
			sorted = append(sorted, float64(v))
			counts[v]++
		}
	}
	slices.Sort(sorted)
	truth := func(s string) int64 { v, _ := strconv.ParseInt(s, 10, 64); return counts[v] }

	for _, l := range sketchLayouts {
		t.Run(l.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			s := profileColumn(mem, "i", "int64", profile.KindInt, d, n, l.groups, l.batch).Summary()
			if s.Count != n || s.Nulls != int64(nulls) {
				t.Errorf("count, nulls: got %d %d, want %d %d", s.Count, s.Nulls, n, nulls)
			}
			if *s.Min != Float(sorted[0]) || *s.Max != Float(sorted[len(sorted)-1]) {
				t.Errorf("min, max: got %s %s, want %v %v", fv(s.Min), fv(s.Max), sorted[0], sorted[len(sorted)-1])
			}
			if s.QuantilesExact {
				t.Errorf("quantiles_exact: got true, want false")
			}
			checkDistinct(t, s, len(counts), false)
			checkRanks(t, sorted, s, rankTol)
			checkHistogramRanks(t, sorted, s, rankTol)
			checkTop(t, s, truth, "424242", "-7")
		})
	}
}

type Float = profile.Float

func TestSketchAccuracyFloat64(t *testing.T) {
	if testing.Short() {
		t.Skip("1.5M values")
	}
	const n = 1_500_000
	r := rand.New(rand.NewPCG(11, 1))
	d := floatData{vals: make([]float64, n)}
	d.valid, _ = validMask(r, n, 50)
	nans := 0
	for i := range d.vals {
		switch x := r.Float64(); {
		case x < 0.05:
			d.vals[i] = 3.25
		case x < 0.055:
			d.vals[i] = math.NaN()
			if d.valid[i] {
				nans++
			}
		default:
			d.vals[i] = math.Exp(r.NormFloat64() * 2) // long right tail
		}
	}
	var sorted []float64
	counts := map[float64]int64{}
	for i, v := range d.vals {
		if d.valid[i] && !math.IsNaN(v) {
			sorted = append(sorted, v)
			counts[v]++
		}
	}
	slices.Sort(sorted)
	truth := func(s string) int64 { v, _ := strconv.ParseFloat(s, 64); return counts[v] }
	for _, l := range sketchLayouts {
		t.Run(l.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			s := profileColumn(mem, "f", "float64", profile.KindFloat, d, n, l.groups, l.batch).Summary()
			if s.NaN != int64(nans) {
				t.Errorf("nan: got %d, want %d", s.NaN, nans)
			}
			checkDistinct(t, s, len(counts), false)
			checkRanks(t, sorted, s, rankTol)
			checkHistogramRanks(t, sorted, s, rankTol)
			checkTop(t, s, truth, "3.25")
			// Mean and std are exact-moment figures even past the caps.
			sum := 0.0
			for _, x := range sorted {
				sum += x
			}
			mean := sum / float64(len(sorted))
			ss := 0.0
			for _, x := range sorted {
				ss += (x - mean) * (x - mean)
			}
			std := math.Sqrt(ss / float64(len(sorted)-1))
			if !near(float64(*s.Mean), mean, 1e-11) || !near(float64(*s.Std), std, 1e-11) {
				t.Errorf("mean, std: got %s %s, want %v %v", fv(s.Mean), fv(s.Std), mean, std)
			}
		})
	}
}

func TestSketchAccuracyString(t *testing.T) {
	if testing.Short() {
		t.Skip("1M values")
	}
	const n = 1_000_000
	r := rand.New(rand.NewPCG(12, 1))
	d := strData{vals: make([]string, n)}
	d.valid, _ = validMask(r, n, 100)
	for i := range d.vals {
		switch x := r.Float64(); {
		case x < 0.05:
			d.vals[i] = "héavy ☃"
		case x < 0.08:
			d.vals[i] = "second"
		default:
			d.vals[i] = "v" + strconv.Itoa(r.IntN(300_000)) + "é"
		}
	}
	counts := map[string]int64{}
	minLen, maxLen, sumLen := 1<<30, 0, 0
	for i, v := range d.vals {
		if d.valid[i] {
			counts[v]++
			l := len([]rune(v))
			minLen, maxLen, sumLen = min(minLen, l), max(maxLen, l), sumLen+l
		}
	}
	valid := 0
	for _, c := range counts {
		valid += int(c)
	}
	for _, l := range sketchLayouts {
		t.Run(l.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			s := profileColumn(mem, "s", "string", profile.KindString, d, n, l.groups, l.batch).Summary()
			checkDistinct(t, s, len(counts), false)
			checkTop(t, s, func(v string) int64 { return counts[v] }, "héavy ☃", "second")
			if s.Length == nil || s.Length.Min != int64(minLen) || s.Length.Max != int64(maxLen) ||
				!near(s.Length.Mean, float64(sumLen)/float64(valid), 1e-15) {
				t.Errorf("length: got %+v, want min %d max %d mean %v", s.Length, minLen, maxLen, float64(sumLen)/float64(valid))
			}
		})
	}
}

// Just past the cap HyperLogLog's raw estimate is at its least accurate
// (the linear-counting range ends at 2.5·2^14 = 40960): the distinct count
// must still be within 2%.
func TestDistinctJustPastCap(t *testing.T) {
	for _, distinct := range []int{profile.ExactDistinctCap + 1, 70_000, 82_000, 100_000, 150_000, 400_000} {
		t.Run(strconv.Itoa(distinct), func(t *testing.T) {
			mem := checkedAlloc(t)
			vals := make([]int64, distinct)
			for i := range vals {
				vals[i] = int64(i)*2654435761 + 12345
			}
			s := column("i", "int64", profile.KindInt, 1)
			addReleased(s, int64s(mem, vals))
			checkDistinct(t, s.Summary(), distinct, false)
		})
	}
}

// transition checks a numeric column that has crossed ExactDistinctCap:
// quantiles and histogram must still cover every value, once.
func transition(t *testing.T, c *profile.Column, values []float64) {
	t.Helper()
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	s := c.Summary()
	if s.Count != int64(len(values)) {
		t.Errorf("count: got %d, want %d", s.Count, len(values))
	}
	if s.DistinctExact || s.QuantilesExact {
		t.Errorf("distinct_exact, quantiles_exact: got %v %v, want false false past the cap", s.DistinctExact, s.QuantilesExact)
	}
	if float64(*s.Min) != sorted[0] || float64(*s.Max) != sorted[len(sorted)-1] {
		t.Errorf("min, max: got %s %s, want %v %v", fv(s.Min), fv(s.Max), sorted[0], sorted[len(sorted)-1])
	}
	distinct := 1
	for i := 1; i < len(sorted); i++ {
		if sorted[i] != sorted[i-1] {
			distinct++
		}
	}
	checkDistinct(t, s, distinct, false)
	checkRanks(t, sorted, s, rankTol)
	checkHistogramRanks(t, sorted, s, rankTol)
}

func seq(lo, hi int64) []int64 {
	out := make([]int64, 0, hi-lo)
	for v := lo; v < hi; v++ {
		out = append(out, v)
	}
	return out
}

func floats(xs ...[]int64) []float64 {
	var out []float64
	for _, x := range xs {
		for _, v := range x {
			out = append(out, float64(v))
		}
	}
	return out
}

func repeat(v int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// A numeric column whose distinct count crosses ExactDistinctCap in the
// middle of a batch or of a merge keeps every value in its quantiles.
func TestCapTransition(t *testing.T) {
	const cap = profile.ExactDistinctCap
	shuffled := func(xs []int64, seed uint64) []int64 {
		r := rand.New(rand.NewPCG(seed, 3))
		xs = slices.Clone(xs)
		r.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		return xs
	}
	type step struct {
		add   []int64   // values to add as one batch, or
		merge [][]int64 // batches of a column to merge in
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"one batch crosses", []step{{add: shuffled(seq(0, 100_000), 1)}}},
		{"one batch crosses, repeats before", []step{{add: append(repeat(5, 50_000), shuffled(seq(0, 80_000), 2)...)}}},
		{"second batch crosses", []step{{add: seq(0, 40_000)}, {add: seq(40_000, 90_000)}}},
		{"crosses on the last value of a batch", []step{{add: seq(0, cap)}, {add: seq(cap, cap+1)}, {add: seq(cap+1, cap+5000)}}},
		{"small batches cross", func() []step {
			var s []step
			xs := shuffled(seq(0, 90_000), 4)
			for i := 0; i < len(xs); i += 1000 {
				s = append(s, step{add: xs[i : i+1000]})
			}
			return s
		}()},
		{"merge crosses", []step{{add: seq(0, 40_000)}, {merge: [][]int64{seq(40_000, 80_000)}}}},
		{"merge of one value crosses", []step{{add: seq(0, cap)}, {merge: [][]int64{{-1}}}}},
		{"merge sketched into exact", []step{{add: seq(0, 1000)}, {merge: [][]int64{seq(1000, 100_000)}}}},
		{"merge exact into sketched", []step{{add: seq(0, 100_000)}, {merge: [][]int64{repeat(3, 20_000), seq(-500, 500)}}}},
		{"merge, then batch crosses", []step{{add: seq(0, 30_000)}, {merge: [][]int64{seq(30_000, 60_000)}}, {add: seq(60_000, 90_000)}}},
		// Two row groups with the same values: the merged counter stays
		// exact (40,000 distinct) but the sum of entries passes the cap.
		{"overlapping merge, then batch crosses", []step{
			{add: seq(0, 40_000)}, {merge: [][]int64{seq(0, 40_000)}}, {add: seq(40_000, 70_000)},
		}},
		{"overlapping merge, small merge, then merge crosses", []step{
			{add: seq(0, 40_000)}, {merge: [][]int64{seq(0, 40_000)}},
			{merge: [][]int64{append(repeat(100_000, 50_000), seq(100_000, 100_100)...)}},
			{merge: [][]int64{seq(200_000, 230_000)}},
		}},
		{"overlapping merge, small batch, then batch crosses", []step{
			{add: seq(0, 40_000)}, {merge: [][]int64{seq(0, 40_000)}},
			{add: repeat(-9, 60_000)}, {add: seq(40_000, 70_000)},
		}},
	}
	for _, kind := range []profile.Kind{profile.KindInt, profile.KindFloat} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/%s", map[profile.Kind]string{profile.KindInt: "int64", profile.KindFloat: "float64"}[kind], tt.name), func(t *testing.T) {
				mem := checkedAlloc(t)
				arr := func(xs []int64) arrow.Array {
					if kind == profile.KindInt {
						return int64s(mem, xs)
					}
					return float64s(mem, floats(xs))
				}
				c := profile.NewColumn("x", "x", kind, 1)
				var all []float64
				for i, s := range tt.steps {
					if s.add != nil {
						addReleased(c, arr(s.add))
						all = append(all, floats(s.add)...)
						continue
					}
					o := profile.NewColumn("x", "x", kind, uint64(i)+2)
					for _, b := range s.merge {
						addReleased(o, arr(b))
						all = append(all, floats(b)...)
					}
					c.Merge(o)
				}
				transition(t, c, all)
			})
		}
	}
}

// Two row groups profiled with the same seed and the same number of
// distinct values (shards that each number their row groups from 0, or
// files with the same layout) build identical sketches when their merge
// crosses ExactDistinctCap. The merged sketch must keep fair coins: its
// compactions and its sampler (values added after the merge) need them, or
// later values are kept at full weight and the quantiles drift to them.
func TestMergeEqualSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("480k values")
	}
	r := rand.New(rand.NewPCG(13, 1))
	part := func(lo float64, n int) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = lo + r.Float64()
		}
		return xs
	}
	a, b, c := part(0, 40_000), part(1, 40_000), part(2, 400_000)
	tests := []struct {
		name     string
		seedB    uint64
		addAfter bool
	}{
		{"different seeds, add after merge", 8, true},
		{"same seed, add after merge", 7, true},
		{"same seed", 7, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			col := func(seed uint64, xs []float64) *profile.Column {
				col := profile.NewColumn("f", "float64", profile.KindFloat, seed)
				for i := 0; i < len(xs); i += 65536 {
					addReleased(col, float64s(mem, xs[i:min(i+65536, len(xs))]))
				}
				return col
			}
			m := col(7, a)
			m.Merge(col(tt.seedB, b))
			all := slices.Concat(a, b)
			if tt.addAfter {
				for i := 0; i < len(c); i += 65536 {
					addReleased(m, float64s(mem, c[i:min(i+65536, len(c))]))
				}
				all = slices.Concat(all, c)
			}
			slices.Sort(all)
			s := m.Summary()
			checkRanks(t, all, s, rankTol)
			checkHistogramRanks(t, all, s, rankTol)
		})
	}
}
