package pit

import (
	"context"
	"math/rand/v2"
	"testing"
)

// benchData is the DuckDB ASOF anchor's shape: entity rows and feature
// rows over 1M distinct int64 keys, times over one year in seconds, three
// float features.
func benchData(nEnt, nFeat, keys int) (Entities, View) {
	r := rand.New(rand.NewPCG(1, 2))
	const year = 31536000
	ek, et := make([]int64, nEnt), make([]int64, nEnt)
	for i := range ek {
		ek[i], et[i] = r.Int64N(int64(keys)), r.Int64N(year)
	}
	vk, vt := make([]int64, nFeat), make([]int64, nFeat)
	f1, f2, f3 := make([]float64, nFeat), make([]float64, nFeat), make([]float64, nFeat)
	for i := range vk {
		vk[i], vt[i] = r.Int64N(int64(keys)), r.Int64N(year)
		f1[i], f2[i], f3[i] = r.Float64(), 100*r.Float64(), float64(r.IntN(50))
	}
	ents := Entities{Keys: []KeyColumn{{Name: "customer_id", Int: ek}}, Time: et}
	view := View{
		Name: "features",
		Keys: []KeyColumn{{Name: "customer_id", Int: vk}},
		Time: vt,
		Features: []Feature{
			{Name: "f1", Float: f1}, {Name: "f2", Float: f2}, {Name: "f3", Float: f3},
		},
	}
	return ents, view
}

// BenchmarkJoin is 1M entity rows against a 10M-row view with 1M keys:
// the join alone, and the join plus gathering the three features.
func BenchmarkJoin(b *testing.B) {
	ents, view := benchData(1_000_000, 10_000_000, 1_000_000)
	ctx := context.Background()
	b.Run("match", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Join(ctx, ents, []View{view}, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("match+gather", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := Join(ctx, ents, []View{view}, Options{})
			if err != nil {
				b.Fatal(err)
			}
			for _, f := range view.Features {
				if _, err := Gather(f, res.Views[0].Match); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
