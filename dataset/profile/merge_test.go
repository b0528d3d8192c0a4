package profile_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset/profile"
)

// table is generated test data: columns of values in build's form.
type table struct {
	specs []profile.Spec
	types []arrow.DataType
	cols  [][]any
}

func (tb table) rows() int { return len(tb.cols[0]) }

// profile profiles rows [from, to) in batches of at most batch rows.
func (tb table) profile(mem memory.Allocator, seed uint64, from, to, batch int) *profile.Profile {
	p := profile.New(tb.specs, seed)
	fields := make([]arrow.Field, len(tb.specs))
	for i, s := range tb.specs {
		fields[i] = arrow.Field{Name: s.Name, Type: tb.types[i], Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	for lo := from; lo < to; lo += batch {
		hi := min(lo+batch, to)
		arrs := make([]arrow.Array, len(tb.cols))
		for i, col := range tb.cols {
			arrs[i] = build(mem, tb.types[i], col[lo:hi])
		}
		rec := array.NewRecordBatch(schema, arrs, int64(hi-lo))
		p.Add(rec)
		rec.Release()
		for _, a := range arrs {
			a.Release()
		}
	}
	return p
}

// exactTable has n rows of every kind, with nulls and NaN, and fewer than
// ExactDistinctCap distinct values per column: every figure is exact.
func exactTable(n int, seed uint64) table {
	r := rand.New(rand.NewPCG(seed, 1))
	words := []string{"a", "b", "ä", "日本", "😀", "", "longer word", "Z"}
	tb := table{
		specs: []profile.Spec{
			{Name: "i", Type: "int64", Kind: profile.KindInt},
			{Name: "f", Type: "float64", Kind: profile.KindFloat},
			{Name: "s", Type: "string", Kind: profile.KindString},
			{Name: "b", Type: "bool", Kind: profile.KindBool},
			{Name: "t", Type: "timestamp[ms] UTC", Kind: profile.KindInt},
		},
		types: []arrow.DataType{
			arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64, arrow.BinaryTypes.String,
			arrow.FixedWidthTypes.Boolean, &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"},
		},
		cols: make([][]any, 5),
	}
	for range n {
		null := r.IntN(20) == 0
		row := []any{
			int64(r.NormFloat64()*1000) + int64(r.IntN(3))*1_000_000,
			math.Round(r.ExpFloat64()*1e4) / 100,
			words[r.IntN(len(words))] + fmt.Sprint(r.IntN(50)),
			r.IntN(3) == 0,
			1_700_000_000_000 + int64(r.IntN(5_000_000))*1000,
		}
		if r.IntN(50) == 0 {
			row[1] = math.NaN()
		}
		for i, v := range row {
			if null && i == r.IntN(len(row)) {
				v = nil
			}
			tb.cols[i] = append(tb.cols[i], v)
		}
	}
	return tb
}

// sameProfile compares every column's figures (see sameFigures).
func sameProfile(t *testing.T, got, want *profile.Profile) {
	t.Helper()
	gs, ws := got.Summary(), want.Summary()
	if gs.Rows != ws.Rows {
		t.Errorf("rows: got %d, want %d", gs.Rows, ws.Rows)
	}
	for i := range ws.Columns {
		sameFigures(t, gs.Columns[i], ws.Columns[i], rel)
	}
}

// mustMerge merges profiles left to right into the first.
func mustMerge(t *testing.T, ps ...*profile.Profile) *profile.Profile {
	t.Helper()
	for _, p := range ps[1:] {
		if err := ps[0].Merge(p); err != nil {
			t.Fatal(err)
		}
	}
	return ps[0]
}

// Splitting the same rows into row groups of any sizes and merging them in
// order gives the figures of one accumulator.
func TestMergeSplitsMatchOneAccumulator(t *testing.T) {
	mem := checkedAlloc(t)
	tb := exactTable(20_000, 1)
	n := tb.rows()
	want := tb.profile(mem, 1, 0, n, n)
	r := rand.New(rand.NewPCG(2, 2))
	random := []int{}
	for left := n; left > 0; {
		k := min(left, 1+r.IntN(3000))
		random = append(random, k)
		left -= k
	}
	tests := []struct {
		name  string
		sizes []int
		batch int
	}{
		{"one group, small batches", []int{n}, 999},
		{"equal groups", []int{5000, 5000, 5000, 5000}, 4096},
		{"tiny then huge", []int{1, 2, 7, n - 10}, 1 << 20},
		{"huge then tiny", []int{n - 3, 1, 1, 1}, 1 << 20},
		{"with empty groups", []int{0, n / 2, 0, n - n/2, 0}, 1000},
		{"random sizes", random, 777},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			total := profile.New(tb.specs, 0)
			lo := 0
			for i, size := range tt.sizes {
				if err := total.Merge(tb.profile(mem, uint64(i)+1, lo, lo+size, tt.batch)); err != nil {
					t.Fatal(err)
				}
				lo += size
			}
			sameProfile(t, total, want)
		})
	}
}

