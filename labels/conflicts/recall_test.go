package conflicts

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// recallData makes n rows in dims numeric features and texts text
// features. clustered: rows come in near-duplicate families (a seed and
// copies jittered by 0.02 standard deviations, text kept but for 1 in 10);
// otherwise rows are independent normal draws.
func recallData(rng *rand.Rand, n, dims, texts int, clustered bool) []Column {
	cols := make([]Column, 0, dims+texts)
	for range dims {
		cols = append(cols, Numeric("", make([]float64, n), nil))
	}
	for range texts {
		cols = append(cols, Text("", make([]string, n), nil))
	}
	for i := range n {
		src := -1
		if clustered && i%4 != 0 {
			src = i - i%4
		}
		for _, c := range cols {
			switch {
			case c.Numeric && src >= 0:
				c.Num[i] = c.Num[src] + 0.02*rng.NormFloat64()
			case c.Numeric:
				c.Num[i] = rng.NormFloat64()
			case src >= 0 && rng.IntN(10) != 0:
				c.Str[i] = c.Str[src]
			default:
				c.Str[i] = fmt.Sprint("v", rng.IntN(6))
			}
		}
	}
	return cols
}

// TestLSHRecall measures the share of the exact neighbours that LSH
// finds.
func TestLSHRecall(t *testing.T) {
	tests := []struct {
		name        string
		n, dims, tx int
		clustered   bool
		k           int
		radius      float64
		min         float64
	}{
		{"near-duplicates, K=3", 12_000, 8, 2, true, 3, 0, 0.95},
		{"near-duplicates, radius 0.25", 12_000, 8, 2, true, 0, 0.25, 0.95},
		{"near-duplicates, K=5 within 0.5", 12_000, 6, 0, true, 5, 0.5, 0.95},
		{"independent rows, K=5", 8_000, 4, 1, false, 5, 0, 0.95},
		{"independent rows, radius 0.3", 8_000, 4, 0, false, 0, 0.3, 0.95},
		// Many independent text features put every pair at about the
		// same distance: no hashing tells neighbours apart cheaply, and
		// the tables run out. The recall is low, and the estimate says so.
		{"equidistant rows, K=5", 8_000, 2, 6, false, 5, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(21, uint64(tt.n)))
			cols := recallData(rng, tt.n, tt.dims, tt.tx, tt.clustered)
			codes := make([]int, tt.n)
			e := &exact{cols: cols, codes: codes, n: tt.n, workers: 4}
			sp := e.embed(e.classes(true))
			r2 := 1e300
			if tt.radius > 0 {
				r2 = tt.radius * tt.radius
			}
			ctx := context.Background()
			want, err := sp.brute(ctx, tt.k, r2, 4)
			if err != nil {
				t.Fatal(err)
			}
			got, est, err := sp.lsh(ctx, lshParams{k: tt.k, radius: tt.radius, maxTables: DefaultMaxTables, seed: 1, workers: 4})
			if err != nil {
				t.Fatal(err)
			}
			found, total := 0, 0
			for i := range want {
				in := map[int32]bool{}
				for _, nb := range got[i] {
					in[nb.j] = true
				}
				for _, nb := range want[i] {
					total++
					if in[nb.j] {
						found++
					}
				}
				if tt.k > 0 && len(got[i]) > tt.k {
					t.Fatalf("point %d: %d neighbours, more than K", i, len(got[i]))
				}
			}
			recall := float64(found) / float64(max(total, 1))
			t.Logf("recall %.4f (%d of %d neighbours); estimated from a sample %.4f", recall, found, total, est)
			if math.Abs(est-recall) > 0.1 {
				t.Errorf("estimated recall %.4f, measured %.4f", est, recall)
			}
			if total == 0 || recall < tt.min {
				t.Errorf("recall %.4f of %d neighbours, want at least %.2f", recall, total, tt.min)
			}
		})
	}
}
