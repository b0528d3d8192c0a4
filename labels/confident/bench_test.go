package confident

import (
	"fmt"
	"sync"
	"testing"
)

// benchInput is 1M rows × 10 classes of generated probabilities (20%
// label noise), made once per test binary.
var benchInput = sync.OnceValues(func() ([]int, Probs) {
	return genCase(genSpec{N: 1_000_000, K: 10, Seed: 42, Noise: 0.2, Peak: 2})
})

func BenchmarkFindIssues(b *testing.B) {
	labels, p := benchInput()
	for _, filter := range []string{FilterPruneByNoiseRate, FilterPruneByClass, FilterBoth, FilterConfidentLearning, FilterPredictedNeqGiven, FilterLowNormalizedMargin} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("1Mx10/%s/workers=%d", filter, w), func(b *testing.B) {
				b.SetBytes(int64(len(p.Data) * 8))
				for b.Loop() {
					if _, err := FindIssues(labels, p, Options{Filter: filter, Workers: w}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkScores(b *testing.B) {
	labels, p := benchInput()
	for _, m := range []string{RankSelfConfidence, RankNormalizedMargin, RankConfidenceWeightedEntropy} {
		b.Run("1Mx10/"+m, func(b *testing.B) {
			b.SetBytes(int64(len(p.Data) * 8))
			for b.Loop() {
				if _, err := Scores(labels, p, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	labels, p := benchInput()
	b.SetBytes(int64(len(p.Data) * 8))
	for b.Loop() {
		if err := Validate(labels, p, DefaultSumTol); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkArgsort(b *testing.B) {
	keys := make([]float64, 100_000)
	for i := range keys {
		keys[i] = float64(int(splitmixUniform(7, uint64(i+1))*100)) / 100
	}
	idx := make([]int, len(keys))
	for b.Loop() {
		npArgsort(keys, idx)
	}
}
