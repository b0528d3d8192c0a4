package stat

import (
	"fmt"
	"testing"
)

// The drift run compares up to 8 numeric columns of 1M rows against 1M
// rows within 1 s on 2 cores; KSSorted and WassersteinSorted are the
// per-column cost once the columns are sorted.

func sortedNormals(n int, seed uint64, loc float64) []float64 {
	return sortedCopy(genSample(genSpec{Kind: "normal", N: n, Seed: seed, Loc: loc}))
}

func BenchmarkKSSorted(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		x, y := sortedNormals(n, 1, 0), sortedNormals(n, 2, 0.002)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				KSSorted(x, y)
			}
		})
	}
	// Many ties: a column of few distinct values.
	x := sortedCopy(genSample(genSpec{Kind: "normal", N: 1_000_000, Seed: 3, Grid: 10}))
	y := sortedCopy(genSample(genSpec{Kind: "normal", N: 1_000_000, Seed: 4, Grid: 10, Loc: 0.01}))
	b.Run("n=1000000/ties", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			KSSorted(x, y)
		}
	})
}

func BenchmarkWassersteinSorted(b *testing.B) {
	x, y := sortedNormals(1_000_000, 1, 0), sortedNormals(1_000_000, 2, 0.002)
	b.Run("n=1000000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			WassersteinSorted(x, y)
		}
	})
}

func BenchmarkAndersonKSamp(b *testing.B) {
	x, y := genSample(genSpec{Kind: "normal", N: 100_000, Seed: 1}), genSample(genSpec{Kind: "normal", N: 100_000, Seed: 2, Loc: 0.01})
	xs, ys := sortedCopy(x), sortedCopy(y)
	b.Run("n=100000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			AndersonKSamp(x, y)
		}
	})
	b.Run("n=100000/sorted", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			AndersonKSampSorted(xs, ys)
		}
	})
}

func BenchmarkCramerVonMises2(b *testing.B) {
	x, y := genSample(genSpec{Kind: "normal", N: 100_000, Seed: 1}), genSample(genSpec{Kind: "normal", N: 100_000, Seed: 2, Loc: 0.01})
	xs, ys := sortedCopy(x), sortedCopy(y)
	b.Run("n=100000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			CramerVonMises2(x, y)
		}
	})
	b.Run("n=100000/sorted", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			CramerVonMises2Sorted(xs, ys)
		}
	})
}

func BenchmarkMannWhitneyUSorted(b *testing.B) {
	x, y := sortedNormals(1_000_000, 1, 0), sortedNormals(1_000_000, 2, 0.002)
	b.Run("n=1000000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			MannWhitneyUSorted(x, y, "two-sided")
		}
	})
}

func BenchmarkChiSquareGOF(b *testing.B) {
	for _, k := range []int{30, 10_000} {
		obs := make([]float64, k)
		exp := make([]float64, k)
		for i := range obs {
			obs[i] = float64(1000 + i%17)
			exp[i] = float64(1000 + i%13)
		}
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ChiSquareGOF(obs, exp)
			}
		})
	}
}
