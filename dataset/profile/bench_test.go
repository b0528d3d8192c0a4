package profile_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset/profile"
)

const benchN = 1 << 16

// benchArrays returns 64k-value arrays of each kind with few (100) or many
// (all different) distinct values; set picks other values.
func benchArrays(mem memory.Allocator, distinct, set int) map[string]arrow.Array {
	r := rand.New(rand.NewPCG(uint64(distinct), uint64(set)))
	ints := make([]int64, benchN)
	fls := make([]float64, benchN)
	ss := make([]string, benchN)
	for i := range benchN {
		k := i + set*benchN
		if distinct < benchN {
			k = r.IntN(distinct)
		}
		ints[i] = int64(k)*7919 + 1_700_000_000
		fls[i] = float64(k) * 0.37
		ss[i] = fmt.Sprintf("customer-%06d", k)
	}
	return map[string]arrow.Array{
		"int64":   int64s(mem, ints),
		"float64": float64s(mem, fls),
		"string":  strs(mem, ss),
	}
}

var benchKinds = []struct {
	name string
	kind profile.Kind
}{{"int64", profile.KindInt}, {"float64", profile.KindFloat}, {"string", profile.KindString}}

// BenchmarkColumnAdd profiles one 64k-value batch into a fresh column
// ("low": 100 distinct values, "high": all distinct, still exact) and into
// a column already past ExactDistinctCap ("sketched": steady state of a
// large row group).
func BenchmarkColumnAdd(b *testing.B) {
	mem := memory.NewGoAllocator()
	low, high := benchArrays(mem, 100, 0), benchArrays(mem, benchN, 0)
	for _, k := range benchKinds {
		for _, card := range []struct {
			name string
			arr  arrow.Array
		}{{"low", low[k.name]}, {"high", high[k.name]}} {
			b.Run(k.name+"/"+card.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					c := profile.NewColumn("c", k.name, k.kind, 1)
					c.Add(card.arr)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/value")
			})
		}
		b.Run(k.name+"/sketched", func(b *testing.B) {
			c := profile.NewColumn("c", k.name, k.kind, 1)
			others := benchArrays(mem, benchN, 1) // other values: push c past the cap
			c.Add(high[k.name])
			c.Add(others[k.name])
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				c.Add(high[k.name])
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/value")
		})
	}
}

// benchProfiles returns a row group's profile of three columns (int64,
// float64, string) of 64k rows, and a total it merges into.
func benchProfiles(b *testing.B, distinct int) (rg *profile.Profile, total *profile.Profile) {
	mem := memory.NewGoAllocator()
	specs := []profile.Spec{
		{Name: "int64", Type: "int64", Kind: profile.KindInt},
		{Name: "float64", Type: "float64", Kind: profile.KindFloat},
		{Name: "string", Type: "string", Kind: profile.KindString},
	}
	mk := func(seed uint64, arrs map[string]arrow.Array) *profile.Profile {
		p := profile.New(specs, seed)
		for i, s := range specs {
			p.Columns[i].Add(arrs[s.Name])
		}
		p.Rows = benchN
		return p
	}
	rg = mk(1, benchArrays(mem, distinct, 0))
	total = profile.New(specs, 0)
	for i := range 3 {
		if err := total.Merge(mk(uint64(i)+2, benchArrays(mem, distinct, i+1))); err != nil {
			b.Fatal(err)
		}
	}
	return rg, total
}

// BenchmarkProfileMerge merges a row group's profile into a running total,
// as dataset.Profile does for every row group.
func BenchmarkProfileMerge(b *testing.B) {
	for _, card := range []struct {
		name     string
		distinct int
	}{{"low", 100}, {"sketched", benchN}} {
		b.Run(card.name, func(b *testing.B) {
			rg, total := benchProfiles(b, card.distinct)
			b.ReportAllocs()
			for b.Loop() {
				if err := total.Merge(rg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMarshalBinary(b *testing.B) {
	for _, card := range []struct {
		name     string
		distinct int
	}{{"low", 100}, {"sketched", benchN}} {
		b.Run(card.name, func(b *testing.B) {
			_, total := benchProfiles(b, card.distinct)
			var size int
			b.ReportAllocs()
			for b.Loop() {
				enc, err := total.MarshalBinary()
				if err != nil {
					b.Fatal(err)
				}
				size = len(enc)
			}
			b.ReportMetric(float64(size), "bytes/profile")
		})
	}
}

func BenchmarkUnmarshalBinary(b *testing.B) {
	for _, card := range []struct {
		name     string
		distinct int
	}{{"low", 100}, {"sketched", benchN}} {
		b.Run(card.name, func(b *testing.B) {
			_, total := benchProfiles(b, card.distinct)
			enc, err := total.MarshalBinary()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				var p profile.Profile
				if err := p.UnmarshalBinary(enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSummary computes the figures of a sketched three-column profile.
func BenchmarkSummary(b *testing.B) {
	_, total := benchProfiles(b, benchN)
	b.ReportAllocs()
	for b.Loop() {
		total.Summary()
	}
}
