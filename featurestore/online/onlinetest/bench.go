package onlinetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/assayhq/assay/featurestore/online"
)

// BenchmarkRead measures a Read of one entity × 50 features of one view,
// in a store holding 10,000 entities with two views each.
func BenchmarkRead(b *testing.B, s online.Store) {
	const entities, nf = 10000, 50
	features := make([]string, nf)
	for i := range features {
		features[i] = fmt.Sprintf("feature_%02d", i)
	}
	keys := make([]online.EntityKey, entities)
	for i := range keys {
		keys[i] = Key(b, "customer_id", i)
	}
	for _, view := range []string{"customer_stats", "customer_profile"} {
		rows := make([]online.Row, entities)
		for i := range rows {
			vals := make([]online.Value, nf)
			for j := range vals {
				switch j % 4 {
				case 0:
					vals[j] = online.Float(float64(i*j) / 3)
				case 1:
					vals[j] = online.Int(int64(i * j))
				case 2:
					vals[j] = online.String(fmt.Sprintf("v%d", i+j))
				case 3:
					vals[j] = online.Bool(i%2 == 0)
				}
			}
			rows[i] = online.Row{Key: keys[i], EventTime: 1_700_000_000_000_000, CreatedTime: 1, Values: vals}
		}
		if err := s.Write(context.Background(), view, features, rows); err != nil {
			b.Fatal(err)
		}
	}
	refs := make([]online.FeatureRef, nf)
	for i, f := range features {
		refs[i] = online.FeatureRef{View: "customer_stats", Name: f}
	}
	ctx := context.Background()
	opts := online.ReadOptions{Now: 1_700_000_000_000_001}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		got, err := s.Read(ctx, keys[i%entities:i%entities+1], refs, opts)
		if err != nil {
			b.Fatal(err)
		}
		if got[0][nf-1].Status != online.Present {
			b.Fatalf("feature %d: status %v", nf-1, got[0][nf-1].Status)
		}
		i += 7919
	}
}

// BenchmarkWrite measures a Write of 100,000 rows of 10 features, each
// iteration writing newer rows of the same entities.
func BenchmarkWrite(b *testing.B, s online.Store) {
	const n, nf = 100_000, 10
	features := make([]string, nf)
	for i := range features {
		features[i] = fmt.Sprintf("feature_%02d", i)
	}
	rows := make([]online.Row, n)
	for i := range rows {
		vals := make([]online.Value, nf)
		for j := range vals {
			if j%2 == 0 {
				vals[j] = online.Float(float64(i + j))
			} else {
				vals[j] = online.Int(int64(i * j))
			}
		}
		rows[i] = online.Row{Key: Key(b, "customer_id", i), Values: vals}
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	ev := int64(0)
	for b.Loop() {
		ev++
		for i := range rows {
			rows[i].EventTime = ev
		}
		if err := s.Write(ctx, "customer_stats", features, rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
