package metrics

import (
	"math/rand/v2"
	"testing"
)

const benchRows = 1_000_000

// benchBinary returns benchRows rows of two-class probabilities with
// distinct, full-precision scores.
func benchBinary() ([]int32, []float64) {
	rng := rand.New(rand.NewPCG(7, 8))
	y := make([]int32, benchRows)
	prob := make([]float64, 2*benchRows)
	for i := range y {
		y[i] = int32(rng.IntN(2))
		p := rng.Float64()
		if y[i] == 1 {
			p = max(p, rng.Float64())
		}
		prob[2*i], prob[2*i+1] = 1-p, p
	}
	return y, prob
}

func BenchmarkROCAUC(b *testing.B) {
	y, prob := benchBinary()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ROCAUC(y, prob, 2); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	b.Run("binary", func(b *testing.B) {
		y, prob := benchBinary()
		classes := classNames(2)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Classify(y, prob, classes); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("5class", func(b *testing.B) {
		y, prob := randomMulti(rand.New(rand.NewPCG(9, 10)), benchRows, 5)
		classes := classNames(5)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Classify(y, prob, classes); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkClassifyByGroup(b *testing.B) {
	y, prob := benchBinary()
	rng := rand.New(rand.NewPCG(11, 12))
	groups := []Group{
		{Column: "gender", Codes: make([]int32, benchRows), Levels: []string{"F", "M", "X"}},
		{Column: "age", Codes: make([]int32, benchRows), Levels: []string{"18-30", "31-50", "51-64", "65+"}},
	}
	for i := range benchRows {
		groups[0].Codes[i] = int32(rng.IntN(3))
		groups[1].Codes[i] = int32(rng.IntN(5)) - 1
	}
	classes := classNames(2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ClassifyByGroup(y, prob, classes, groups); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegress(b *testing.B) {
	rng := rand.New(rand.NewPCG(13, 14))
	y := make([]float64, benchRows)
	pred := make([]float64, benchRows)
	for i := range y {
		y[i] = rng.NormFloat64()
		pred[i] = y[i] + rng.NormFloat64()/2
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Regress(y, pred); err != nil {
			b.Fatal(err)
		}
	}
}
