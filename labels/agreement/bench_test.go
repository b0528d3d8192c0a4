package agreement

import (
	"context"
	"testing"
)

// benchRatings is 1M items × 5 annotators with K = 5: fair annotators of
// varying accuracy, 10% of labels missing.
func benchRatings(b *testing.B) Ratings {
	b.Helper()
	priors := []float64{0.4, 0.25, 0.15, 0.12, 0.08}
	conf := [][][]float64{fair(5, 0.8), fair(5, 0.75), fair(5, 0.7), fair(5, 0.6), fair(5, 0.3)}
	r, _ := synth(42, 1_000_000, priors, conf, 0.1)
	return r
}

func report(b *testing.B, r Ratings) {
	b.ReportMetric(float64(r.Items)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mitems/s")
}

func BenchmarkCohenKappa(b *testing.B) {
	r := benchRatings(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CohenKappa(r); err != nil {
			b.Fatal(err)
		}
	}
	report(b, r)
}

func BenchmarkFleissKappa(b *testing.B) {
	r := benchRatings(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FleissKappa(r); err != nil {
			b.Fatal(err)
		}
	}
	report(b, r)
}

func BenchmarkKrippendorffAlpha(b *testing.B) {
	r := benchRatings(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := KrippendorffAlpha(r); err != nil {
			b.Fatal(err)
		}
	}
	report(b, r)
}

func BenchmarkMajorityVote(b *testing.B) {
	r := benchRatings(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MajorityVote(r); err != nil {
			b.Fatal(err)
		}
	}
	report(b, r)
}

func BenchmarkAnnotatorAgreement(b *testing.B) {
	r := benchRatings(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AnnotatorAgreement(r); err != nil {
			b.Fatal(err)
		}
	}
	report(b, r)
}

// BenchmarkDawidSkene runs to convergence with the default options; the
// iterations metric is how many that took.
func BenchmarkDawidSkene(b *testing.B) {
	r := benchRatings(b)
	b.ReportAllocs()
	var iters int
	for b.Loop() {
		m, err := DawidSkene(context.Background(), r, DSOptions{})
		if err != nil {
			b.Fatal(err)
		}
		iters = m.Iterations
	}
	b.ReportMetric(float64(iters), "iterations")
	report(b, r)
}

// BenchmarkDawidSkeneIteration is the cost of one EM iteration (plus the
// set-up).
func BenchmarkDawidSkeneIteration(b *testing.B) {
	r := benchRatings(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DawidSkene(context.Background(), r, DSOptions{MaxIter: 1}); err != nil {
			b.Fatal(err)
		}
	}
	report(b, r)
}
