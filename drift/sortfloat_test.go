package drift

import (
	"math"
	"slices"
	"testing"
)

func TestSortFloats(t *testing.T) {
	r := rng(1)
	cases := map[string]func(i int) float64{
		"normal":     func(int) float64 { return r.normal() * 1e3 },
		"integers":   func(int) float64 { return float64(int(r.next()%300) - 100) },
		"timestamps": func(int) float64 { return 1.7e12 + float64(r.next()%1e9) },
		"mixed": func(i int) float64 {
			return []float64{math.Inf(-1), math.Inf(1), -0.0, 0, math.SmallestNonzeroFloat64, -math.MaxFloat64, 1e-300, -1e-300}[i%8] * float64(1+i%3)
		},
		"constant": func(int) float64 { return 42 },
	}
	for name, gen := range cases {
		for _, n := range []int{0, 1, 100, radixMin, 50000} {
			v := make([]float64, n)
			for i := range v {
				v[i] = gen(i)
			}
			want := slices.Clone(v)
			slices.Sort(want)
			sortFloats(v)
			for i := range v {
				if v[i] != want[i] {
					t.Fatalf("%s, n %d: [%d] = %v, want %v", name, n, i, v[i], want[i])
				}
			}
		}
	}
}

func BenchmarkSortFloats(b *testing.B) {
	r := rng(1)
	src := make([]float64, 1_000_000)
	for i := range src {
		src[i] = r.normal()
	}
	v := make([]float64, len(src))
	for b.Loop() {
		copy(v, src)
		sortFloats(v)
	}
}