// (a+b)+c == a+(b+c), and the empty profile is an identity, on exact data.
func TestMergeAssociative(t *testing.T) {
	mem := checkedAlloc(t)
	tb := exactTable(9_000, 3)
	parts := [][2]int{{0, 1000}, {1000, 1001}, {1001, 9000}}
	part := func(i int) *profile.Profile {
		return tb.profile(mem, uint64(i)+1, parts[i][0], parts[i][1], 512)
	}
	empty := func() *profile.Profile { return profile.New(tb.specs, 99) }
	left := mustMerge(t, mustMerge(t, part(0), part(1)), part(2))
	tests := []struct {
		name string
		got  *profile.Profile
	}{
		{"a+(b+c)", mustMerge(t, part(0), mustMerge(t, part(1), part(2)))},
		{"e+((a+b)+c)", mustMerge(t, empty(), mustMerge(t, part(0), part(1)), part(2))},
		{"((a+e)+b)+c+e", mustMerge(t, part(0), empty(), part(1), part(2), empty())},
		{"(a+(e+b))+c", mustMerge(t, mustMerge(t, part(0), mustMerge(t, empty(), part(1))), part(2))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { sameProfile(t, tt.got, left) })
	}
}

// Merging the same row groups in row-group order gives the same figures
// however they are grouped (fold, tree, right fold, shards): a scan with
// any number of workers, or shards on many machines, agree.
func TestMergeGroupingsInRowGroupOrder(t *testing.T) {
	mem := checkedAlloc(t)
	tb := exactTable(16_000, 4)
	const groups = 8
	rg := func(i int) *profile.Profile {
		size := tb.rows() / groups
		return tb.profile(mem, uint64(i)+1, i*size, (i+1)*size, 1500)
	}
	all := func() []*profile.Profile {
		ps := make([]*profile.Profile, groups)
		for i := range ps {
			ps[i] = rg(i)
		}
		return ps
	}
	var tree func(ps []*profile.Profile) *profile.Profile
	tree = func(ps []*profile.Profile) *profile.Profile {
		if len(ps) == 1 {
			return ps[0]
		}
		h := len(ps) / 2
		return mustMerge(t, tree(ps[:h]), tree(ps[h:]))
	}
	var right func(ps []*profile.Profile) *profile.Profile
	right = func(ps []*profile.Profile) *profile.Profile {
		if len(ps) == 1 {
			return ps[0]
		}
		return mustMerge(t, ps[0], right(ps[1:]))
	}
	want := mustMerge(t, append([]*profile.Profile{profile.New(tb.specs, 0)}, all()...)...)
	tests := []struct {
		name string
		got  func() *profile.Profile
	}{
		{"left fold", func() *profile.Profile { return mustMerge(t, all()...) }},
		{"balanced tree", func() *profile.Profile { return tree(all()) }},
		{"right fold", func() *profile.Profile { return right(all()) }},
		{"three shards", func() *profile.Profile {
			ps := all()
			return mustMerge(t, mustMerge(t, ps[:3]...), mustMerge(t, ps[3:5]...), mustMerge(t, ps[5:]...))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { sameProfile(t, tt.got(), want) })
	}
}

// sketchTable has columns well past ExactDistinctCap (sketches in use) and
// one exact column.
func sketchTable(n int, seed uint64) table {
	r := rand.New(rand.NewPCG(seed, 5))
	tb := table{
		specs: []profile.Spec{
			{Name: "i", Type: "int64", Kind: profile.KindInt},
			{Name: "f", Type: "float64", Kind: profile.KindFloat},
			{Name: "s", Type: "string", Kind: profile.KindString},
			{Name: "low", Type: "int32", Kind: profile.KindInt},
		},
		types: []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64, arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32},
		cols:  make([][]any, 4),
	}
	for range n {
		tb.cols[0] = append(tb.cols[0], r.Int64N(1<<40))
		tb.cols[1] = append(tb.cols[1], r.NormFloat64())
		tb.cols[2] = append(tb.cols[2], fmt.Sprintf("k%d", r.IntN(n)))
		tb.cols[3] = append(tb.cols[3], int64(r.IntN(100)))
	}
	return tb
}

// Row groups profiled by any number of concurrent workers and merged in
// row-group order (as dataset.Profile does) give the same bytes, sketches
// included.
func TestWorkerCountIndependence(t *testing.T) {
	if testing.Short() {
		t.Skip("profiles 400k rows per worker count")
	}
	mem := checkedAlloc(t)
	tb := sketchTable(400_000, 6)
	const groups = 12
	size := (tb.rows() + groups - 1) / groups
	run := func(workers int) []byte {
		done := make([]*profile.Profile, groups)
		next := make(chan int)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					done[i] = tb.profile(mem, uint64(i)+1, i*size, min((i+1)*size, tb.rows()), 8192)
				}
			}()
		}
		for i := range groups {
			next <- i
		}
		close(next)
		wg.Wait()
		total := profile.New(tb.specs, 0)
		mustMerge(t, append([]*profile.Profile{total}, done...)...)
		b, err := total.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := run(1)
	for _, w := range []int{2, 3, 8} {
		t.Run(fmt.Sprintf("%d workers", w), func(t *testing.T) {
			if got := run(w); !bytes.Equal(got, want) {
				t.Errorf("encoding with %d workers differs from 1 worker (%d and %d bytes)", w, len(got), len(want))
			}
		})
	}
}
